import type { Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value of one column: JSON objects go to jsonb columns, Dates to timestamptz. */
export type CopyValue = string | number | boolean | Date | null | Record<string, unknown>;

/** How one table is filled: its columns, in order, and a row's values in the same order. */
export interface TableLoad<T> {
  table: string;
  columns: readonly string[];
  rows: readonly T[];
  values(row: T): CopyValue[];
  /** Columns whose value differs from run to run (a salted hash): left out of the digest. */
  volatile?: readonly string[];
}

export const tableLoad = <T>(
  table: string,
  columns: readonly string[],
  rows: readonly T[],
  values: (row: T) => CopyValue[],
  volatile: readonly string[] = [],
): TableLoad<unknown> => ({ table, columns, rows, values, volatile });

// COPY's text format: tab-separated, \N for null, and these four characters escaped.
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeText = (text: string) => (SPECIAL.test(text) ? text.replace(SPECIAL, (c) => ESCAPES[c]!) : text);

function encode(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') {
    SPECIAL.lastIndex = 0;
    return escapeText(value);
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  SPECIAL.lastIndex = 0;
  return escapeText(JSON.stringify(value));
}

const CHUNK_CHARS = 1 << 19;

/**
 * Streams `load.rows` into its table with one COPY … FROM STDIN: PostgreSQL's bulk path, a few
 * hundred thousand rows a second, where an ORM would make a round trip per row. The text sent
 * is also fed to `digest` so that two runs can be compared without dumping the databases.
 */
export async function copyTable(client: Client, load: TableLoad<unknown>, digest?: Hash): Promise<number> {
  if (load.rows.length === 0) return 0;
  const columns = load.columns.map((column) => `"${column}"`).join(', ');
  const volatile = new Set((load.volatile ?? []).map((column) => load.columns.indexOf(column)));
  function* chunks(): Generator<string> {
    let chunk = '';
    for (const row of load.rows) {
      const fields = load.values(row).map(encode);
      chunk += `${fields.join('\t')}\n`;
      if (volatile.size > 0) digest?.update(`${fields.map((field, index) => (volatile.has(index) ? '*' : field)).join('\t')}\n`);
      if (chunk.length >= CHUNK_CHARS) {
        if (volatile.size === 0) digest?.update(chunk);
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) {
      if (volatile.size === 0) digest?.update(chunk);
      yield chunk;
    }
  }
  digest?.update(`${load.table}(${columns})\n`);
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY "${load.table}" (${columns}) FROM STDIN`)));
  return load.rows.length;
}
