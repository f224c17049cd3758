import { Cursor, raw, Utils, type EntityName, type FilterQuery, type Loaded } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { connectionFromCursor } from './connection';
import { batchedPageLoader, type PageLoader } from './loaders';
import { afterCursor, checkPageRequest, columnOf, type Page, type PageOrder, type PageRequest } from './pagination';

/**
 * A table that links parents to the records they list, many to many (mandates' `mandate_dossier`
 * links a mandate's dossiers, and a dossier's mandates). `findPagesByParent` pages the lists whose
 * records hold their parent's id; these lists go through the link, with the same cursors.
 */
export interface Link {
  table: string;
  /** The link's column holding the parent's id. */
  parentColumn: string;
  /** The link's column holding the listed record's id. */
  childColumn: string;
}

/** `entity` rows narrowed by `where`, joined to their parents through `link`, for the parents given. */
function linkedQuery<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  link: Link,
  parentIds: readonly string[],
  where: FilterQuery<T>,
  select: string[],
) {
  return em
    .createQueryBuilder(entity, 'e')
    .select(select)
    .where(where)
    .getKnexQuery()
    .join(`${link.table} as l`, `l.${link.childColumn}`, `e.${columnOf(em, entity)('id').slice(1, -1)}`)
    .whereIn(`l.${link.parentColumn}`, [...parentIds]);
}

/**
 * One page of each parent's linked list, for every parent at once: one statement for the ranked
 * rows (a window partitioned by the link's parent column) whatever the number of parents, and,
 * only when some page's total is selected, one grouped count. Same cursors as the kit's pages.
 */
export async function findPagesThroughLink<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  link: Link,
  parentIds: readonly string[],
  where: FilterQuery<T>,
  order: PageOrder<T>,
  page: PageRequest,
): Promise<Map<string, Page<T>>> {
  const { size, after } = checkPageRequest(page);
  const scoped = after ? ({ $and: [where, afterCursor(order, after)] } as FilterQuery<T>) : where;
  const column = columnOf(em, entity);
  const ordering = Object.entries(order)
    .map(([property, direction]) => `"e".${column(property)} ${direction === 'desc' ? 'desc' : 'asc'}`)
    .join(', ');
  const parent = `"l"."${link.parentColumn}"`;
  const byParent = new Map<string, T[]>(parentIds.map((id) => [id, []]));
  if (parentIds.length > 0) {
    const ranked = linkedQuery(em, entity, link, parentIds, scoped, [
      '*',
      raw(`${parent} as "page_parent"`),
      raw(`row_number() over (partition by ${parent} order by ${ordering}) as "page_rank"`),
    ]);
    // One more than the page: whether there is a next page, as MikroORM's cursor tells it.
    const rows = await em.execute<Array<Record<string, unknown>>>(
      em.getKnex().select('*').from(ranked.as('ranked')).where('page_rank', '<=', size + 1).orderByRaw('"page_parent", "page_rank"'),
    );
    for (const { page_parent: parentId, page_rank: _rank, ...row } of rows) {
      byParent.get(String(parentId))?.push(em.map(entity, row as never));
    }
  }
  let totals: Promise<Map<string, number>> | undefined;
  const countAll = async () => {
    if (parentIds.length === 0) return new Map<string, number>();
    const counted = await em.execute<Array<{ page_parent: string; total: string | number }>>(
      linkedQuery(em, entity, link, parentIds, where, [raw(`${parent} as "page_parent"`), raw('count(*) as "total"')]).groupBy(`l.${link.parentColumn}`),
    );
    return new Map(counted.map((row) => [String(row.page_parent), Number(row.total)]));
  };
  const countOf = (id: string) => async () => (await (totals ??= countAll())).get(id) ?? 0;
  const meta = em.getMetadata().get<T>(Utils.className(entity));
  const options = { first: size, orderBy: order, overfetch: true, ...(page.after ? { after: page.after } : {}) };
  return new Map(
    parentIds.map((id) => [id, connectionFromCursor(new Cursor<T>((byParent.get(id) ?? []) as Loaded<T>[], 0, options, meta), countOf(id))]),
  );
}

/**
 * A per-request loader of linked lists by parent (a mandate's dossiers, a dossier's mandates in
 * force…): the pages asked for in the same tick come from one statement per distinct `where` and
 * page request, like the kit's `pageLoader`, not one per parent.
 */
export function linkedPageLoader<T extends object>(em: EntityManager, entity: EntityName<T>, link: Link, order: PageOrder<T>): PageLoader<T> {
  return batchedPageLoader((parentIds, where, page) => findPagesThroughLink(em, entity, link, parentIds, where, order, page));
}
