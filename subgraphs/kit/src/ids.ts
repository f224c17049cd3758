import { v5 as uuidv5 } from 'uuid';

// A fixed namespace so that every subgraph derives the same id from the same natural key.
const PGAMR_NAMESPACE = 'a3f4e0c2-4b8e-5d7a-9a61-0e2f6c1d8b57';

/**
 * A deterministic UUID for a natural key (`stableId('organization', 'MUN-66023')`): lets demo
 * data in one subgraph reference entities owned by another without sharing a table.
 */
export function stableId(kind: string, naturalKey: string): string {
  return uuidv5(`${kind}:${naturalKey}`, PGAMR_NAMESPACE);
}
