import DataLoader from 'dataloader';
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';

type Keyed = Record<string, unknown>;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every primary key in the product is a UUID; anything else names no record. */
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

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
      const parent = String(typeof value === 'object' && value !== null ? (value as Keyed).id : value);
      const list = byParent.get(parent) ?? [];
      list.push(row);
      byParent.set(parent, list);
    }
    return parentKeys.map((k) => byParent.get(k) ?? []);
  });
}
