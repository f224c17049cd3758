import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Directory } from './auth/directory-client';
import type { MandateRegistry } from './auth/mandates-client';
import type { RightSet } from './auth/rights-client';
import type { Authentication } from './auth/viewer';

/** What every resolver receives: its own EntityManager and loaders, never shared across requests. */
export interface SubgraphContext<TLoaders, TServices = undefined> {
  em: EntityManager;
  loaders: TLoaders;
  logger: Logger;
  requestId: string;
  /** The caller, from the verified access token (never from an unsigned header). */
  auth: Authentication;
  /** Process-wide services the subgraph built once at start-up (see SubgraphDefinition.setup). */
  services: TServices;
  /**
   * The caller's service rights in force now, from the services subgraph's decision point:
   * asked at most once per request, whatever the number of records checked; empty when anonymous.
   */
  rights(): Promise<RightSet>;
  /** Identity's directory of firm users and of organizations' members, asked with the caller's token. */
  directory: Directory;
  /** The mandates subgraph's decision point on mandates in force, asked with the caller's token. */
  mandates: MandateRegistry;
}
