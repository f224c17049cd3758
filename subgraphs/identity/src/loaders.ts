import DataLoader from 'dataloader';
import { entityLoader, childrenLoader, isUuid, pageLoader } from '@pgamr/kit';
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from './organization/organization.entity';
import { PersonInAuthority } from './repertoire/person-in-authority.entity';
import { User, UserStatus } from './user/user.entity';

/**
 * Whether each organization has an active RSÉ: one statement for every organization asked for
 * in the same tick, reading only the organization column (no user is hydrated for a yes or no).
 */
function activeRseLoader(em: EntityManager): DataLoader<string, boolean> {
  return new DataLoader<string, boolean>(async (organizationIds) => {
    const valid = organizationIds.filter(isUuid);
    const rows =
      valid.length === 0
        ? []
        : await em
            .createQueryBuilder(User, 'u')
            .select(raw('distinct "u"."organization_id" as "organization"'))
            .where({ organization: { $in: valid }, isRse: true, status: UserStatus.Active })
            .execute<Array<{ organization: string }>>('all', false);
    const withRse = new Set(rows.map((row) => String(row.organization)));
    return organizationIds.map((id) => withRse.has(id));
  });
}

/** The identity subgraph's per-request loaders. */
export function createIdentityLoaders(em: EntityManager) {
  return {
    organizationById: entityLoader(em, Organization),
    userById: entityLoader(em, User),
    /** A page of each organization's users, by name (the order of the app_user index that serves it). */
    usersByOrganization: pageLoader(em, User, 'organization', { familyName: 'asc', givenName: 'asc', id: 'asc' }),
    activeRseByOrganization: activeRseLoader(em),
    personsInAuthorityByOrganization: childrenLoader(em, PersonInAuthority, 'organization', { role: 'asc', id: 'asc' }),
  };
}

export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;
