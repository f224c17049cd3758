import type { SubgraphContext } from '@pgamr/kit';
import type { SigningKeyStore } from './auth/signing-keys';
import type { IdentityLoaders } from './loaders';
import type { IdentitySettings } from './settings';

export interface IdentityServices {
  keys: SigningKeyStore;
  settings: IdentitySettings;
}

export type IdentityContext = SubgraphContext<IdentityLoaders, IdentityServices>;
