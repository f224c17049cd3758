import type { Clock, SubgraphContext } from '@pgamr/kit';
import type { SigningKeyStore } from './auth/signing-keys';
import type { IdentityLoaders } from './loaders';
import type { IdentitySettings } from './settings';

export interface IdentityServices {
  keys: SigningKeyStore;
  settings: IdentitySettings;
  /** The subgraph's clock (also `context.clock`): token and session expiry, lockouts (R6). */
  clock: Clock;
}

export type IdentityContext = SubgraphContext<IdentityLoaders, IdentityServices>;
