import {
  daysOf,
  groupedFigures,
  integerOf,
  joinGeography,
  MRC_DIMENSION,
  quebecDay,
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
import { FinancialReport, type FinancialReportStatus } from './financial-report.entity';

/** What `financialReportStatistics` groups by (the schema's FinancialReportStatisticsDimension). */
export type ReportDimension = 'ORGANIZATION' | 'FISCAL_YEAR' | 'STATUS' | 'LATE' | 'ADMINISTRATIVE_REGION' | 'MRC';

export interface ReportStatisticsFilter {
  organizationIds?: readonly string[] | null;
  fiscalYears?: readonly number[] | null;
  statuses?: readonly FinancialReportStatus[] | null;
  late?: boolean | null;
  administrativeRegions?: readonly string[] | null;
  mrcIds?: readonly string[] | null;
}

/** One group of reports, its dimensions (null when not asked for) and its figures. */
export interface ReportStatisticsGroup {
  organizationId: string | null;
  fiscalYear: number | null;
  status: FinancialReportStatus | null;
  late: boolean | null;
  administrativeRegion: string | null;
  /** The organization id of the group's MRC. */
  mrcId: string | null;
  reportCount: number;
  transmittedCount: number;
  lateCount: number;
  medianDaysLate: number | null;
}

export interface ReportStatistics {
  groups: ReportStatisticsGroup[];
  total: ReportStatisticsGroup;
}

const DIMENSIONS: Record<ReportDimension, StatisticsDimension> = {
  ORGANIZATION: { sql: 'r.organization_id', field: 'organizationId' },
  FISCAL_YEAR: { sql: 'r.fiscal_year::int', field: 'fiscalYear' },
  STATUS: { sql: 'r.status', field: 'status' },
  LATE: { sql: 'f.late', field: 'late' },
  ADMINISTRATIVE_REGION: REGION_DIMENSION,
  MRC: MRC_DIMENSION,
};

/**
 * R18, as report.rules.ts's isLate says it, in SQL: the deadline is 30 June of the following year;
 * late when first transmitted after it (Québec calendar days), or never transmitted and it is past
 * today in Québec (`?`, the request's today). Days late: to the first transmission, else to today.
 */
const LATENESS = `cross join lateral (
  select make_date(r.fiscal_year + 1, 6, 30) as deadline,
         (r.first_transmitted_at at time zone 'America/Toronto')::date as transmitted_on
) d
cross join lateral (
  select coalesce(d.transmitted_on, ?::date) > d.deadline as late,
         coalesce(d.transmitted_on, ?::date) - d.deadline as days_late
) f`;

const FIGURES = [
  'count(*)::int as "reportCount"',
  'count(*) filter (where r.first_transmitted_at is not null)::int as "transmittedCount"',
  'count(*) filter (where f.late)::int as "lateCount"',
  'percentile_cont(0.5) within group (order by f.days_late) filter (where f.late) as "medianDaysLate"',
].join(', ');

/**
 * The figures of the reports `readable` lets the reader count (policy.ts), grouped by
 * `dimensions`: one statement; `geography`, the Répertoire's regions and MRC, when the question
 * needs them.
 */
export async function reportStatistics(
  em: EntityManager,
  readable: FilterQuery<FinancialReport>,
  dimensions: readonly ReportDimension[],
  filter: ReportStatisticsFilter,
  now: Date,
  geography?: Geography,
): Promise<ReportStatistics> {
  const organizationIds = statisticsIdFilter(filter.organizationIds, 'filter.organizationIds');
  const fiscalYears = statisticsValueFilter(filter.fiscalYears, 'filter.fiscalYears');
  const statuses = statisticsValueFilter(filter.statuses, 'filter.statuses');
  const where: FilterQuery<FinancialReport> = {
    $and: [
      readable,
      {
        ...(organizationIds ? { organizationId: { $in: organizationIds } } : {}),
        ...(fiscalYears ? { fiscalYear: { $in: fiscalYears } } : {}),
        ...(statuses ? { status: { $in: statuses } } : {}),
      },
    ],
  };
  const today = quebecDay(now);
  const scoped = em.createQueryBuilder(FinancialReport, 'e').select('*').where(where);
  const source = em.getKnex().from(scoped.as('r')).joinRaw(LATENESS, [today, today]);
  if (typeof filter.late === 'boolean') source.whereRaw('f.late = ?', [filter.late]);
  joinGeography(source, 'r.organization_id', geography, filter);
  const { groups, total } = await groupedFigures(em, source, dimensions.map((dimension) => DIMENSIONS[dimension]), FIGURES, []);
  return { groups: groups.map(groupOf), total: groupOf(total) };
}

function groupOf(row: StatisticsRow): ReportStatisticsGroup {
  return {
    organizationId: textOf(row.organizationId),
    fiscalYear: integerOf(row.fiscalYear),
    status: textOf(row.status) as FinancialReportStatus | null,
    late: typeof row.late === 'boolean' ? row.late : null,
    administrativeRegion: textOf(row.administrativeRegion),
    mrcId: textOf(row.mrcId),
    reportCount: integerOf(row.reportCount) ?? 0,
    transmittedCount: integerOf(row.transmittedCount) ?? 0,
    lateCount: integerOf(row.lateCount) ?? 0,
    medianDaysLate: daysOf(row.medianDaysLate),
  };
}
