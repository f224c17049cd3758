import { Cursor, Utils, type EntityManager, type EntityName, type Loaded } from '@mikro-orm/core';
import { checkPageRequest, connectionFromCursor, type Connection, type PageOrder, type PageRequest } from '@pgamr/kit';

// Small operations on a page (the kit's Connection) that keep its edges, cursors and counts
// lazy, as the kit computes them: only when a client selects them.

/**
 * The page with only the nodes of `kept` (a subset, in the page's order): the records a second,
 * per-record check let through. Their cursors are those of the page.
 */
export function keepNodes<T>(page: Connection<T>, kept: readonly T[]): Connection<T> {
  if (kept.length === page.nodes.length) return page;
  const keep = new Set(kept);
  return { ...page, nodes: [...kept], edges: () => page.edges().filter((edge) => keep.has(edge.node)) };
}

/** The page with each node turned into what the API shows of it; cursors unchanged. */
export function mapNodes<T, U>(page: Connection<T>, view: (node: T) => U): Connection<U> {
  const views = page.nodes.map((node) => ({ node, view: view(node) }));
  const byNode = new Map(views.map((entry) => [entry.node, entry]));
  const viewOf = (node: T): U => {
    const entry = byNode.get(node);
    if (!entry) throw new Error('mapNodes: an edge of the page whose node is not among its nodes');
    return entry.view;
  };
  return {
    nodes: views.map((entry) => entry.view),
    edges: () => page.edges().map((edge) => ({ cursor: edge.cursor, node: viewOf(edge.node) })),
    pageInfo: page.pageInfo,
    totalCount: () => page.totalCount(),
  };
}

/** Orders two values of one property: instants by time, the rest as PostgreSQL orders ids and numbers. */
function compareValues(a: unknown, b: unknown): number {
  const value = (x: unknown) => (x instanceof Date ? x.getTime() : x) as string | number;
  const [left, right] = [value(a), value(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * A page of a list already in memory, in `order` (ending with a unique property), with the same
 * cursors as the kit's pages of a table: for a list bounded by a rule, loaded whole anyway (a
 * mandate names at most 50 dossiers, R16), never for a list that grows with the data.
 */
export function pageOfLoaded<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  items: readonly T[],
  order: PageOrder<T>,
  page: PageRequest,
): Connection<T> {
  const { size, after } = checkPageRequest(page);
  const keys = Object.entries(order) as Array<[keyof T & string, 'asc' | 'desc']>;
  const compare = (item: T, values: readonly unknown[]) => {
    for (const [index, [property, direction]] of keys.entries()) {
      // MikroORM's cursors give instants back as Dates, as the entities hold them.
      const difference = compareValues(item[property], values[index]);
      if (difference !== 0) return direction === 'desc' ? -difference : difference;
    }
    return 0;
  };
  const sorted = [...items].sort((a, b) => compare(a, keys.map(([property]) => b[property])));
  const rest = after ? sorted.filter((item) => compare(item, after) > 0) : sorted;
  const meta = em.getMetadata().get<T>(Utils.className(entity));
  const options = { first: size, orderBy: order, overfetch: true, ...(page.after ? { after: page.after } : {}) };
  // One more than the page, as MikroORM's cursor expects to tell whether there is a next page.
  return connectionFromCursor(new Cursor<T>(rest.slice(0, size + 1) as Loaded<T>[], 0, options, meta), () => Promise.resolve(items.length));
}
