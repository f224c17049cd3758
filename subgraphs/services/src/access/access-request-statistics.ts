import { badUserInput, isUuid } from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessRequest, type AccessRequestKind } from './access.entity';

/** What `accessRequestStatistics` groups by (the schema's AccessRequestStatisticsDimension). */
export type AccessRequestDimension = 'SERVICE' | 'KIND' | 'ORGANIZATION';

export interface AccessRequestStatisticsFilter {
  serviceIds?: readonly string[] | null;
  kinds?: readonly AccessRequestKind[] | null;
  organizationIds?: readonly string[] | null;
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

/** The most groups an answer holds: beyond, the reader narrows the question. */
export const MAX_STATISTICS_GROUPS = 1_000;
/** The most values a filter's list holds. */
const MAX_FILTER_VALUES = 100;

/** How each dimension is read from a request (`r`), and the group's field it fills. */
const DIMENSIONS: Record<AccessRequestDimension, { sql: string; field: keyof AccessRequestStatisticsGroup }> = {
  SERVICE: { sql: 'r.service_id', field: 'serviceId' },
  KIND: { sql: 'r.kind', field: 'kind' },
  ORGANIZATION: { sql: 'r.organization_id', field: 'organizationId' },
};

/**
 * The figures of the pending requests `readable` lets the reader count (policy.ts,
 * accessRequestStatisticsCondition), grouped by `dimensions`, in one statement: the groups and the
 * total together (grouping sets), at most MAX_STATISTICS_GROUPS groups. A request's age runs from
 * its creation to `now` (the request's clock).
 */
export async function accessRequestStatistics(
  em: EntityManager,
  readable: FilterQuery<AccessRequest>,
  dimensions: readonly AccessRequestDimension[],
  filter: AccessRequestStatisticsFilter,
  now: Date,
): Promise<AccessRequestStatistics> {
  if (new Set(dimensions).size !== dimensions.length) throw badUserInput('Chaque dimension ne peut être demandée qu’une fois.', { field: 'groupBy' });
  const where: FilterQuery<AccessRequest> = { $and: [readable, recordCondition(filter)] };
  const knex = em.getKnex();
  const scoped = em.createQueryBuilder(AccessRequest, 'e').select('e.*').where(where);
  const dimensionSql = dimensions.map((dimension) => DIMENSIONS[dimension].sql);
  const age = 'extract(epoch from (?::timestamptz - r.created_at)) / 86400';
  const query = knex
    .select(
      knex.raw(
        [
          ...dimensions.map((dimension) => `${DIMENSIONS[dimension].sql} as "${DIMENSIONS[dimension].field}"`),
          `${dimensionSql.length > 0 ? `grouping(${dimensionSql.join(', ')}) <> 0` : 'true'} as "isTotal"`,
          'count(*)::int as "pendingCount"',
          `percentile_cont(0.5) within group (order by ${age}) as "medianAgeDays"`,
          `max(${age}) as "oldestAgeDays"`,
        ].join(', '),
        [now, now],
      ),
    )
    .from(scoped.as('r'));
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

/** The filters on the request's own columns, as MikroORM conditions (parameters, never SQL text). */
function recordCondition(filter: AccessRequestStatisticsFilter): FilterQuery<AccessRequest> {
  const serviceIds = idList(filter.serviceIds, 'filter.serviceIds');
  const organizationIds = idList(filter.organizationIds, 'filter.organizationIds');
  if (filter.kinds && filter.kinds.length > MAX_FILTER_VALUES) throw badUserInput(`Au plus ${MAX_FILTER_VALUES} valeurs par filtre.`, { field: 'filter.kinds' });
  return {
    ...(serviceIds ? { service: { $in: serviceIds } } : {}),
    ...(organizationIds ? { organizationId: { $in: organizationIds } } : {}),
    ...(filter.kinds ? { kind: { $in: [...filter.kinds] } } : {}),
  };
}

/** A filter's list of ids: at most MAX_FILTER_VALUES; an id that is no UUID matches no request. */
function idList(ids: readonly string[] | null | undefined, field: string): string[] | undefined {
  if (!ids) return undefined;
  if (ids.length > MAX_FILTER_VALUES) throw badUserInput(`Au plus ${MAX_FILTER_VALUES} valeurs par filtre.`, { field });
  return ids.filter(isUuid);
}

/** Two decimals of a day (about a quarter of an hour): an age, not a timestamp. */
const days = (value: unknown): number | null => (value === null || value === undefined ? null : Math.round(Number(value) * 100) / 100);

const optionalText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function groupOf(row: Record<string, unknown>): AccessRequestStatisticsGroup {
  return {
    serviceId: optionalText(row.serviceId),
    kind: (optionalText(row.kind) as AccessRequestKind | null) ?? null,
    organizationId: optionalText(row.organizationId),
    pendingCount: Number(row.pendingCount),
    medianAgeDays: days(row.medianAgeDays),
    oldestAgeDays: days(row.oldestAgeDays),
  };
}

/** The total of no request at all (a reader whose scope holds none). */
const emptyTotal = (): AccessRequestStatisticsGroup => ({
  serviceId: null,
  kind: null,
  organizationId: null,
  pendingCount: 0,
  medianAgeDays: null,
  oldestAgeDays: null,
});
