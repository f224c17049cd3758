import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Directory } from './auth/directory-client';
import type { MandateRegistry } from './auth/mandates-client';
import type { RightSet } from './auth/rights-client';
import type { Authentication } from './auth/viewer';
import type { Clock } from './clock';

/**
 * The other subgraphs a subgraph may ask, per request, with the caller's own token. Each is built
 * and configured only for the subgraphs that name it in `SubgraphDefinition.clients`, and only
 * their contexts have it.
 */
export interface PeerClients {
  /** Identity's directory of firm users and of organizations' members (`IDENTITY_DIRECTORY_URL`). */
  directory: Directory;
  /** The mandates subgraph's decision point on mandates in force (`MANDATES_DECISION_URL`). */
  mandates: MandateRegistry;
}
export type PeerClientName = keyof PeerClients;

/** What every resolver receives: its own EntityManager and loaders, never shared across requests. */
interface RequestContext<TLoaders, TServices> {
  em: EntityManager;
  loaders: TLoaders;
  logger: Logger;
  requestId: string;
  /** The caller, from the verified access token (never from an unsigned header). */
  auth: Authentication;
  /** What the request's rules read as now (periods, dates, deadlines): the subgraph's clock. */
  clock: Clock;
  /** Process-wide services the subgraph built once at start-up (see SubgraphDefinition.setup). */
  services: TServices;
  /**
   * The caller's service rights in force now, from the services subgraph's decision point:
   * asked at most once per request, whatever the number of records checked; empty when anonymous.
   */
  rights(): Promise<RightSet>;
}

/** A request's context, with the clients of the other subgraphs this one asks (`TClients`). */
export type SubgraphContext<TLoaders, TServices = undefined, TClients extends PeerClientName = never> = RequestContext<TLoaders, TServices> &
  Pick<PeerClients, TClients>;
