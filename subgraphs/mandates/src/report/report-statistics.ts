import {
  badUserInput,
  daysOf,
  geographyFor,
  groupedFigures,
  integerOf,
  joinGeography,
  MRC_DIMENSION,
  quebecDay,
  REGION_DIMENSION,
  statisticsIdFilter,
  statisticsValueFilter,
  textOf,
  type Directory,
  type Geography,
  type StatisticsDimension,
  type StatisticsRow,
} from '@pgamr/kit';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { ReportStatisticsScope } from '../policy';
import type { FinancialReportStatus } from './financial-report.entity';

/** What `financialReportStatistics` groups by (the schema's FinancialReportStatisticsDimension). */
export type ReportDimension = 'ORGANIZATION' | 'FISCAL_YEAR' | 'STATUS' | 'LATE' | 'ADMINISTRATIVE_REGION' | 'MRC';

export interface ReportStatisticsFilter {
  organizationIds?: readonly string[] | null;
  fiscalYears?: readonly number[] | null;
  statuses?: readonly FinancialReportStatus[] | null;
  late?: boolean | null;
  administrativeRegions?: readonly string[] | null;
  mrcIds?: readonly string[] | null;
  /** R18: also count, for each of `fiscalYears`, the bodies that have not opened their report. */
  countMissingReports?: boolean | null;
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
  /** Null unless the question counts missing reports. */
  missingCount: number | null;
  transmittedCount: number;
  lateCount: number;
  medianDaysLate: number | null;
}

export interface ReportStatistics {
  groups: ReportStatisticsGroup[];
  total: ReportStatisticsGroup;
}

/**
 * How each dimension is read from an obligation (`o`: a body's report for a fiscal year, the
 * report's columns null when it is missing) and its lateness (`f`).
 */
const DIMENSIONS: Record<ReportDimension, StatisticsDimension> = {
  ORGANIZATION: { sql: 'o.organization_id', field: 'organizationId' },
  FISCAL_YEAR: { sql: 'o.fiscal_year::int', field: 'fiscalYear' },
  STATUS: { sql: 'o.status', field: 'status' },
  LATE: { sql: 'f.late', field: 'late' },
  ADMINISTRATIVE_REGION: REGION_DIMENSION,
  MRC: MRC_DIMENSION,
};

/**
 * R18, as report.rules.ts's isLate says it, in SQL: the deadline is 30 June of the following year;
 * late when first transmitted after it (Québec calendar days), or never transmitted (a missing
 * report included) and it is past today in Québec (`?`, the request's today). Days late: to the
 * first transmission, else to today.
 */
const LATENESS = `cross join lateral (
  select make_date(o.fiscal_year + 1, 6, 30) as deadline,
         (o.first_transmitted_at at time zone 'America/Toronto')::date as transmitted_on
) d
cross join lateral (
  select coalesce(d.transmitted_on, ?::date) > d.deadline as late,
         coalesce(d.transmitted_on, ?::date) - d.deadline as days_late
) f`;

const FIGURES = (countsMissing: boolean) =>
  [
    'count(o.report_id)::int as "reportCount"',
    `${countsMissing ? 'count(*) filter (where o.report_id is null)::int' : 'null::int'} as "missingCount"`,
    'count(*) filter (where o.first_transmitted_at is not null)::int as "transmittedCount"',
    'count(*) filter (where f.late)::int as "lateCount"',
    'percentile_cont(0.5) within group (order by f.days_late) filter (where f.late) as "medianDaysLate"',
  ].join(', ');

/** An obligation's report columns, null for a missing report. */
const REPORT_COLUMNS = ['r.id as report_id', 'r.status', 'r.first_transmitted_at'];

/**
 * The Répertoire's geography when the question needs it: by region or MRC (the kit's
 * geographyFor), or for the bodies that owe a report; undefined otherwise, and identity is not asked.
 */
export const reportGeographyFor = (directory: Directory, dimensions: readonly ReportDimension[], filter: ReportStatisticsFilter): Promise<Geography> | undefined =>
  geographyFor(directory, dimensions, filter) ?? (filter.countMissingReports ? directory.geography() : undefined);

/**
 * The figures of the reports `scope` lets the reader count (policy.ts), grouped by `dimensions`:
 * one statement. `geography`, the Répertoire's bodies with their region and MRC, when the
 * question needs it (reportGeographyFor). Counting missing reports, the rows are every body of the
 * scope that the Répertoire lists, for each fiscal year asked, with its report if it has one.
 */
export async function reportStatistics(
  em: EntityManager,
  scope: ReportStatisticsScope,
  dimensions: readonly ReportDimension[],
  filter: ReportStatisticsFilter,
  now: Date,
  geography?: Geography,
): Promise<ReportStatistics> {
  const organizationIds = statisticsIdFilter(filter.organizationIds, 'filter.organizationIds');
  const fiscalYears = statisticsValueFilter(filter.fiscalYears, 'filter.fiscalYears');
  const statuses = statisticsValueFilter(filter.statuses, 'filter.statuses');
  const countsMissing = !!filter.countMissingReports;
  const knex = em.getKnex();
  let obligations: Knex.QueryBuilder;
  if (countsMissing) {
    if (!fiscalYears || fiscalYears.length === 0 || !geography) {
      throw badUserInput('Pour compter les rapports manquants, nommez les exercices visés dans `fiscalYears`.', { field: 'filter.fiscalYears' });
    }
    const bodies = [...geography.keys()].filter((id) => scope.everyBody || scope.organizationIds.includes(id));
    obligations = knex
      .select(knex.raw('o_body.organization_id::uuid as organization_id'), 'o_year.fiscal_year', ...REPORT_COLUMNS)
      .from(knex.raw('jsonb_array_elements_text(?::jsonb) as o_body(organization_id) cross join unnest(?::int[]) as o_year(fiscal_year)', [
        JSON.stringify(bodies),
        `{${fiscalYears.map((year) => Math.trunc(year)).join(',')}}`,
      ]))
      .leftJoin('financial_report as r', (join) => {
        join.on('r.organization_id', '=', knex.raw('o_body.organization_id::uuid')).andOn('r.fiscal_year', '=', 'o_year.fiscal_year');
      });
    if (organizationIds) obligations.whereIn('o_body.organization_id', organizationIds);
  } else {
    obligations = knex.select('r.organization_id', 'r.fiscal_year', ...REPORT_COLUMNS).from('financial_report as r');
    if (!scope.everyBody) obligations.whereIn('r.organization_id', [...scope.organizationIds]);
    if (organizationIds) obligations.whereIn('r.organization_id', organizationIds);
    if (fiscalYears) obligations.whereIn('r.fiscal_year', fiscalYears);
  }
  if (statuses) obligations.whereIn('r.status', statuses);
  const today = quebecDay(now);
  const source = knex.from(obligations.as('o')).joinRaw(LATENESS, [today, today]);
  if (typeof filter.late === 'boolean') source.whereRaw('f.late = ?', [filter.late]);
  const byGeography = dimensions.includes('ADMINISTRATIVE_REGION') || dimensions.includes('MRC') || !!filter.administrativeRegions || !!filter.mrcIds;
  joinGeography(source, 'o.organization_id', byGeography ? geography : undefined, filter);
  const { groups, total } = await groupedFigures(em, source, dimensions.map((dimension) => DIMENSIONS[dimension]), FIGURES(countsMissing), []);
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
    missingCount: integerOf(row.missingCount),
    transmittedCount: integerOf(row.transmittedCount) ?? 0,
    lateCount: integerOf(row.lateCount) ?? 0,
    medianDaysLate: daysOf(row.medianDaysLate),
  };
}
