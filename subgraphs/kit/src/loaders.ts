import DataLoader from 'dataloader';
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import { DEFAULT_PAGE_SIZE } from './connection';
import { checkPageRequest, emptyPage, findPagesByParent, type Page, type PageOrder, type PageRequest } from './pagination';

type Keyed = Record<string, unknown>;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every primary key in the product is a UUID; anything else names no record. */
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

/**
 * The record a non-null field refers to, which a foreign key guarantees: a missing one is an
 * internal error (graphql-js would refuse a null there just the same), named for the logs.
 */
export async function requiredRecord<T>(record: Promise<T | null>, what: string): Promise<T> {
  const found = await record;
  if (found === null) throw new Error(`${what} not found, though a foreign key requires it`);
  return found;
}

/**
 * A per-request loader of entities by a unique key (the primary key by default): one SQL query
 * for every key asked for in the same tick, answers in key order (`null` when absent).
 */
export function entityLoader<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  key = 'id',
  isValidKey: (key: string) => boolean = isUuid,
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (keys) => {
    const validKeys = keys.filter(isValidKey);
    const rows = validKeys.length === 0 ? [] : await em.find(entity, { [key]: { $in: validKeys } } as FilterQuery<T>);
    const byKey = new Map(rows.map((row) => [String((row as Keyed)[key]), row]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/**
 * A per-request loader of the entities that point at a parent through `foreignKey`: one SQL
 * query for every parent asked for in the same tick, one (possibly empty) list per parent.
 */
export function childrenLoader<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  foreignKey: string,
  orderBy: Record<string, 'asc' | 'desc'> = { id: 'asc' },
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (parentKeys) => {
    const validKeys = parentKeys.filter(isUuid);
    if (validKeys.length === 0) return parentKeys.map(() => []);
    const rows = await em.find(entity, { [foreignKey]: { $in: validKeys } } as FilterQuery<T>, {
      orderBy: orderBy as never,
    });
    const byParent = new Map<string, T[]>();
    for (const row of rows) {
      const value = (row as Keyed)[foreignKey];
      const parent = String(typeof value === 'object' && value !== null ? ('id' in value ? value.id : undefined) : value);
      const list = byParent.get(parent) ?? [];
      list.push(row);
      byParent.set(parent, list);
    }
    return parentKeys.map((k) => byParent.get(k) ?? []);
  });
}

/** A per-request loader of one page of each parent's list; see pageLoader. */
export interface PageLoader<T> {
  /**
   * The page of `parentId`'s list narrowed by `where` (the access rule, the filters: anything
   * but the parent). Bad `first` or `after` are refused at once, for this field only.
   */
  load(parentId: string, where: FilterQuery<T>, page: PageRequest): Promise<Page<T>>;
}

interface PageKey<T> {
  parentId: string;
  where: FilterQuery<T>;
  page: PageRequest;
}

/** One page of each parent's list, for a batch of parents (findPagesByParent, findPagesThroughLink). */
export type FindPagesOfParents<T> = (parentIds: readonly string[], where: FilterQuery<T>, page: PageRequest) => Promise<Map<string, Page<T>>>;

/**
 * A per-request loader of paginated lists by parent (an organization's dossiers, a firm's
 * mandates…): every page asked for in the same tick comes from one batch of `findPages` per
 * distinct `where` and page request, not one per parent. In a batch of `_entities` those are the
 * same for every parent, or differ by a few cases (the caller's own organization or another).
 */
export function batchedPageLoader<T extends object>(findPages: FindPagesOfParents<T>, defaultSize = DEFAULT_PAGE_SIZE): PageLoader<T> {
  const groupOf = ({ where, page }: PageKey<T>) => JSON.stringify([where, page.first ?? defaultSize, page.after ?? null]);
  const loader = new DataLoader<PageKey<T>, Page<T>, string>(
    async (keys) => {
      const groups = new Map<string, { where: FilterQuery<T>; page: PageRequest; parentIds: Set<string> }>();
      for (const key of keys) {
        const group = groups.get(groupOf(key)) ?? { where: key.where, page: key.page, parentIds: new Set<string>() };
        group.parentIds.add(key.parentId);
        groups.set(groupOf(key), group);
      }
      const pages = new Map<string, Map<string, Page<T>>>();
      for (const [name, { where, page, parentIds }] of groups) pages.set(name, await findPages([...parentIds], where, page));
      return keys.map((key) => pages.get(groupOf(key))?.get(key.parentId) ?? emptyPage<T>());
    },
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, groupOf(key)]) },
  );
  return {
    load(parentId, where, page) {
      checkPageRequest(page, defaultSize);
      return isUuid(parentId) ? loader.load({ parentId, where, page }) : Promise.resolve(emptyPage<T>());
    },
  };
}

/** A per-request loader of the lists whose records hold their parent's id (see batchedPageLoader). */
export function pageLoader<T extends object>(
  em: SqlEntityManager,
  entity: EntityName<T>,
  parentProperty: string,
  order: PageOrder<T>,
  defaultSize = DEFAULT_PAGE_SIZE,
): PageLoader<T> {
  return batchedPageLoader(
    (parentIds, where, page) => findPagesByParent(em, entity, parentProperty, parentIds, where, order, page, defaultSize),
    defaultSize,
  );
}
