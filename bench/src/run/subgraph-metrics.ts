/** The kit's counters, summed over every subgraph, and subgraph by subgraph (in the order of the URLs). */
export interface SubgraphCounters {
  graphqlRequests: number;
  sqlStatements: number;
  each: Array<{ graphqlRequests: number; sqlStatements: number }>;
}

const REQUESTS = 'subgraph_graphql_requests_total';
const STATEMENTS = 'subgraph_sql_statements_total';

/**
 * Reads `subgraph_graphql_requests_total` and `subgraph_sql_statements_total` from each
 * subgraph's Prometheus `/metrics`; undefined (reported n/a) when any subgraph does not serve
 * them, since a partial sum would pass for a real figure.
 */
export async function readSubgraphCounters(metricsUrls: readonly string[], token: string): Promise<SubgraphCounters | undefined> {
  const totals: SubgraphCounters = { graphqlRequests: 0, sqlStatements: 0, each: [] };
  for (const url of metricsUrls) {
    let text: string;
    try {
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
      text = await response.text();
      if (!response.ok) return undefined;
    } catch {
      return undefined;
    }
    const requests = sample(text, REQUESTS);
    const statements = sample(text, STATEMENTS);
    if (requests === undefined || statements === undefined) return undefined;
    totals.graphqlRequests += requests;
    totals.sqlStatements += statements;
    totals.each.push({ graphqlRequests: requests, sqlStatements: statements });
  }
  return totals;
}

/** The sum of a counter's samples (any labels) in Prometheus' text format. */
function sample(text: string, name: string): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}
