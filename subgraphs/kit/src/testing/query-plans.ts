import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';

/** One node of a PostgreSQL plan: what it does, to which table, through which index. */
export interface PlanNode {
  type: string;
  relation?: string;
  index?: string;
}

/** A statement the subgraph issued, with the plan PostgreSQL chooses for it on the current data. */
export interface StatementPlan {
  sql: string;
  nodes: PlanNode[];
}

interface RawPlan {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  Plans?: RawPlan[];
}

// MikroORM colours its query log; the SQL sits between a `[query]` tag and a `[took …]` note.
// eslint-disable-next-line no-control-regex
const ANSI_COLOURS = /\u001b\[\d+m/g;
const QUERY_LOG = /^\[query\] ([\s\S]*?)(?: \[took [^\]]*\])?$/;

/**
 * The SQL statements in a subgraph's captured log lines (`startTestSubgraph(…, { logLines })`
 * logs at debug level, where the kit turns on MikroORM's query log with parameters inlined).
 */
export function loggedStatements(lines: readonly string[]): string[] {
  return lines.flatMap((line) => {
    const entry = JSON.parse(line) as { orm?: boolean; msg?: string };
    const match = entry.orm && entry.msg ? QUERY_LOG.exec(entry.msg.replace(ANSI_COLOURS, '')) : null;
    return match?.[1] ? [match[1]] : [];
  });
}

/** The id of the i-th generated row of a kind: the same here as `generatedIdSql` computes in SQL. */
export function generatedId(kind: string, index: number): string {
  const hex = createHash('md5').update(`${kind}-${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * SQL for the id of the row of a kind numbered by the SQL expression `index`: random-looking like
 * the product's v4 UUIDs (so the planner sees no order that production would not have), yet
 * known to the test without reading it back.
 */
export const generatedIdSql = (kind: string, index: string): string => `md5('${kind}-' || (${index}))::uuid`;

/**
 * Fills `tables` with the rows `inserts` generate, then refreshes the planner's statistics. The
 * tables' secondary indexes (those backing no constraint) are dropped for the load and rebuilt
 * from their own definitions afterwards: building an index once is several times faster than
 * maintaining it row by row, and the schema ends as migrated.
 */
export async function loadInBulk(orm: MikroORM, tables: readonly string[], inserts: readonly string[]): Promise<void> {
  const connection = orm.em.getConnection();
  const indexes = await connection.execute<Array<{ indexname: string; indexdef: string }>>(
    `select indexname, indexdef from pg_indexes where schemaname = current_schema()
       and tablename in (${tables.map((table) => `'${table}'`).join(', ')})
       and not exists (select 1 from pg_constraint where conname = indexname)`,
  );
  for (const { indexname } of indexes) await connection.execute(`drop index "${indexname}"`);
  for (const sql of inserts) await connection.execute(sql);
  for (const { indexdef } of indexes) await connection.execute(indexdef);
  await connection.execute('analyze');
}

const flatten = (plan: RawPlan): PlanNode[] => [
  {
    type: plan['Scan Direction'] === 'Backward' ? `${plan['Node Type']} Backward` : plan['Node Type'],
    ...(plan['Relation Name'] ? { relation: plan['Relation Name'] } : {}),
    ...(plan['Index Name'] ? { index: plan['Index Name'] } : {}),
  },
  ...(plan.Plans ?? []).flatMap(flatten),
];

/**
 * Runs `operation` and returns the plan of every statement it made the database run, taken from
 * the log rather than written down here, so the check follows the queries as the code changes
 * them. The plans use the parameters the operation used, as PostgreSQL plans the driver's unnamed
 * statements (a custom plan per execution).
 */
export async function plansOf(orm: MikroORM, logLines: string[], operation: () => Promise<unknown>): Promise<StatementPlan[]> {
  const start = logLines.length;
  await operation();
  // Reads, and the updates and deletes that find their rows by a condition; EXPLAIN without
  // ANALYZE runs none of them again.
  const reads = loggedStatements(logLines.slice(start)).filter((sql) => /^\s*(select|update|delete|with)\b/i.test(sql));
  const connection = orm.em.getConnection();
  const plans: StatementPlan[] = [];
  for (const sql of reads) {
    const [row] = await connection.execute<Array<{ 'QUERY PLAN': Array<{ Plan: RawPlan }> }>>(`explain (format json) ${sql}`);
    plans.push({ sql, nodes: flatten(row!['QUERY PLAN'][0]!.Plan) });
  }
  // The EXPLAINs are logged too: keep the log to what the operation did.
  logLines.splice(start);
  return plans;
}

/** The statements that scan a whole large table: each one's cost grows with the table, not with the page. */
export function fullScans(plans: readonly StatementPlan[], largeTables: readonly string[]): string[] {
  return plans.flatMap((plan) =>
    plan.nodes
      .filter((node) => node.type === 'Seq Scan' && !!node.relation && largeTables.includes(node.relation))
      .map((node) => `Seq Scan on ${node.relation}: ${plan.sql}`),
  );
}

/** The large tables the plans read (so a check cannot pass because nothing was captured). */
export function tablesRead(plans: readonly StatementPlan[], largeTables: readonly string[]): string[] {
  const read = new Set(plans.flatMap((plan) => plan.nodes.flatMap((node) => (node.relation ? [node.relation] : []))));
  return largeTables.filter((table) => read.has(table));
}

/** Runs `operation`; returns what it returned and the plans of the reads it made. */
export async function planned<T>(orm: MikroORM, logLines: string[], operation: () => Promise<T>): Promise<{ result: T; plans: StatementPlan[] }> {
  let result: T | undefined;
  const plans = await plansOf(orm, logLines, async () => {
    result = await operation();
  });
  return { result: result!, plans };
}

/** Every large table the operation read, read through an index; and it did read `expected`. */
export function expectIndexReads(plans: StatementPlan[], largeTables: readonly string[], expected: string[]): void {
  expect(fullScans(plans, largeTables)).toEqual([]);
  expect(tablesRead(plans, largeTables)).toEqual(expect.arrayContaining(expected));
}
