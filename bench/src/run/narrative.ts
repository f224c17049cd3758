import type { BenchOptions } from './options';
import { CLOCK_TICKS_PER_SECOND } from './proc-stats';
import type { Measurement, PreparedScenario } from './protocol';
import { GATEWAY_TITLES } from './stack';
import { spread } from './stats';

/** The highest request rate the rate limit must let through for one user pool (2 shared cores). */
export const ASSUMED_PEAK_REQUESTS_PER_SECOND = 3000;
export const DEFAULT_RATE_LIMIT_POINTS = 600;
export const RATE_LIMIT_WINDOW_SECONDS = 60;

/**
 * Our gateway's rate limit for a bench whose smallest user pool has `fewestUsers`: its default
 * when each user stays under it at the assumed peak, else just enough; never lower.
 */
export function rateLimitFor(fewestUsers: number): number {
  return Math.max(DEFAULT_RATE_LIMIT_POINTS, Math.ceil((ASSUMED_PEAK_REQUESTS_PER_SECOND * RATE_LIMIT_WINDOW_SECONDS) / fewestUsers));
}

/** One line per measured run, while the bench runs. */
export function progressLine(done: number, total: number, m: Measurement): string {
  const figures = [
    `${m.requestsPerSecond.toFixed(0)} req/s`,
    `p50 ${m.latencyMs.p50.toFixed(2)} ms`,
    `p99 ${m.latencyMs.p99.toFixed(2)} ms`,
    m.gatewayCpuMsPerRequest === undefined ? undefined : `CPU ${m.gatewayCpuMsPerRequest.toFixed(3)} ms/req`,
    m.subgraphsCpuMsPerRequest === undefined || m.postgresCpuMsPerRequest === undefined
      ? undefined
      : `stack ${((m.gatewayCpuMsPerRequest ?? 0) + m.subgraphsCpuMsPerRequest + m.postgresCpuMsPerRequest).toFixed(3)} ms/req (PostgreSQL ${m.postgresCpuMsPerRequest.toFixed(3)})`,
    m.subgraphCallsPerRequest === undefined ? undefined : `${m.subgraphCallsPerRequest.toFixed(2)} calls/req`,
    m.sqlStatementsPerRequest === undefined ? undefined : `${m.sqlStatementsPerRequest.toFixed(2)} SQL/req`,
    `${m.errors} errors`,
  ].filter(Boolean);
  return `[${done}/${total}] ${m.scenario} ×${m.connections} ${m.target}${m.side === 'baseline' ? ' (baseline)' : ''} run ${m.run}: ${figures.join(', ')}`;
}

/**
 * A gateway making fewer subgraph calls than the replayed plan does less work for the same
 * answer: from a cache (far fewer) or by combining fetches. Worth knowing before reading its
 * req/s next to the others'.
 */
export function subgraphCallNotes(prepared: readonly PreparedScenario[], measurements: readonly Measurement[]): string[] {
  const notes: string[] = [];
  const callsOf = (scenario: string, target: string) =>
    spread(measurements.filter((m) => m.scenario === scenario && m.target === target).map((m) => m.subgraphCallsPerRequest))?.median;
  for (const { scenario, planned } of prepared) {
    const replayed = callsOf(scenario.name, 'direct');
    for (const target of ['ours', 'apollo', 'hive'] as const) {
      const calls = callsOf(scenario.name, target);
      if (calls === undefined) continue;
      if (calls < planned.fetches * 0.5) {
        notes.push(
          `${scenario.name}: ${GATEWAY_TITLES[target]} made ${calls.toFixed(2)} subgraph calls per request where the plan has ${planned.fetches}: ` +
            'it answered most requests from a cache, so its figures there measure the cache, not federation.',
        );
      } else if (replayed !== undefined && calls < replayed * 0.97) {
        notes.push(
          `${scenario.name}: ${GATEWAY_TITLES[target]} made ${calls.toFixed(2)} subgraph calls per request where the replayed plan makes ${replayed.toFixed(2)}: ` +
            'it combines fetches to the same subgraph within a request (not across requests).',
        );
      }
    }
  }
  return notes;
}

/** How each gateway was set up, for the report. */
export function configurationLines(rateLimitPoints: number, logLevel: string): string[] {
  return [
    'All three gateways: NODE_ENV=production, one process each on 127.0.0.1, the same subgraph processes, the same supergraph.graphql with its security directives stripped by the gateway’s own `withoutSecurityFeatures` (ours strips it itself and enforces them).',
    `Ours: \`gateway/src/index.ts\` as it ships in production — schema authorization, operation limits, APQ, CSRF prevention, rate limits (in memory), Prometheus metrics behind METRICS_TOKEN, undici fetcher with retries and circuit breakers; LOG_LEVEL=${logLevel} (one JSON line per request) to a log file.`,
    rateLimitPoints === DEFAULT_RATE_LIMIT_POINTS
      ? `Ours: rate limit left at its default, ${DEFAULT_RATE_LIMIT_POINTS} requests per user per ${RATE_LIMIT_WINDOW_SECONDS} s: the smallest user pool keeps every user under it at ${ASSUMED_PEAK_REQUESTS_PER_SECOND} req/s.`
      : `Ours: RATE_LIMIT_POINTS raised to ${rateLimitPoints} per user per ${RATE_LIMIT_WINDOW_SECONDS} s (default ${DEFAULT_RATE_LIMIT_POINTS}): the smallest user pool of the manifest would send each of its users that many requests per window at ${ASSUMED_PEAK_REQUESTS_PER_SECOND} req/s, and be throttled (HTTP 429) instead of served. The limiter stays on and is consulted on every request.`,
    'Plain @apollo/gateway: `new ApolloGateway({ supergraphSdl })` + `startStandaloneServer`, defaults; only `RemoteGraphQLDataSource.willSendRequest` forwarding `authorization`.',
    'Hive Gateway: `createGatewayRuntime` on node:http; `propagateHeaders.fromClientToSubgraphs` forwards `authorization`; in-flight deduplication off both ways: `transportEntries[\'*.http\'].options.deduplicateInflightRequests: false` (subgraph requests; @graphql-tools/executor-http defaults it to true) and `inboundInflightRequestDeduplication: false` (client requests; default false).',
    'Subgraphs: NODE_ENV=production, LOG_LEVEL=warn, SEED_DEMO_DATA=false, one process each, `/metrics` behind METRICS_TOKEN.',
  ];
}

/** How the figures were obtained, for the report. */
export function methodLines(options: BenchOptions): string[] {
  return [
    'Every request carries a real access token of a different user, cycled across all connections (the load worker hands out the next user to whichever connection asks): no gateway can answer many requests with one result. Tokens are signed with identity’s newest key, read from its database; each user gets an open session row.',
    `For each scenario × connections (${options.connections.join(', ')}): ${options.warmupSeconds} s warm-up per target, then ${options.runs} measured runs of ${options.durationSeconds} s per target, interleaved (ours, Apollo, Hive, direct, ours, …) so that slow drifts of the machine touch every target alike.`,
    'Load: autocannon 9 in a separate process, pipelining 1, `POST /graphql` with `content-type: application/json` (which satisfies Apollo’s CSRF prevention: no preflight header needed) and the user’s bearer token; every answer checked (HTTP 200, no `errors`, the scenario’s fields present, the viewer’s own data); a run with any wrong answer fails the bench.',
    `Gateway CPU: utime + stime of the gateway process from /proc/<pid>/stat (clock ticks of ${1000 / CLOCK_TICKS_PER_SECOND} ms) over the run, divided by requests sent. Peak RSS: VmHWM of the run (reset through /proc/<pid>/clear_refs before each run).`,
    'Whole stack: utime + stime from /proc of each subgraph process and of PostgreSQL’s processes that work for the measured side: the backends connected to its databases (its subgraphs’ pools, the notifications subgraph’s and the PostgreSQL bus’s included, autovacuum workers there) and the server’s background processes, which belong to no database (checkpointer, WAL writer, background writer, autovacuum launcher), as pg_stat_activity lists them before and after the run; read before each run and after it has settled (no CPU in the gateway and subgraphs, no statement in flight in the bench databases), process by process (a backend started during the run counts from zero, one that ended counts nothing), per request sent. Backends of other databases (another job on the same server) and the postmaster are left out. “stack ÷ PostgreSQL” divides the stack’s sum (gateway + subgraphs + PostgreSQL) by PostgreSQL’s share, run by run.',
    'Subgraph calls and SQL statements: the subgraphs’ `subgraph_graphql_requests_total` and `subgraph_sql_statements_total` before and after each run, summed over the subgraphs (notifications included), per request sent.',
    'Physical limit (“direct”): the same number of connections replay the query plan @apollo/gateway 2.14 builds for the operation (`QueryPlanner.buildQueryPlan`) straight against the subgraphs with the same tokens: fetches in plan order (Sequence waits, Parallel does not), entity representations built from earlier answers as the gateway builds them, answers merged; no parsing, validation, planning or response shaping.',
    'Mutation: each request grants a distinct pending access request (filed by the bench in the services database); after every run the rights granted are deleted and the requests set back to pending.',
    ...(options.baseline
      ? [
          `Baseline (\`--baseline ${options.baseline}\`): its own subgraphs, gateways and load worker, from its own worktree and bench code, on its own databases, all running beside the current tree’s for the whole bench. Each target is measured on both sides back to back, the current tree first in odd runs and the baseline first in even ones; warm-ups for both before the first run. The side not measured is idle (its processes’ CPU is not counted; its few background statements, if any, would count in PostgreSQL’s share of the other).`,
        ]
      : []),
  ];
}
