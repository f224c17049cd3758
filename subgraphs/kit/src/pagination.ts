import { Cursor, type EntityManager, type EntityName, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { badUserInput } from './errors';

/** The largest page any list of the product serves. */
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

/** An empty page, for a caller who may read nothing of a list. */
export const emptyPage = <T>(): Page<T> => ({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false }, totalCount: 0 });

/**
 * One page of a list by keyset (MikroORM's cursor over `orderBy`, which must end with a unique
 * column): the latency of page 1,000 is that of page 1. Bad `first` or `after` are the
 * caller's mistakes and answered as such.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  { first, after }: PageRequest,
  defaultSize = 20,
): Promise<Page<T>> {
  const size = first ?? defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`Le nombre d'éléments demandé doit être entre 1 et ${MAX_PAGE_SIZE}.`, { field: 'first' });
  }
  if (after) {
    try {
      Cursor.decode(after);
    } catch {
      throw badUserInput('Le curseur de pagination est invalide.', { field: 'after' });
    }
  }
  const cursor = await em.findByCursor(entity, where, {
    first: size,
    ...(after ? { after } : {}),
    orderBy: orderBy as never,
  });
  return {
    nodes: cursor.items,
    pageInfo: { endCursor: cursor.endCursor, hasNextPage: cursor.hasNextPage },
    totalCount: cursor.totalCount,
  };
}
