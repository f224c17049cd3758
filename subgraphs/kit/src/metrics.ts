import { timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

/** The path the GraphQL requests counted by `subgraph_graphql_requests_total` are served on. */
const GRAPHQL_PATH = '/graphql';

/**
 * A subgraph's Prometheus metrics, on a registry of its own (not prom-client's global one) so
 * that several subgraphs in one process, as in the tests, never share or clash over counters.
 * The metric names are read by the benchmark and the N+1 tests: they do not change.
 */
export class SubgraphMetrics {
  readonly registry = new Registry();
  private readonly graphqlRequests: Counter.Internal;
  private readonly sqlStatements: Counter.Internal;

  constructor(readonly subgraph: string) {
    const requests = new Counter({
      name: 'subgraph_graphql_requests_total',
      help: 'GraphQL HTTP requests served on /graphql (each gateway fetch to this subgraph is one)',
      labelNames: ['subgraph'],
      registers: [this.registry],
    });
    const statements = new Counter({
      name: 'subgraph_sql_statements_total',
      help: 'SQL statements this subgraph sent to its database, transaction control included',
      labelNames: ['subgraph'],
      registers: [this.registry],
    });
    // Bound once: counting is then one addition, with no label lookup on the hot path.
    this.graphqlRequests = requests.labels({ subgraph });
    this.sqlStatements = statements.labels({ subgraph });
    // Zero from the start, so that a rate or a before/after difference never misses its first sample.
    this.graphqlRequests.inc(0);
    this.sqlStatements.inc(0);
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Counts every statement the ORM sends from now on: knex announces each one it runs
   * (queries, inserts, BEGIN/COMMIT), whichever fork or transaction issued it.
   */
  countStatementsOf(orm: MikroORM): void {
    orm.em.getConnection().getKnex().on('query', () => this.sqlStatements.inc());
  }

  /** Counts the requests routed to /graphql; to be added before the GraphQL route is registered. */
  countGraphqlRequestsOf(app: FastifyInstance): void {
    // On arrival rather than on response: a caller reading /metrics right after its answer sees it counted.
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.url === GRAPHQL_PATH) this.graphqlRequests.inc();
    });
  }
}

/** Who may read a subgraph's `/metrics`: the same rule as the gateway's. */
export interface MetricsAccess {
  /** Bearer token `/metrics` asks for; unset: open in development, not served in production. */
  token?: string;
  production: boolean;
}

/**
 * Serves the metrics in Prometheus' text format at `/metrics`. In production only behind
 * `METRICS_TOKEN` (request rates and database load are not for everyone); in development the
 * route is open unless a token is set. Returns whether the route is served.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: SubgraphMetrics, access: MetricsAccess): boolean {
  if (access.production && !access.token) return false;
  const expected = access.token ? Buffer.from(`Bearer ${access.token}`) : undefined;
  app.get('/metrics', async (request, reply) => {
    if (expected && !sameBearerSecret(request.headers.authorization, expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Jeton de métriques requis.' });
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return true;
}

/** Whether an `authorization` header is exactly `expected` (`Bearer <token>`), compared in constant time. */
export function sameBearerSecret(received: string | undefined, expected: Buffer): boolean {
  const candidate = Buffer.from(received ?? '');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}
