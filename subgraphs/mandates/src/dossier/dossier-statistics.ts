import { badUserInput, isUuid } from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier, DossierStatus } from './dossier.entity';

/** What `dossierStatistics` groups by (the schema's DossierStatisticsDimension). */
export type DossierDimension = 'PROGRAM' | 'STATUS' | 'ORGANIZATION' | 'SUBMISSION_YEAR' | 'SUBMISSION_MONTH';

export interface DossierStatisticsFilter {
  programIds?: readonly string[] | null;
  statuses?: readonly DossierStatus[] | null;
  organizationIds?: readonly string[] | null;
  /** Québec days (the Date scalar), both included. */
  submittedFrom?: string | null;
  submittedUntil?: string | null;
}

/** One group of dossiers, its dimensions (null when not asked for) and its figures. */
export interface DossierStatisticsGroup {
  programId: string | null;
  status: DossierStatus | null;
  organizationId: string | null;
  submissionYear: number | null;
  submissionMonth: string | null;
  dossierCount: number;
  /** Exact sums, as PostgreSQL's numeric prints them with two decimals. */
  requestedAmount: string;
  acceptedAmount: string;
  medianDaysInReview: number | null;
}

export interface DossierStatistics {
  groups: DossierStatisticsGroup[];
  total: DossierStatisticsGroup;
}

/** The most groups an answer holds: beyond, the reader narrows the question. */
export const MAX_STATISTICS_GROUPS = 1_000;
/** The most values a filter's list holds. */
const MAX_FILTER_VALUES = 100;

/** How each dimension is read from a dossier (`d`) and its history (`h`), and the group's field it fills. */
const DIMENSIONS: Record<DossierDimension, { sql: string; field: keyof DossierStatisticsGroup }> = {
  PROGRAM: { sql: 'd.service_id', field: 'programId' },
  STATUS: { sql: 'd.status', field: 'status' },
  ORGANIZATION: { sql: 'd.organization_id', field: 'organizationId' },
  // Québec's calendar, as every Date of the API (the instants are timestamptz).
  SUBMISSION_YEAR: { sql: "extract(year from h.submitted_at at time zone 'America/Toronto')::int", field: 'submissionYear' },
  SUBMISSION_MONTH: { sql: "to_char(h.submitted_at at time zone 'America/Toronto', 'YYYY-MM')", field: 'submissionMonth' },
};

/**
 * A dossier's history in one row: when it was first submitted, put in review and decided (R17),
 * read from its status changes through their (dossier, changed_at) index: the history is the
 * record of these instants, kept in the same transaction as each change (R21).
 */
const HISTORY = `left join lateral (
  select min(c.changed_at) filter (where c.to_status = 'SUBMITTED') as submitted_at,
         min(c.changed_at) filter (where c.to_status = 'IN_REVIEW') as review_started_at,
         min(c.changed_at) filter (where c.to_status in ('ACCEPTED', 'REFUSED')) as decided_at
    from dossier_status_change c
   where c.dossier_id = d.id
) h on true`;

/**
 * The figures of the dossiers `readable` lets the reader count (policy.ts), grouped by
 * `dimensions`, in one statement: the groups and the total together (grouping sets), at most
 * MAX_STATISTICS_GROUPS groups. `now` ends the review of dossiers still in review.
 */
export async function dossierStatistics(
  em: EntityManager,
  readable: FilterQuery<Dossier>,
  dimensions: readonly DossierDimension[],
  filter: DossierStatisticsFilter,
  now: Date,
): Promise<DossierStatistics> {
  if (new Set(dimensions).size !== dimensions.length) throw badUserInput('Chaque dimension ne peut être demandée qu’une fois.', { field: 'groupBy' });
  const where: FilterQuery<Dossier> = { $and: [readable, recordCondition(filter)] };
  const knex = em.getKnex();
  const scoped = em.createQueryBuilder(Dossier, 'e').select('*').where(where);
  const dimensionSql = dimensions.map((dimension) => DIMENSIONS[dimension].sql);
  const bindings: string[] = [];
  const submitted = submittedCondition(filter, bindings);
  const query = knex
    .select(
      knex.raw(
        [
          ...dimensions.map((dimension) => `${DIMENSIONS[dimension].sql} as "${DIMENSIONS[dimension].field}"`),
          `${dimensionSql.length > 0 ? `grouping(${dimensionSql.join(', ')}) <> 0` : 'true'} as "isTotal"`,
          'count(*)::int as "dossierCount"',
          'coalesce(sum(d.requested_amount), 0)::numeric(16, 2)::text as "requestedAmount"',
          `coalesce(sum(d.requested_amount) filter (where d.status = '${DossierStatus.Accepted}'), 0)::numeric(16, 2)::text as "acceptedAmount"`,
          'percentile_cont(0.5) within group (order by extract(epoch from (coalesce(h.decided_at, ?) - h.review_started_at)) / 86400) ' +
            'filter (where h.review_started_at is not null) as "medianDaysInReview"',
        ].join(', '),
        [now],
      ),
    )
    .from(scoped.as('d'))
    .joinRaw(HISTORY);
  if (submitted) query.whereRaw(submitted, bindings);
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

/** The filters on the dossier's own columns, as MikroORM conditions (parameters, never SQL text). */
function recordCondition(filter: DossierStatisticsFilter): FilterQuery<Dossier> {
  const programIds = idList(filter.programIds, 'filter.programIds');
  const organizationIds = idList(filter.organizationIds, 'filter.organizationIds');
  return {
    ...(programIds ? { serviceId: { $in: programIds } } : {}),
    ...(organizationIds ? { organizationId: { $in: organizationIds } } : {}),
    ...(filter.statuses ? { status: { $in: [...filter.statuses] } } : {}),
  };
}

/** A filter's list of ids: at most MAX_FILTER_VALUES; an id that is no UUID matches no dossier. */
function idList(ids: readonly string[] | null | undefined, field: string): string[] | undefined {
  if (!ids) return undefined;
  if (ids.length > MAX_FILTER_VALUES) throw badUserInput(`Au plus ${MAX_FILTER_VALUES} valeurs par filtre.`, { field });
  return ids.filter(isUuid);
}

/** The submission days, in Québec's calendar, both included; `bindings` receives the parameters. */
function submittedCondition(filter: DossierStatisticsFilter, bindings: string[]): string | undefined {
  const conditions: string[] = [];
  if (filter.submittedFrom) {
    conditions.push("(h.submitted_at at time zone 'America/Toronto')::date >= ?::date");
    bindings.push(filter.submittedFrom);
  }
  if (filter.submittedUntil) {
    conditions.push("(h.submitted_at at time zone 'America/Toronto')::date <= ?::date");
    bindings.push(filter.submittedUntil);
  }
  if (filter.submittedFrom && filter.submittedUntil && filter.submittedFrom > filter.submittedUntil) {
    throw badUserInput('La fin de la période doit suivre son début.', { field: 'filter.submittedUntil' });
  }
  return conditions.length > 0 ? conditions.join(' and ') : undefined;
}

function groupOf(row: Record<string, unknown>): DossierStatisticsGroup {
  const median = row.medianDaysInReview;
  return {
    programId: optionalText(row.programId),
    status: (optionalText(row.status) as DossierStatus | null) ?? null,
    organizationId: optionalText(row.organizationId),
    submissionYear: row.submissionYear === null || row.submissionYear === undefined ? null : Number(row.submissionYear),
    submissionMonth: optionalText(row.submissionMonth),
    dossierCount: Number(row.dossierCount),
    requestedAmount: optionalText(row.requestedAmount) ?? '0.00',
    acceptedAmount: optionalText(row.acceptedAmount) ?? '0.00',
    // Two decimals of a day (about a quarter of an hour): the median of a duration, not a timestamp.
    medianDaysInReview: median === null || median === undefined ? null : Math.round(Number(median) * 100) / 100,
  };
}

const optionalText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The total of no dossier at all (a reader whose scope holds none). */
const emptyTotal = (): DossierStatisticsGroup => ({
  programId: null,
  status: null,
  organizationId: null,
  submissionYear: null,
  submissionMonth: null,
  dossierCount: 0,
  requestedAmount: '0.00',
  acceptedAmount: '0.00',
  medianDaysInReview: null,
});

