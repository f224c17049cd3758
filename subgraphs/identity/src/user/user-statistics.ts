import { groupedFigures, integerOf, quebecDaysCondition, statisticsIdFilter, statisticsValueFilter, textOf, type StatisticsDimension, type StatisticsRow } from '@pgamr/kit';
import { raw, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrganizationKind } from '../organization/organization.entity';
import { User, type UserStatus } from './user.entity';

/** What `userStatistics` groups by (the schema's UserStatisticsDimension). */
export type UserDimension = 'ORGANIZATION_KIND' | 'ORGANIZATION' | 'STATUS' | 'ADMINISTRATIVE_REGION' | 'CREATION_MONTH' | 'MRC';

export interface UserStatisticsFilter {
  organizationKinds?: readonly OrganizationKind[] | null;
  organizationIds?: readonly string[] | null;
  statuses?: readonly UserStatus[] | null;
  administrativeRegions?: readonly string[] | null;
  /** Québec days (the Date scalar), both included. */
  createdFrom?: string | null;
  createdUntil?: string | null;
  mrcIds?: readonly string[] | null;
}

/** One group of users, its dimensions (null when not asked for) and its figures. */
export interface UserStatisticsGroup {
  organizationKind: OrganizationKind | null;
  organizationId: string | null;
  status: UserStatus | null;
  administrativeRegion: string | null;
  creationMonth: string | null;
  /** The organization id of the group's MRC (R5). */
  mrcId: string | null;
  userCount: number;
  /** Distinct organizations of the users counted. */
  organizationCount: number;
  rseCount: number;
}

export interface UserStatistics {
  groups: UserStatisticsGroup[];
  total: UserStatisticsGroup;
}

/** How each dimension is read from a user (`u`) and their organization (`o`), and the group's field it fills. */
const DIMENSIONS: Record<UserDimension, StatisticsDimension> = {
  ORGANIZATION_KIND: { sql: 'o.kind', field: 'organizationKind' },
  ORGANIZATION: { sql: 'u.organization_id', field: 'organizationId' },
  STATUS: { sql: 'u.status', field: 'status' },
  ADMINISTRATIVE_REGION: { sql: 'o.administrative_region', field: 'administrativeRegion' },
  // Québec's calendar, as every Date of the API (the instants are timestamptz).
  CREATION_MONTH: { sql: "to_char(u.created_at at time zone 'America/Toronto', 'YYYY-MM')", field: 'creationMonth' },
  MRC: { sql: 'o.mrc_id', field: 'mrcId' },
};

const FIGURES = [
  'count(*)::int as "userCount"',
  'count(distinct u.organization_id)::int as "organizationCount"',
  'count(*) filter (where u.is_rse)::int as "rseCount"',
].join(', ');

/**
 * The figures of the users `readable` lets the reader count (policy.ts, userStatisticsCondition),
 * grouped by `dimensions` (the kit's groupedFigures: one statement, the groups and the total).
 */
export async function userStatistics(
  em: EntityManager,
  readable: FilterQuery<User>,
  dimensions: readonly UserDimension[],
  filter: UserStatisticsFilter,
): Promise<UserStatistics> {
  const where: FilterQuery<User> = { $and: [readable, recordCondition(filter)] };
  // Only the user's columns (the foreign key as its column, even when a condition joins the
  // organization in): the organization's are joined once, outside.
  const scoped = em.createQueryBuilder(User, 'e').select(['e.id', raw('e.organization_id'), 'e.status', 'e.isRse', 'e.createdAt']).where(where);
  const source = em.getKnex().from(scoped.as('u')).join('organization as o', 'o.id', 'u.organization_id');
  const created = quebecDaysCondition('u.created_at', { from: filter.createdFrom, until: filter.createdUntil }, 'filter.createdUntil');
  if (created) source.whereRaw(created.sql, created.bindings);
  const { groups, total } = await groupedFigures(em, source, dimensions.map((dimension) => DIMENSIONS[dimension]), FIGURES, []);
  return { groups: groups.map(groupOf), total: groupOf(total) };
}

/** The filters as MikroORM conditions (parameters, never SQL text). */
function recordCondition(filter: UserStatisticsFilter): FilterQuery<User> {
  const organizationIds = statisticsIdFilter(filter.organizationIds, 'filter.organizationIds');
  const kinds = statisticsValueFilter(filter.organizationKinds, 'filter.organizationKinds');
  const regions = statisticsValueFilter(filter.administrativeRegions, 'filter.administrativeRegions');
  const mrcIds = statisticsIdFilter(filter.mrcIds, 'filter.mrcIds');
  const statuses = statisticsValueFilter(filter.statuses, 'filter.statuses');
  const organization = {
    ...(kinds ? { kind: { $in: kinds } } : {}),
    ...(regions ? { administrativeRegion: { $in: regions } } : {}),
    ...(mrcIds ? { mrc: { $in: mrcIds } } : {}),
  };
  return {
    ...(organizationIds ? { organization: { $in: organizationIds } } : {}),
    ...(statuses ? { status: { $in: statuses } } : {}),
    // Apart from the ids' condition on the same relation, so that neither replaces the other.
    ...(kinds || regions || mrcIds ? { $and: [{ organization }] } : {}),
  };
}

/** A group from its row; the total of no user at all has zeros and nulls. */
function groupOf(row: StatisticsRow): UserStatisticsGroup {
  return {
    organizationKind: (textOf(row.organizationKind) as OrganizationKind | null) ?? null,
    organizationId: textOf(row.organizationId),
    status: (textOf(row.status) as UserStatus | null) ?? null,
    administrativeRegion: textOf(row.administrativeRegion),
    creationMonth: textOf(row.creationMonth),
    mrcId: textOf(row.mrcId),
    userCount: integerOf(row.userCount) ?? 0,
    organizationCount: integerOf(row.organizationCount) ?? 0,
    rseCount: integerOf(row.rseCount) ?? 0,
  };
}
