import { entityLoader } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { findActiveRightsOfUser } from './access/access.repository';
import type { AccessRight } from './access/access.entity';
import { OnlineService } from './online-service/online-service.entity';

/** The services subgraph's per-request loaders. */
export function createServicesLoaders(em: EntityManager) {
  return {
    onlineServiceById: entityLoader(em, OnlineService),
    // Only ever asked for the caller (R9), so one key per request: no batching needed.
    activeRightsOfUser: new DataLoader<string, AccessRight[]>((userIds) => Promise.all(userIds.map((id) => findActiveRightsOfUser(em, id)))),
  };
}

export type ServicesLoaders = ReturnType<typeof createServicesLoaders>;
