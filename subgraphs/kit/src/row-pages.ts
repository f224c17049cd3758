import { Cursor, raw, Utils, type EntityName, type FilterQuery, type Loaded } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { connectionFromCursor, lazyCount } from './connection';
import type { Link } from './linked-pages';
import { batchedPageLoader, type PageLoader } from './loaders';
import { afterCursor, checkPageRequest, columnOf, type Page, type PageOrder, type PageRequest } from './pagination';

// Read paths (issue 16): the lists a request only shows can be read as rows and turned into plain
// records by a subgraph's mappers, never hydrated into managed entities. MikroORM's hydration and
// identity map (snapshots for change tracking, reference propagation, validation) took a third of
// mandates' CPU under the dashboard's load, for records no request changes. The conditions stay
// MikroORM filters, so each rule is still written once; the pages, cursors and counts are the
// same as findPage, findPagesByParent and findPagesThroughLink give. Write paths keep entities.

/** A row as the driver returns it, by column name. */
export type Row = Record<string, unknown>;

/** Maps one row of `entity`'s table to the plain record a read path serves. */
export type RowMapper<T> = (row: Row) => T;

/** A text, uuid, numeric or date column (numerics and dates come as text from MikroORM's pg types). */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value.toString();
  throw new Error(`a row's text column holds a ${typeof value}`);
}

export const optionalText = (value: unknown): string | null => (value === null || value === undefined ? null : text(value));

/** A column holding one of an enum's values (PostgreSQL's enum type or check constraint guarantees it). */
export function enumValue<E extends string>(values: Record<string, E>): (value: unknown) => E {
  const known = new Map<unknown, E>(Object.values(values).map((member) => [member, member]));
  return (value) => {
    const member = known.get(value);
    if (member === undefined) throw new Error(`unexpected enum value in a row: ${String(value)}`);
    return member;
  };
}

/** The instant of a `timestamptz` column: MikroORM's pg types keep it as text, parsed as MikroORM parses it. */
export function instantOf(em: EntityManager): (value: unknown) => Date {
  const platform = em.getPlatform();
  return (value) => (value instanceof Date ? value : platform.parseDate(text(value)));
}

/** `"e"."column" direction, …` for a window or an ORDER BY in `order`. */
function orderingOf<T extends object>(em: EntityManager, entity: EntityName<T>, order: PageOrder<T>): string {
  const column = columnOf(em, entity);
  return Object.entries(order)
    .map(([property, direction]) => `"e".${column(property)} ${direction === 'desc' ? 'desc' : 'asc'}`)
    .join(', ');
}

/** A page of `items` (one more than the page read, to tell whether there is a next one), with MikroORM's cursors. */
function pageOf<T extends object>(em: EntityManager, entity: EntityName<T>, items: T[], order: PageOrder<T>, size: number, page: PageRequest, count: () => Promise<number>): Page<T> {
  const meta = em.getMetadata().get<T>(Utils.className(entity));
  const options = { first: size, orderBy: order, overfetch: true, ...(page.after ? { after: page.after } : {}) };
  return connectionFromCursor(new Cursor<T>(items as Loaded<T>[], 0, options, meta), count);
}

/** The page asked for, checked, and `where` narrowed to the records after its cursor. */
function pageCondition<T extends object>(where: FilterQuery<T>, order: PageOrder<T>, page: PageRequest): { size: number; scoped: FilterQuery<T> } {
  const { size, after } = checkPageRequest(page);
  return { size, scoped: after ? ({ $and: [where, afterCursor(order, after)] } as FilterQuery<T>) : where };
}

/** Each parent's page; the parents' totals counted by one statement, the first time one is asked for. */
function pagesOf<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  parentIds: readonly string[],
  byParent: ReadonlyMap<string, T[]>,
  order: PageOrder<T>,
  size: number,
  page: PageRequest,
  countAll: () => Promise<Map<string, number>>,
): Map<string, Page<T>> {
  let totals: Promise<Map<string, number>> | undefined;
  const countOf = (id: string) => async () => (await (totals ??= countAll())).get(id) ?? 0;
  return new Map(parentIds.map((id) => [id, pageOf(em, entity, byParent.get(id) ?? [], order, size, page, countOf(id))]));
}

/**
 * One page of a list (every dossier the caller may read…) by keyset, as the kit's findPage pages
 * it (same cursors), read as rows: one statement for the page, one count only when selected.
 */
export async function findRowPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  order: PageOrder<T>,
  page: PageRequest,
  map: RowMapper<T>,
): Promise<Page<T>> {
  const { size, scoped } = pageCondition(where, order, page);
  const rows = await em
    .createQueryBuilder(entity, 'e')
    .select('*')
    .where(scoped)
    .orderBy(order)
    .limit(size + 1)
    .execute<Row[]>('all', false);
  return pageOf(em, entity, rows.map(map), order, size, page, lazyCount(() => em.count(entity, where)));
}

/**
 * One page of each parent's list for every parent at once, as the kit's findPagesByParent reads
 * them (one ranked statement, one grouped count only when a total is selected, same cursors), read
 * as rows.
 */
export async function findRowPagesByParent<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  parentProperty: string,
  parentIds: readonly string[],
  where: FilterQuery<T>,
  order: PageOrder<T>,
  page: PageRequest,
  map: RowMapper<T>,
): Promise<Map<string, Page<T>>> {
  const { size, scoped } = pageCondition(where, order, page);
  const parentColumn = columnOf(em, entity)(parentProperty);
  const inParents = (condition: FilterQuery<T>) => ({ $and: [condition, { [parentProperty]: { $in: [...parentIds] } }] }) as FilterQuery<T>;
  const byParent = new Map<string, T[]>(parentIds.map((id) => [id, []]));
  if (parentIds.length > 0) {
    const ranked = em
      .createQueryBuilder(entity, 'e')
      .select(['*', raw(`row_number() over (partition by "e".${parentColumn} order by ${orderingOf(em, entity, order)}) as "page_rank"`)])
      .where(inParents(scoped));
    // One more than the page: whether there is a next page, as MikroORM's cursor tells it.
    const rows = await em.execute<Row[]>(
      em.getKnex().select('*').from(ranked.as('ranked')).where('page_rank', '<=', size + 1).orderByRaw(`${parentColumn}, "page_rank"`),
    );
    const parentField = parentColumn.slice(1, -1);
    for (const row of rows) byParent.get(text(row[parentField]))?.push(map(row));
  }
  const countAll = async () => {
    if (parentIds.length === 0) return new Map<string, number>();
    const counted = await em
      .createQueryBuilder(entity, 'e')
      .select([raw(`"e".${parentColumn} as "parent"`), raw('count(*) as "total"')])
      .where(inParents(where))
      .groupBy(raw<T, string>('"parent"'))
      .execute<Array<{ parent: string; total: string | number }>>('all', false);
    return new Map(counted.map((row) => [text(row.parent), Number(row.total)]));
  };
  return pagesOf(em, entity, parentIds, byParent, order, size, page, countAll);
}

/** `entity` rows narrowed by `where`, joined to their parents through `link` (its parent's id as `link_parent`). */
function linkedRows<T extends object>(em: EntityManager, entity: EntityName<T>, link: Link, parentIds: readonly string[], where: FilterQuery<T>, select: string[]) {
  return em
    .createQueryBuilder(entity, 'e')
    .select(select)
    .where(where)
    .getKnexQuery()
    .join(`${link.table} as l`, `l.${link.childColumn}`, `e.${columnOf(em, entity)('id').slice(1, -1)}`)
    .whereIn(`l.${link.parentColumn}`, [...parentIds]);
}

/**
 * One page of each parent's linked list for every parent at once, as the kit's
 * findPagesThroughLink reads them (same statements and cursors), read as rows.
 */
export async function findRowPagesThroughLink<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  link: Link,
  parentIds: readonly string[],
  where: FilterQuery<T>,
  order: PageOrder<T>,
  page: PageRequest,
  map: RowMapper<T>,
): Promise<Map<string, Page<T>>> {
  const { size, scoped } = pageCondition(where, order, page);
  const parent = `"l"."${link.parentColumn}"`;
  const byParent = new Map<string, T[]>(parentIds.map((id) => [id, []]));
  if (parentIds.length > 0) {
    const ranked = linkedRows(em, entity, link, parentIds, scoped, [
      '*',
      raw(`${parent} as "link_parent"`),
      raw(`row_number() over (partition by ${parent} order by ${orderingOf(em, entity, order)}) as "page_rank"`),
    ]);
    const rows = await em.execute<Row[]>(
      em.getKnex().select('*').from(ranked.as('ranked')).where('page_rank', '<=', size + 1).orderByRaw('"link_parent", "page_rank"'),
    );
    for (const row of rows) byParent.get(text(row.link_parent))?.push(map(row));
  }
  const countAll = async () => {
    if (parentIds.length === 0) return new Map<string, number>();
    const counted = await em.execute<Array<{ link_parent: string; total: string | number }>>(
      linkedRows(em, entity, link, parentIds, where, [raw(`${parent} as "link_parent"`), raw('count(*) as "total"')]).groupBy(`l.${link.parentColumn}`),
    );
    return new Map(counted.map((row) => [text(row.link_parent), Number(row.total)]));
  };
  return pagesOf(em, entity, parentIds, byParent, order, size, page, countAll);
}

/** Every record linked to each parent (a list bounded by a rule, read whole): one statement per batch. */
export async function findRowsThroughLink<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  link: Link,
  parentIds: readonly string[],
  map: RowMapper<T>,
): Promise<Map<string, T[]>> {
  const byParent = new Map<string, T[]>(parentIds.map((id) => [id, []]));
  if (parentIds.length === 0) return byParent;
  const rows = await em.execute<Row[]>(linkedRows(em, entity, link, parentIds, {}, ['*', raw(`"l"."${link.parentColumn}" as "link_parent"`)]));
  for (const row of rows) byParent.get(text(row.link_parent))?.push(map(row));
  return byParent;
}

/** A per-request loader of each parent's page of a list whose records hold their parent's id, read as rows. */
export function rowPageLoader<T extends object>(em: EntityManager, entity: EntityName<T>, parentProperty: string, order: PageOrder<T>, map: RowMapper<T>): PageLoader<T> {
  return batchedPageLoader((parentIds, where, page) => findRowPagesByParent(em, entity, parentProperty, parentIds, where, order, page, map));
}

/** A per-request loader of each parent's page of a linked list, read as rows. */
export function linkedRowPageLoader<T extends object>(em: EntityManager, entity: EntityName<T>, link: Link, order: PageOrder<T>, map: RowMapper<T>): PageLoader<T> {
  return batchedPageLoader((parentIds, where, page) => findRowPagesThroughLink(em, entity, link, parentIds, where, order, page, map));
}
