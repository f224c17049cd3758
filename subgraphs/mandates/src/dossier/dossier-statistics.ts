import {
  daysOf,
  groupedFigures,
  integerOf,
  quebecDaysCondition,
  joinGeography,
  MRC_DIMENSION,
  REGION_DIMENSION,
  statisticsIdFilter,
  statisticsValueFilter,
  textOf,
  type Geography,
  type StatisticsDimension,
  type StatisticsRow,
} from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier, DossierStatus } from './dossier.entity';

/** What `dossierStatistics` groups by (the schema's DossierStatisticsDimension). */
export type DossierDimension = 'PROGRAM' | 'STATUS' | 'ORGANIZATION' | 'SUBMISSION_YEAR' | 'SUBMISSION_MONTH' | 'ADMINISTRATIVE_REGION' | 'MRC';

export interface DossierStatisticsFilter {
  programIds?: readonly string[] | null;
  statuses?: readonly DossierStatus[] | null;
  organizationIds?: readonly string[] | null;
  /** Québec days (the Date scalar), both included. */
  submittedFrom?: string | null;
  submittedUntil?: string | null;
  administrativeRegions?: readonly string[] | null;
  mrcIds?: readonly string[] | null;
}

/** One group of dossiers, its dimensions (null when not asked for) and its figures. */
export interface DossierStatisticsGroup {
  programId: string | null;
  status: DossierStatus | null;
  organizationId: string | null;
  submissionYear: number | null;
  submissionMonth: string | null;
  administrativeRegion: string | null;
  /** The organization id of the group's MRC. */
  mrcId: string | null;
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

/** How each dimension is read from a dossier (`d`) and its history (`h`), and the group's field it fills. */
const DIMENSIONS: Record<DossierDimension, StatisticsDimension> = {
  PROGRAM: { sql: 'd.service_id', field: 'programId' },
  STATUS: { sql: 'd.status', field: 'status' },
  ORGANIZATION: { sql: 'd.organization_id', field: 'organizationId' },
  // Québec's calendar, as every Date of the API (the instants are timestamptz).
  SUBMISSION_YEAR: { sql: "extract(year from h.submitted_at at time zone 'America/Toronto')::int", field: 'submissionYear' },
  SUBMISSION_MONTH: { sql: "to_char(h.submitted_at at time zone 'America/Toronto', 'YYYY-MM')", field: 'submissionMonth' },
  ADMINISTRATIVE_REGION: REGION_DIMENSION,
  MRC: MRC_DIMENSION,
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

const FIGURES = [
  'count(*)::int as "dossierCount"',
  'coalesce(sum(d.requested_amount), 0)::numeric(16, 2)::text as "requestedAmount"',
  `coalesce(sum(d.requested_amount) filter (where d.status = '${DossierStatus.Accepted}'), 0)::numeric(16, 2)::text as "acceptedAmount"`,
  // `?`: the request's now, which ends the review of the dossiers still in review.
  'percentile_cont(0.5) within group (order by extract(epoch from (coalesce(h.decided_at, ?) - h.review_started_at)) / 86400) ' +
    'filter (where h.review_started_at is not null) as "medianDaysInReview"',
].join(', ');

/**
 * The figures of the dossiers `readable` lets the reader count (policy.ts), grouped by
 * `dimensions` (the kit's groupedFigures: one statement, the groups and the total); `geography`,
 * the Répertoire's regions and MRC, when the question needs them (the kit's geographyFor).
 */
export async function dossierStatistics(
  em: EntityManager,
  readable: FilterQuery<Dossier>,
  dimensions: readonly DossierDimension[],
  filter: DossierStatisticsFilter,
  now: Date,
  geography?: Geography,
): Promise<DossierStatistics> {
  const where: FilterQuery<Dossier> = { $and: [readable, recordCondition(filter)] };
  const scoped = em.createQueryBuilder(Dossier, 'e').select('*').where(where);
  const source = em.getKnex().from(scoped.as('d')).joinRaw(HISTORY);
  const submitted = quebecDaysCondition('h.submitted_at', { from: filter.submittedFrom, until: filter.submittedUntil }, 'filter.submittedUntil');
  if (submitted) source.whereRaw(submitted.sql, submitted.bindings);
  joinGeography(source, 'd.organization_id', geography, filter);
  const { groups, total } = await groupedFigures(em, source, dimensions.map((dimension) => DIMENSIONS[dimension]), FIGURES, [now]);
  return { groups: groups.map(groupOf), total: groupOf(total) };
}

/** The filters on the dossier's own columns, as MikroORM conditions (parameters, never SQL text). */
function recordCondition(filter: DossierStatisticsFilter): FilterQuery<Dossier> {
  const programIds = statisticsIdFilter(filter.programIds, 'filter.programIds');
  const organizationIds = statisticsIdFilter(filter.organizationIds, 'filter.organizationIds');
  const statuses = statisticsValueFilter(filter.statuses, 'filter.statuses');
  return {
    ...(programIds ? { serviceId: { $in: programIds } } : {}),
    ...(organizationIds ? { organizationId: { $in: organizationIds } } : {}),
    ...(statuses ? { status: { $in: statuses } } : {}),
  };
}

function groupOf(row: StatisticsRow): DossierStatisticsGroup {
  return {
    programId: textOf(row.programId),
    status: textOf(row.status) as DossierStatus | null,
    organizationId: textOf(row.organizationId),
    submissionYear: integerOf(row.submissionYear),
    submissionMonth: textOf(row.submissionMonth),
    administrativeRegion: textOf(row.administrativeRegion),
    mrcId: textOf(row.mrcId),
    dossierCount: integerOf(row.dossierCount) ?? 0,
    requestedAmount: textOf(row.requestedAmount) ?? '0.00',
    acceptedAmount: textOf(row.acceptedAmount) ?? '0.00',
    medianDaysInReview: daysOf(row.medianDaysInReview),
  };
}
