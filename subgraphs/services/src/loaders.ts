import { childrenLoader, entityLoader } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessRight } from './access/access.entity';
import { OnlineService } from './online-service/online-service.entity';

/** The services subgraph's per-request loaders. */
export function createServicesLoaders(em: EntityManager) {
  return {
    onlineServiceById: entityLoader(em, OnlineService),
    /** Every right of the users asked for, in force or not: callers filter with isActive at their moment. */
    rightsOfUser: childrenLoader(em, AccessRight, 'userId', { grantedAt: 'asc', id: 'asc' }),
  };
}

export type ServicesLoaders = ReturnType<typeof createServicesLoaders>;
