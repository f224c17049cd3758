import type { Cursor, EntityManager, EntityName, FilterQuery, QueryOrderMap } from '@mikro-orm/core';

// The API's one page model (api-conventions.md, Lists): GitHub's connections. Every list of
// records is `nodes`, `edges { cursor node }`, `pageInfo` and `totalCount`, paged by `first` and
// `after`; edges' cursors and the total are worked out only when a client selects them (graphql-js
// calls a function found where a field's value should be).

/** The page size a list gives when `first` is not said, everywhere in the API. */
export const DEFAULT_PAGE_SIZE = 20;

/** Where a page sits in its list. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page of a list as the API serves it. */
export interface Connection<T> {
  nodes: T[];
  /** Each node with its cursor; worked out only when selected. */
  edges(): Array<Edge<T>>;
  pageInfo: PageInfo;
  /** The whole list's length, page aside; counted (one statement) only when selected. */
  totalCount(): Promise<number>;
}

/** An empty page, for a caller who may read nothing of a list. */
export function emptyConnection<T>(): Connection<T> {
  return {
    nodes: [],
    edges: () => [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    totalCount: () => Promise.resolve(0),
  };
}

/** Asks `count` at most once, and only if someone asks for the total. */
export function lazyCount(count: () => Promise<number>): () => Promise<number> {
  let total: Promise<number> | undefined;
  return () => (total ??= count());
}

/** What a page takes from MikroORM's keyset cursor (whose items are the page's, overfetch removed). */
type KeysetCursor<T extends object> = Pick<Cursor<T>, 'items' | 'hasNextPage' | 'hasPrevPage' | 'startCursor' | 'endCursor' | 'from'>;

/** A page from MikroORM's keyset cursor, with the way to count the whole list if asked. */
export function connectionFromCursor<T extends object>(cursor: KeysetCursor<T>, totalCount: () => Promise<number>): Connection<T> {
  const nodes: T[] = [...cursor.items];
  return {
    nodes,
    edges: () => nodes.map((node) => ({ cursor: cursor.from(node), node })),
    pageInfo: {
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: cursor.startCursor,
      endCursor: cursor.endCursor,
    },
    totalCount,
  };
}

/**
 * One page of a list by keyset (MikroORM's cursor over `orderBy`, which must end with a unique
 * property): page 1,000 costs what page 1 costs, and the total is counted only when selected.
 * `size` and `after` come from `checkPageRequest` (bad ones are the caller's mistakes).
 */
export async function findConnection<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  page: { size: number; after?: string | null | undefined },
): Promise<Connection<T>> {
  const cursor = await em.findByCursor(entity, where, {
    first: page.size,
    ...(page.after ? { after: page.after } : {}),
    orderBy: orderBy as never,
    includeCount: false,
  });
  return connectionFromCursor(cursor, lazyCount(() => em.count(entity, where)));
}
