import DataLoader from 'dataloader';
import { entityLoader, isUuid, type Clock } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessRequest, AccessRight } from './access/access.entity';
import { findActiveRightsOfUsers } from './access/access.repository';
import { OnlineService } from './online-service/online-service.entity';

/** The services subgraph's per-request loaders. */
export function createServicesLoaders(em: EntityManager, clock: Clock) {
  return {
    onlineServiceById: entityLoader(em, OnlineService),
    /** Issue 19: a notification's subject, by id (its read rule is checked by the resolver). */
    accessRequestById: entityLoader(em, AccessRequest),
    accessRightById: entityLoader(em, AccessRight),
    /** The rights in force now of the users asked for (none revoked or expired), with their services: one query per batch. */
    activeRightsOfUser: new DataLoader<string, AccessRight[]>(async (userIds) => {
      const valid = userIds.filter(isUuid);
      const rights = valid.length === 0 ? [] : await findActiveRightsOfUsers(em, valid, clock.now());
      const byUser = new Map<string, AccessRight[]>();
      for (const right of rights) byUser.set(right.userId, [...(byUser.get(right.userId) ?? []), right]);
      return userIds.map((userId) => byUser.get(userId) ?? []);
    }),
  };
}

export type ServicesLoaders = ReturnType<typeof createServicesLoaders>;
