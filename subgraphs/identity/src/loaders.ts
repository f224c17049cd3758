import { entityLoader } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from './organization/organization.entity';
import { User } from './user/user.entity';

/** The identity subgraph's per-request loaders. */
export function createIdentityLoaders(em: EntityManager) {
  return {
    organizationById: entityLoader(em, Organization),
    userById: entityLoader(em, User),
  };
}

export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;
