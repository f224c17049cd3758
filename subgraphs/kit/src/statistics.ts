import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { badUserInput } from './errors';
import type { Directory, Geography } from './auth/directory-client';
import { isUuid } from './loaders';

/*
 * The shape every figures query of the API shares (issue 18: `dossierStatistics`,
 * `financialReportStatistics`…): the figures of the records a reader may count, one group per
 * combination of the dimensions asked and the total, in one statement (GROUPING SETS), at most
 * MAX_STATISTICS_GROUPS groups. Which records a reader counts is each subgraph's policy; which
 * figures, each query's.
 */

/** The most groups an answer holds: beyond, the reader narrows the question. */
export const MAX_STATISTICS_GROUPS = 1_000;
/** The most values one of a filter's lists holds. */
export const MAX_STATISTICS_FILTER_VALUES = 100;

/** A dimension: how the source's rows give its value, and the name of the group's field it fills. */
export interface StatisticsDimension {
  sql: string;
  field: string;
}

export type StatisticsRow = Record<string, unknown>;

/**
 * The groups and the total of `source` (a query with its FROM, joins and conditions, not yet its
 * SELECT), grouped by `dimensions` in the order asked (each sorted, nulls last), with the figures
 * `figures` selects (with its `bindings`). A dimension asked twice, or more than
 * MAX_STATISTICS_GROUPS groups, is BAD_USER_INPUT on `groupBy`.
 */
export async function groupedFigures(
  em: EntityManager,
  source: Knex.QueryBuilder,
  dimensions: readonly StatisticsDimension[],
  figures: string,
  bindings: readonly Knex.RawBinding[],
): Promise<{ groups: StatisticsRow[]; total: StatisticsRow }> {
  if (new Set(dimensions.map((dimension) => dimension.field)).size !== dimensions.length) {
    throw badUserInput('Chaque dimension ne peut être demandée qu’une fois.', { field: 'groupBy' });
  }
  const knex = em.getKnex();
  const expressions = dimensions.map((dimension) => dimension.sql);
  const query = source.select(
    knex.raw(
      [
        ...dimensions.map((dimension) => `${dimension.sql} as "${dimension.field}"`),
        `${expressions.length > 0 ? `grouping(${expressions.join(', ')}) <> 0` : 'true'} as "isTotal"`,
        figures,
      ].join(', '),
      [...bindings],
    ),
  );
  if (expressions.length > 0) {
    query
      .groupByRaw(`grouping sets ((${expressions.join(', ')}), ())`)
      .orderByRaw(`"isTotal", ${expressions.map((sql) => `${sql} nulls last`).join(', ')}`)
      // The groups, the total, and one more to tell that there are too many.
      .limit(MAX_STATISTICS_GROUPS + 2);
  }
  const rows = await em.execute<StatisticsRow[]>(query);
  const groups = rows.filter((row) => row.isTotal !== true);
  if (groups.length > MAX_STATISTICS_GROUPS) {
    throw badUserInput(`Plus de ${MAX_STATISTICS_GROUPS} groupes : ajoutez des filtres ou retirez des dimensions.`, { field: 'groupBy' });
  }
  // A total over no group at all still has its row (the empty grouping set); no row only without dimensions and rows.
  return { groups, total: rows.find((row) => row.isTotal === true) ?? {} };
}

/** A filter's list of ids: at most MAX_STATISTICS_FILTER_VALUES; an id that is no UUID matches nothing. */
export function statisticsIdFilter(ids: readonly string[] | null | undefined, field: string): string[] | undefined {
  return statisticsValueFilter(ids, field)?.filter(isUuid);
}

/** A filter's list of values: at most MAX_STATISTICS_FILTER_VALUES. */
export function statisticsValueFilter<T>(values: readonly T[] | null | undefined, field: string): T[] | undefined {
  if (!values) return undefined;
  if (values.length > MAX_STATISTICS_FILTER_VALUES) throw badUserInput(`Au plus ${MAX_STATISTICS_FILTER_VALUES} valeurs par filtre.`, { field });
  return [...values];
}

/**
 * A period of Québec days, both included, on the instants of `column` (timestamptz SQL), as a
 * condition with its parameters, or undefined when neither end is given. `field` names the end
 * at fault of a period that ends before it starts (BAD_USER_INPUT).
 */
export function quebecDaysCondition(
  column: string,
  period: { from?: string | null; until?: string | null },
  field: string,
): { sql: string; bindings: string[] } | undefined {
  if (period.from && period.until && period.from > period.until) throw badUserInput('La fin de la période doit suivre son début.', { field });
  const conditions: string[] = [];
  const bindings: string[] = [];
  if (period.from) {
    conditions.push(`(${column} at time zone 'America/Toronto')::date >= ?::date`);
    bindings.push(period.from);
  }
  if (period.until) {
    conditions.push(`(${column} at time zone 'America/Toronto')::date <= ?::date`);
    bindings.push(period.until);
  }
  return conditions.length > 0 ? { sql: conditions.join(' and '), bindings } : undefined;
}

/** The group's field of the administrative-region dimension, read from joinGeography's `g`. */
export const REGION_DIMENSION: StatisticsDimension = { sql: 'g.region', field: 'administrativeRegion' };

/** The group's field of the MRC dimension (the MRC's organization id), read from joinGeography's `g`. */
export const MRC_DIMENSION: StatisticsDimension = { sql: 'g.mrc_id', field: 'mrcId' };

/** A question's geography filters, the lists the schema's `administrativeRegions` and `mrcIds` carry. */
export interface GeographyFilter {
  administrativeRegions?: readonly string[] | null;
  mrcIds?: readonly string[] | null;
}

/**
 * The Répertoire's geography (identity's directory) when the question needs it, by a dimension
 * (ADMINISTRATIVE_REGION, MRC) or a filter, once per question; undefined otherwise, and identity
 * is not asked.
 */
export function geographyFor(directory: Directory, dimensions: readonly string[], filter: GeographyFilter): Promise<Geography> | undefined {
  const needed = dimensions.includes('ADMINISTRATIVE_REGION') || dimensions.includes('MRC') || filter.administrativeRegions || filter.mrcIds;
  return needed ? directory.geography() : undefined;
}

/**
 * Joins the Répertoire's `geography` on the organization of each row (`organizationColumn`), as
 * `g.region` and `g.mrc_id` (null for an organization that is no municipal body, or outside any
 * MRC), and keeps the rows of the filter's regions and MRC when it names some. One parameter, the
 * geography as JSON: the figures stay one statement. Nothing to do without geography.
 */
export function joinGeography(source: Knex.QueryBuilder, organizationColumn: string, geography: Geography | undefined, filter: GeographyFilter): void {
  if (!geography) return;
  source.joinRaw(
    `left join jsonb_to_recordset(?::jsonb) as g(organization_id uuid, region text, mrc_id uuid) on g.organization_id = ${organizationColumn}`,
    [geographyRecordset(geography)],
  );
  const regions = statisticsValueFilter(filter.administrativeRegions, 'filter.administrativeRegions');
  if (regions) source.whereIn('g.region', regions);
  const mrcIds = statisticsIdFilter(filter.mrcIds, 'filter.mrcIds');
  if (mrcIds) source.whereIn('g.mrc_id', mrcIds);
}

/** The geography as joinGeography's one parameter: the rows of its `g` recordset, as JSON. */
export function geographyRecordset(geography: Geography): string {
  const rows = [...geography].map(([organizationId, body]) => ({
    organization_id: organizationId,
    region: body.administrativeRegion,
    // Identity's ids are UUIDs; anything else would fail the whole statement's cast, so it is no MRC.
    mrc_id: body.mrcId && isUuid(body.mrcId) ? body.mrcId : null,
  }));
  return JSON.stringify(rows);
}

/** A row's text column, or null. */
export const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A row's integer column (count, year…), or null. */
export const integerOf = (value: unknown): number | null => (typeof value === 'number' || typeof value === 'string' ? Number(value) : null);

/** A median of days, to two decimals of a day (about a quarter of an hour), or null. */
export const daysOf = (value: unknown): number | null => (typeof value === 'number' || typeof value === 'string' ? Math.round(Number(value) * 100) / 100 : null);
