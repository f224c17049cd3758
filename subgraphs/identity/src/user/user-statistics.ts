import { badUserInput, isUuid } from '@pgamr/kit';
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrganizationKind } from '../organization/organization.entity';
import { User, type UserStatus } from './user.entity';

/** What `userStatistics` groups by (the schema's UserStatisticsDimension). */
export type UserDimension = 'ORGANIZATION_KIND' | 'ORGANIZATION' | 'STATUS' | 'ADMINISTRATIVE_REGION';

export interface UserStatisticsFilter {
  organizationKinds?: readonly OrganizationKind[] | null;
  organizationIds?: readonly string[] | null;
  statuses?: readonly UserStatus[] | null;
  administrativeRegions?: readonly string[] | null;
}

/** One group of users, its dimensions (null when not asked for) and its figures. */
export interface UserStatisticsGroup {
  organizationKind: OrganizationKind | null;
  organizationId: string | null;
  status: UserStatus | null;
  administrativeRegion: string | null;
  userCount: number;
  /** Distinct organizations of the users counted. */
  organizationCount: number;
  rseCount: number;
}

export interface UserStatistics {
  groups: UserStatisticsGroup[];
  total: UserStatisticsGroup;
}

/** The most groups an answer holds: beyond, the reader narrows the question. */
export const MAX_STATISTICS_GROUPS = 1_000;
/** The most values a filter's list holds. */
const MAX_FILTER_VALUES = 100;

/** How each dimension is read from a user (`u`) and their organization (`o`), and the group's field it fills. */
const DIMENSIONS: Record<UserDimension, { sql: string; field: keyof UserStatisticsGroup }> = {
  ORGANIZATION_KIND: { sql: 'o.kind', field: 'organizationKind' },
  ORGANIZATION: { sql: 'u.organization_id', field: 'organizationId' },
  STATUS: { sql: 'u.status', field: 'status' },
  ADMINISTRATIVE_REGION: { sql: 'o.administrative_region', field: 'administrativeRegion' },
};

/**
 * The figures of the users `readable` lets the reader count (policy.ts, userStatisticsCondition),
 * grouped by `dimensions`, in one statement: the groups and the total together (grouping sets),
 * at most MAX_STATISTICS_GROUPS groups.
 */
export async function userStatistics(
  em: EntityManager,
  readable: FilterQuery<User>,
  dimensions: readonly UserDimension[],
  filter: UserStatisticsFilter,
): Promise<UserStatistics> {
  if (new Set(dimensions).size !== dimensions.length) throw badUserInput('Chaque dimension ne peut être demandée qu’une fois.', { field: 'groupBy' });
  const where: FilterQuery<User> = { $and: [readable, recordCondition(filter)] };
  const knex = em.getKnex();
  // Only the user's columns (the foreign key as its column, even when a condition joins the
  // organization in): the organization's are joined once, outside.
  const scoped = em.createQueryBuilder(User, 'e').select(['e.id', raw('e.organization_id'), 'e.status', 'e.isRse']).where(where);
  const dimensionSql = dimensions.map((dimension) => DIMENSIONS[dimension].sql);
  const query = knex
    .select(
      knex.raw(
        [
          ...dimensions.map((dimension) => `${DIMENSIONS[dimension].sql} as "${DIMENSIONS[dimension].field}"`),
          `${dimensionSql.length > 0 ? `grouping(${dimensionSql.join(', ')}) <> 0` : 'true'} as "isTotal"`,
          'count(*)::int as "userCount"',
          'count(distinct u.organization_id)::int as "organizationCount"',
          'count(*) filter (where u.is_rse)::int as "rseCount"',
        ].join(', '),
      ),
    )
    .from(scoped.as('u'))
    .join('organization as o', 'o.id', 'u.organization_id');
  if (dimensionSql.length > 0) {
    query
      .groupByRaw(`grouping sets ((${dimensionSql.join(', ')}), ())`)
      .orderByRaw(`"isTotal", ${dimensionSql.map((sql) => `${sql} nulls last`).join(', ')}`)
      // The total, the groups, and one more to tell that there are too many.
      .limit(MAX_STATISTICS_GROUPS + 2);
  }
  const rows = await em.execute<Record<string, unknown>[]>(query);
  const groups = rows.filter((row) => row.isTotal !== true).map(groupOf);
  if (groups.length > MAX_STATISTICS_GROUPS) {
    throw badUserInput(`Plus de ${MAX_STATISTICS_GROUPS} groupes : ajoutez des filtres ou retirez des dimensions.`, { field: 'groupBy' });
  }
  const totalRow = rows.find((row) => row.isTotal === true);
  return { groups, total: totalRow ? groupOf(totalRow) : emptyTotal() };
}

/** The filters as MikroORM conditions (parameters, never SQL text). */
function recordCondition(filter: UserStatisticsFilter): FilterQuery<User> {
  const organizationIds = list(filter.organizationIds, 'filter.organizationIds')?.filter(isUuid);
  const kinds = list(filter.organizationKinds, 'filter.organizationKinds');
  const regions = list(filter.administrativeRegions, 'filter.administrativeRegions');
  const statuses = list(filter.statuses, 'filter.statuses');
  const organization = {
    ...(kinds ? { kind: { $in: kinds } } : {}),
    ...(regions ? { administrativeRegion: { $in: regions } } : {}),
  };
  return {
    ...(organizationIds ? { organization: { $in: organizationIds } } : {}),
    ...(statuses ? { status: { $in: statuses } } : {}),
    ...(kinds || regions ? { $and: [{ organization }] } : {}),
  };
}

/** A filter's list: at most MAX_FILTER_VALUES. */
function list<T>(values: readonly T[] | null | undefined, field: string): T[] | undefined {
  if (!values) return undefined;
  if (values.length > MAX_FILTER_VALUES) throw badUserInput(`Au plus ${MAX_FILTER_VALUES} valeurs par filtre.`, { field });
  return [...values];
}

const optionalText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function groupOf(row: Record<string, unknown>): UserStatisticsGroup {
  return {
    organizationKind: (optionalText(row.organizationKind) as OrganizationKind | null) ?? null,
    organizationId: optionalText(row.organizationId),
    status: (optionalText(row.status) as UserStatus | null) ?? null,
    administrativeRegion: optionalText(row.administrativeRegion),
    userCount: Number(row.userCount),
    organizationCount: Number(row.organizationCount),
    rseCount: Number(row.rseCount),
  };
}

/** The total of no user at all (a reader whose scope holds none). */
const emptyTotal = (): UserStatisticsGroup => ({
  organizationKind: null,
  organizationId: null,
  status: null,
  administrativeRegion: null,
  userCount: 0,
  organizationCount: 0,
  rseCount: 0,
});
