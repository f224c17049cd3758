import {
  quebecDaysCondition,
  daysOf,
  groupedFigures,
  integerOf,
  statisticsIdFilter,
  statisticsValueFilter,
  textOf,
  type StatisticsDimension,
  type StatisticsRow,
} from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessRequest, type AccessRequestKind } from './access.entity';

/** What `accessRequestStatistics` groups by (the schema's AccessRequestStatisticsDimension). */
export type AccessRequestDimension = 'SERVICE' | 'KIND' | 'ORGANIZATION';

export interface AccessRequestStatisticsFilter {
  serviceIds?: readonly string[] | null;
  kinds?: readonly AccessRequestKind[] | null;
  organizationIds?: readonly string[] | null;
  /** Québec days (the Date scalar), both included. */
  createdFrom?: string | null;
  createdUntil?: string | null;
}

/** One group of pending requests, its dimensions (null when not asked for) and its figures. */
export interface AccessRequestStatisticsGroup {
  serviceId: string | null;
  kind: AccessRequestKind | null;
  organizationId: string | null;
  pendingCount: number;
  /** Days from the request's creation to now, two decimals; null for no request at all. */
  medianAgeDays: number | null;
  oldestAgeDays: number | null;
}

export interface AccessRequestStatistics {
  groups: AccessRequestStatisticsGroup[];
  total: AccessRequestStatisticsGroup;
}

/** How each dimension is read from a request (`r`), and the group's field it fills. */
const DIMENSIONS: Record<AccessRequestDimension, StatisticsDimension> = {
  SERVICE: { sql: 'r.service_id', field: 'serviceId' },
  KIND: { sql: 'r.kind', field: 'kind' },
  ORGANIZATION: { sql: 'r.organization_id', field: 'organizationId' },
};

/** A request's age in days, from its creation to the instant bound in its place. */
const AGE = 'extract(epoch from (?::timestamptz - r.created_at)) / 86400';

const FIGURES = [
  'count(*)::int as "pendingCount"',
  `percentile_cont(0.5) within group (order by ${AGE}) as "medianAgeDays"`,
  `max(${AGE}) as "oldestAgeDays"`,
].join(', ');

/**
 * The figures of the pending requests `readable` lets the reader count (policy.ts,
 * accessRequestStatisticsCondition), grouped by `dimensions` (the kit's groupedFigures: one
 * statement, the groups and the total). A request's age runs from its creation to `now` (the
 * request's clock).
 */
export async function accessRequestStatistics(
  em: EntityManager,
  readable: FilterQuery<AccessRequest>,
  dimensions: readonly AccessRequestDimension[],
  filter: AccessRequestStatisticsFilter,
  now: Date,
): Promise<AccessRequestStatistics> {
  const where: FilterQuery<AccessRequest> = { $and: [readable, recordCondition(filter)] };
  const scoped = em.createQueryBuilder(AccessRequest, 'e').select('*').where(where);
  const source = em.getKnex().from(scoped.as('r'));
  const created = quebecDaysCondition('r.created_at', { from: filter.createdFrom, until: filter.createdUntil }, 'filter.createdUntil');
  if (created) source.whereRaw(created.sql, created.bindings);
  const { groups, total } = await groupedFigures(em, source, dimensions.map((dimension) => DIMENSIONS[dimension]), FIGURES, [now, now]);
  return { groups: groups.map(groupOf), total: groupOf(total) };
}

/** The filters on the request's own columns, as MikroORM conditions (parameters, never SQL text). */
function recordCondition(filter: AccessRequestStatisticsFilter): FilterQuery<AccessRequest> {
  const serviceIds = statisticsIdFilter(filter.serviceIds, 'filter.serviceIds');
  const organizationIds = statisticsIdFilter(filter.organizationIds, 'filter.organizationIds');
  const kinds = statisticsValueFilter(filter.kinds, 'filter.kinds');
  return {
    ...(serviceIds ? { service: { $in: serviceIds } } : {}),
    ...(organizationIds ? { organizationId: { $in: organizationIds } } : {}),
    ...(kinds ? { kind: { $in: kinds } } : {}),
  };
}

/** A group from its row; the total of no request at all has zeros and nulls. */
function groupOf(row: StatisticsRow): AccessRequestStatisticsGroup {
  return {
    serviceId: textOf(row.serviceId),
    kind: (textOf(row.kind) as AccessRequestKind | null) ?? null,
    organizationId: textOf(row.organizationId),
    pendingCount: integerOf(row.pendingCount) ?? 0,
    medianAgeDays: daysOf(row.medianAgeDays),
    oldestAgeDays: daysOf(row.oldestAgeDays),
  };
}
