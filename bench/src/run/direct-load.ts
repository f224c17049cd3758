import { Pool } from 'undici';
import { checkData } from './checks';
import { ErrorLog, ItemCursor, LatencyRecorder, type LoadJob, type LoadResult } from './load-types';
import { executePlan, type SubgraphSender } from './plan-executor';

/**
 * The physical limit: `connections` clients, each replaying a scenario's query plan straight
 * against the subgraphs with the same users' tokens, as fast as the subgraphs answer.
 */
export async function loadDirect(
  job: LoadJob,
  plan: Parameters<typeof executePlan>[0],
  subgraphUrls: Record<string, string>,
): Promise<LoadResult> {
  // Keep-alive pools sized so that a client's parallel fetches never queue behind another's.
  const pools = new Map<string, { pool: Pool; path: string }>();
  for (const [name, url] of Object.entries(subgraphUrls)) {
    const parsed = new URL(url);
    pools.set(name, { pool: new Pool(parsed.origin, { connections: job.connections * 2, pipelining: 1 }), path: parsed.pathname });
  }
  const cursor = new ItemCursor(job.items.length, job.once);
  const latencies = new LatencyRecorder();
  const errors = new ErrorLog();
  let responses = 0;
  let empty = 0;
  let subgraphCalls = 0;

  const sender =
    (token: string): SubgraphSender =>
    async (serviceName, operation, operationName, variables) => {
      const target = pools.get(serviceName);
      if (!target) throw new Error(`no URL for subgraph ${serviceName}`);
      const response = await target.pool.request({
        path: target.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: operation, operationName, variables }),
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${serviceName}: HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
      const parsed = JSON.parse(text) as { data?: Record<string, unknown>; errors?: unknown };
      if (parsed.errors !== undefined) throw new Error(`${serviceName}: errors: ${JSON.stringify(parsed.errors).slice(0, 300)}`);
      return parsed.data ?? {};
    };
  const senders = job.tokens.map(sender);

  const started = performance.now();
  const deadline = started + job.durationSeconds * 1000;
  let lastAnswer = started;
  const client = async () => {
    while (performance.now() < deadline) {
      const index = cursor.take();
      if (index === undefined) return;
      const item = job.items[index]!;
      const begin = performance.now();
      try {
        const { data, calls } = await executePlan(plan, item.variables, senders[item.token]!);
        subgraphCalls += calls;
        const result = checkData(job.scenario, data, item.meta);
        if (result.problem) errors.add(result.problem);
        else if (result.empty) empty += 1;
      } catch (error) {
        errors.add((error as Error).message);
      }
      lastAnswer = performance.now();
      latencies.record(lastAnswer - begin);
      responses += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: job.connections }, client));
  } finally {
    await Promise.all([...pools.values()].map(({ pool }) => pool.close()));
  }
  return {
    id: job.id,
    sent: cursor.taken,
    responses,
    // Clients finish the request in hand at the deadline: the window ends with the last answer.
    elapsedMs: lastAnswer - started,
    latencyMs: latencies.summary(),
    errors: errors.count,
    errorSamples: errors.samples,
    empty,
    exhausted: cursor.exhausted,
    subgraphCalls,
  };
}
