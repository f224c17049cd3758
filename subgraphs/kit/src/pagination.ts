import { Cursor, raw, Utils, type EntityManager, type EntityName, type FilterQuery, type Loaded, type QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import { connectionFromCursor, DEFAULT_PAGE_SIZE, emptyConnection, findConnection, type Connection } from './connection';
import { badUserInput } from './errors';

/** The largest page any list of the product serves. */
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/** A page of a list: the API's connection (nodes, edges, pageInfo, totalCount). */
export type Page<T> = Connection<T>;

/** A list's order: property and direction, ending with a unique property so that cursors are exact. */
export type PageOrder<T> = { [K in keyof T]?: 'asc' | 'desc' };

/** An empty page, for a caller who may read nothing of a list. */
export const emptyPage = <T>(): Page<T> => emptyConnection<T>();

/**
 * The page size asked for, with its cursor's values; bad `first` or `after` are the caller's
 * mistakes and answered as such, before any query.
 */
export function checkPageRequest({ first, after }: PageRequest, defaultSize = DEFAULT_PAGE_SIZE): { size: number; after: unknown[] | null } {
  const size = first ?? defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`Le nombre d'éléments demandé doit être entre 1 et ${MAX_PAGE_SIZE}.`, { field: 'first' });
  }
  if (!after) return { size, after: null };
  try {
    return { size, after: Cursor.decode(after) };
  } catch {
    throw badUserInput('Le curseur de pagination est invalide.', { field: 'after' });
  }
}

/**
 * One page of a list by keyset (MikroORM's cursor over `orderBy`, which must end with a unique
 * column): the latency of page 1,000 is that of page 1; the total is counted only when selected.
 * Bad `first` or `after` are the caller's mistakes and answered as such.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  page: PageRequest,
  defaultSize = DEFAULT_PAGE_SIZE,
): Promise<Page<T>> {
  const { size } = checkPageRequest(page, defaultSize);
  return findConnection(em, entity, where, orderBy, { size, after: page.after });
}

/**
 * The rows that come after a cursor in `order`: the same condition MikroORM builds for
 * `findByCursor` (a leading range the index can use, then the tie-breakers), so that a cursor
 * from `findPage` and one from `findPagesByParent` mean the same thing.
 */
export function afterCursor<T>(order: PageOrder<T>, values: readonly unknown[]): FilterQuery<T> {
  const entries = Object.entries(order);
  if (entries.length !== values.length) throw badUserInput('Le curseur de pagination est invalide.', { field: 'after' });
  // From the last property (strictly after) to the first (after, or equal and after on the rest).
  const condition = entries.reduceRight<Record<string, unknown> | undefined>((rest, [property, direction], index) => {
    const operator = direction === 'desc' ? '$lt' : '$gt';
    const value = values[index];
    if (!rest) return { [property]: { [operator]: value } };
    return { [property]: { [`${operator}e`]: value }, $or: [{ [property]: { [operator]: value } }, rest] };
  }, undefined);
  if (!condition) throw new Error('A page order names at least one property.');
  return condition as FilterQuery<T>;
}

/** The quoted column of an entity's property, for the SQL the query builder does not write. */
export function columnOf<T extends object>(em: SqlEntityManager, entity: EntityName<T>): (property: string) => string {
  const meta = em.getMetadata().get<T>(Utils.className(entity));
  return (property) => {
    const field = meta.props.find((prop) => prop.name === property)?.fieldNames[0];
    if (!field) throw new Error(`${meta.className} has no column for ${property}`);
    return `"${field}"`;
  };
}

/**
 * The first `limit` rows of each parent's list, for every parent at once: one statement, ranked
 * by a window partitioned by `parentProperty`, whatever the number of parents. The rows become
 * managed entities of `em`, like those of `em.find`.
 */
export async function findFirstPerParent<T extends object>(
  em: SqlEntityManager,
  entity: EntityName<T>,
  parentProperty: string,
  parentIds: readonly string[],
  where: FilterQuery<T>,
  order: PageOrder<T>,
  limit: number,
): Promise<Map<string, T[]>> {
  const byParent = new Map<string, T[]>(parentIds.map((id) => [id, []]));
  if (parentIds.length === 0) return byParent;
  const column = columnOf(em, entity);
  const parentColumn = column(parentProperty);
  const ordering = Object.entries(order)
    .map(([property, direction]) => `"e".${column(property)} ${direction === 'desc' ? 'desc' : 'asc'}`)
    .join(', ');
  const ranked = em
    .createQueryBuilder(entity, 'e')
    .select(['*', raw(`row_number() over (partition by "e".${parentColumn} order by ${ordering}) as "page_rank"`)])
    .where({ $and: [where, { [parentProperty]: { $in: [...parentIds] } }] } as FilterQuery<T>);
  const rows = await em.execute<Array<Record<string, unknown>>>(
    em
      .getKnex()
      .select('*')
      .from(ranked.as('ranked'))
      .where('page_rank', '<=', limit)
      .orderByRaw(`${parentColumn}, "page_rank"`),
  );
  const parentField = parentColumn.slice(1, -1);
  for (const { page_rank: _rank, ...row } of rows) {
    byParent.get(String(row[parentField]))?.push(em.map(entity, row as never));
  }
  return byParent;
}

/**
 * One page of each parent's list (its dossiers, its mandates…), for every parent at once: one
 * statement for the ranked rows whatever the number of parents, and, only when some page's total
 * is selected, one grouped count for all of them. Same pages, cursors and counts as `findPage` on
 * each parent in turn; a parent with nothing gets an empty page.
 */
export async function findPagesByParent<T extends object>(
  em: SqlEntityManager,
  entity: EntityName<T>,
  parentProperty: string,
  parentIds: readonly string[],
  where: FilterQuery<T>,
  order: PageOrder<T>,
  page: PageRequest,
  defaultSize = DEFAULT_PAGE_SIZE,
): Promise<Map<string, Page<T>>> {
  const { size, after } = checkPageRequest(page, defaultSize);
  const scoped = after ? ({ $and: [where, afterCursor(order, after)] } as FilterQuery<T>) : where;
  // One more than the page: whether there is a next page, as MikroORM's cursor tells it.
  const rows = await findFirstPerParent(em, entity, parentProperty, parentIds, scoped, order, size + 1);
  // Every parent's total from one grouped count, run the first time any total is selected.
  let totals: Promise<Map<string, number>> | undefined;
  const countOf = (id: string) => async () => (await (totals ??= countPerParent(em, entity, parentProperty, parentIds, where))).get(id) ?? 0;
  const meta = em.getMetadata().get<T>(Utils.className(entity));
  const options = { first: size, orderBy: order, overfetch: true, ...(page.after ? { after: page.after } : {}) };
  return new Map(
    parentIds.map((id) => [id, connectionFromCursor(new Cursor<T>((rows.get(id) ?? []) as Loaded<T>[], 0, options, meta), countOf(id))]),
  );
}

/** How many rows each parent's list holds (the cursor aside): one grouped statement. */
async function countPerParent<T extends object>(
  em: SqlEntityManager,
  entity: EntityName<T>,
  parentProperty: string,
  parentIds: readonly string[],
  where: FilterQuery<T>,
): Promise<Map<string, number>> {
  if (parentIds.length === 0) return new Map();
  const rows = await em
    .createQueryBuilder(entity, 'e')
    .select([raw(`"e".${columnOf(em, entity)(parentProperty)} as "parent"`), raw('count(*) as "total"')])
    .where({ $and: [where, { [parentProperty]: { $in: [...parentIds] } }] } as FilterQuery<T>)
    .groupBy(raw<T, string>('"parent"'))
    .execute<Array<{ parent: string; total: string | number }>>('all', false);
  return new Map(rows.map((row) => [String(row.parent), Number(row.total)]));
}
