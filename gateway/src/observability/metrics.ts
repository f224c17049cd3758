import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { maskError } from '@pgamr/kit/errors';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Operation names are chosen by clients: past this many distinct ones, the rest count as `other`. */
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * `dependency_unavailable`: the subgraph answered, but some fields with SERVICE_UNAVAILABLE
 * because one of its own dependencies (its database, the decision point…) could not answer.
 */
export type SubgraphCallOutcome = 'success' | 'error' | 'circuit_open' | 'dependency_unavailable';

/**
 * The gateway's Prometheus metrics, on a registry of its own (not prom-client's global one) so
 * that two gateways in one process never share or clash over counters.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operationLabels = new Set<string>();

  private readonly requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests answered by the gateway, by operation name',
    labelNames: ['operation'],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by the extensions.code clients see',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly requestDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL request, by operation name',
    labelNames: ['operation'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  private readonly subgraphDuration = new Histogram({
    name: 'subgraph_request_duration_seconds',
    help: 'Time of one gateway call to a subgraph, retries included, by subgraph and outcome',
    labelNames: ['subgraph', 'outcome'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  private readonly subgraphRetries = new Counter({
    name: 'subgraph_retries_total',
    help: 'Retried subgraph calls (queries only), by subgraph',
    labelNames: ['subgraph'],
    registers: [this.registry],
  });
  private readonly circuitOpen = new Gauge({
    name: 'subgraph_circuit_open',
    help: '1 while the circuit breaker of a subgraph is open (calls fail fast), else 0',
    labelNames: ['subgraph'],
    registers: [this.registry],
  });
  private readonly cacheHits = new Counter({
    name: 'cache_hits_total',
    help: 'Cache hits, by cache (apq: automatic persisted queries…)',
    labelNames: ['cache'],
    registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'rate_limited_total',
    help: 'Requests refused by rate limiting, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Live notification streams open on this process (issue 19), read at each scrape. */
  observeLiveStreams(count: () => number): void {
    new Gauge({
      name: 'gateway_live_streams',
      help: 'Live notification streams (SSE and graphql-ws subscriptions) open on this gateway process',
      registers: [this.registry],
      collect() {
        this.set(count());
      },
    });
  }

  /** Hook for rate limiting: one request refused, for the given (bounded) reason. */
  recordRateLimited(reason: string): void {
    this.rateLimited.inc({ reason });
  }

  /** Hook for caches (persisted operations…): one hit in the named cache. */
  recordCacheHit(cache: string): void {
    this.cacheHits.inc({ cache });
  }

  observeSubgraphCall(subgraph: string, outcome: SubgraphCallOutcome, seconds: number): void {
    this.subgraphDuration.observe({ subgraph, outcome }, seconds);
  }

  recordSubgraphRetry(subgraph: string): void {
    this.subgraphRetries.inc({ subgraph });
  }

  setCircuitOpen(subgraph: string, open: boolean): void {
    this.circuitOpen.set({ subgraph }, open ? 1 : 0);
  }

  /** The Apollo plugin that counts requests, errors by code and latency by operation. */
  plugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => {
        const startedAt = performance.now();
        return {
          didEncounterErrors: async ({ errors }) => {
            // Counted under the code the client receives, so the label set stays small.
            for (const error of errors) this.errors.inc({ code: String(maskError(error.toJSON()).extensions?.code) });
          },
          willSendResponse: async ({ operation, operationName, metrics }) => {
            const label = operation ? this.operationLabel(operationName ?? 'anonymous') : 'unresolved';
            this.requests.inc({ operation: label });
            this.requestDuration.observe({ operation: label }, (performance.now() - startedAt) / 1000);
            if (metrics.persistedQueryHit) this.recordCacheHit('apq');
            if (metrics.responseCacheHit) this.recordCacheHit('response');
          },
        };
      },
    };
  }

  private operationLabel(name: string): string {
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.operationLabels.has(name)) return name;
    if (this.operationLabels.size >= MAX_OPERATION_LABELS) return 'other';
    this.operationLabels.add(name);
    return name;
  }
}
