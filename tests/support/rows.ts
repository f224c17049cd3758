import type { TestSubgraph } from '@pgamr/kit/testing';

/**
 * Every table's row count in a subgraph's database: a refused request must leave them all as
 * they were (audit trails, sign-in attempts and disclosure logs included).
 */
export async function rowCounts(subgraph: TestSubgraph): Promise<Record<string, number>> {
  const connection = subgraph.database.orm.em.getConnection();
  const tables = await connection.execute<Array<{ table_name: string }>>(
    "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name",
  );
  const counts = tables.map(({ table_name: name }) => `(select count(*) from "${name}")::int as "${name}"`).join(', ');
  const [row] = await connection.execute<Array<Record<string, number>>>(`select ${counts}`);
  return row ?? {};
}
