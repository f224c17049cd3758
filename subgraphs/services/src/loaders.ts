import { entityLoader } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnlineService } from './online-service/online-service.entity';

/** The services subgraph's per-request loaders. */
export function createServicesLoaders(em: EntityManager) {
  return {
    onlineServiceById: entityLoader(em, OnlineService),
  };
}

export type ServicesLoaders = ReturnType<typeof createServicesLoaders>;
