import { childrenLoader, entityLoader } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from './organization/organization.entity';
import { PersonInAuthority } from './repertoire/person-in-authority.entity';
import { Session } from './session/session.entity';
import { User } from './user/user.entity';

/** The identity subgraph's per-request loaders. */
export function createIdentityLoaders(em: EntityManager) {
  return {
    organizationById: entityLoader(em, Organization),
    userById: entityLoader(em, User),
    sessionById: entityLoader(em, Session),
    usersByOrganization: childrenLoader(em, User, 'organization', { familyName: 'asc', givenName: 'asc', id: 'asc' }),
    personsInAuthorityByOrganization: childrenLoader(em, PersonInAuthority, 'organization', { role: 'asc', id: 'asc' }),
  };
}

export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;
