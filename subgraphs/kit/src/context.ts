import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

/** What every resolver receives: its own EntityManager and loaders, never shared across requests. */
export interface SubgraphContext<TLoaders> {
  em: EntityManager;
  loaders: TLoaders;
  logger: Logger;
  requestId: string;
}
