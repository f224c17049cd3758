import { STATUS_CODES } from 'node:http';
import { ErrorCode } from '@pgamr/kit/errors';
import { traceHeaders } from '@pgamr/kit/tracing';
import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import { Agent, errors as undiciErrors } from 'undici';
import type { GatewayMetrics } from '../observability/metrics';
import { subgraphTimeoutMs, type SubgraphCallSettings } from './subgraph-call-settings';

/** What a subgraph answered below 500: its status and its body, parsed when it is JSON. */
export interface SubgraphReply {
  status: number;
  statusText: string;
  body: unknown;
  /** The subgraph's `Cache-Control` header, if it sent one. */
  cacheControl?: string;
}

/**
 * One call to a subgraph: a GraphQL request body already serialized. `idempotent` says whether it
 * may be sent again (a query) or never (a mutation).
 */
export type SubgraphCall = (url: string, body: string, headers: Record<string, string>, idempotent: boolean) => Promise<SubgraphReply>;

const MAX_RETRY_DELAY_MS = 2_000;

/**
 * A subgraph could not be reached or did not answer usably (network error, time-out, 5xx, open
 * circuit). Its message holds details for the logs (URLs included); clients never see it.
 */
export class SubgraphUnavailableError extends Error {
  /** When the circuit is open: seconds until it lets a trial call through. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly subgraph: string,
    readonly reason: 'circuit_open' | 'network' | 'timeout' | 'status',
    options?: { cause?: unknown; status?: number; retryAfterSeconds?: number },
  ) {
    super(`subgraph ${subgraph} unavailable (${reason}${options?.status ? ` ${options.status}` : ''})`, options);
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/**
 * A subgraph answered, but with SERVICE_UNAVAILABLE on some fields: one of its own dependencies
 * failed. The answer is still delivered (the rest of the data is good); the failure counts
 * against the subgraph's circuit and metrics, as an outage hidden inside it must.
 */
class DependencyUnavailableReply extends Error {
  constructor(readonly reply: SubgraphReply) {
    super('subgraph answered SERVICE_UNAVAILABLE on some fields');
  }
}

const reportsDependencyOutage = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  'errors' in body &&
  Array.isArray(body.errors) &&
  body.errors.some(
    (error: unknown) =>
      typeof error === 'object' &&
      error !== null &&
      'extensions' in error &&
      typeof error.extensions === 'object' &&
      error.extensions !== null &&
      'code' in error.extensions &&
      error.extensions.code === ErrorCode.ServiceUnavailable,
  );

/** The connections the gateway keeps to its subgraphs: keep-alive, a bounded pool per origin. */
function createSubgraphAgent(settings: SubgraphCallSettings): Agent {
  return new Agent({ connections: settings.maxConnectionsPerSubgraph, keepAliveTimeout: 30_000 });
}

/**
 * The calls to one subgraph: each attempt is bounded by the subgraph's time limit (to the
 * response's headers, then between chunks of its body); a query (read-only, so safe to send
 * twice) is retried with exponential backoff and jitter after a network error, a time-out or a
 * 5xx, a mutation never is; and a circuit breaker stops calling a subgraph that keeps failing,
 * failing fast instead, then lets one trial call through after a while and closes again when it
 * succeeds, so the gateway recovers by itself. Calls go through undici's dispatcher directly:
 * the WHATWG fetch layer (Request, Headers, web streams, abort signals) cost more CPU per call
 * than the call itself on loopback.
 */
export function createSubgraphClient(options: {
  subgraph: string;
  agent: Agent;
  settings: SubgraphCallSettings;
  metrics: GatewayMetrics;
  logger: Logger;
}): { call: SubgraphCall; shutdown(): void } {
  const { subgraph, agent, settings, metrics, logger } = options;
  const timeoutMs = subgraphTimeoutMs(settings, subgraph);
  const breaker = new CircuitBreaker((call: () => Promise<SubgraphReply>) => call(), {
    name: subgraph,
    // Each attempt has its own time limit; the breaker only counts outcomes.
    timeout: false,
    errorThresholdPercentage: settings.circuitErrorThresholdPercentage,
    volumeThreshold: settings.circuitVolumeThreshold,
    resetTimeout: settings.circuitResetTimeoutMs,
    // Only an unavailable subgraph (or one whose own dependency failed) opens the circuit; a 4xx
    // is the request's fault.
    errorFilter: (error: unknown) => !(error instanceof SubgraphUnavailableError || error instanceof DependencyUnavailableReply),
    // The breaker decides on counts of successes and failures alone. Latency percentiles (every
    // call's time kept, the whole window sorted each second) and the `snapshot` events that carry
    // them are read by nothing here: under load they were most of opossum's CPU (issue 16).
    rollingPercentilesEnabled: false,
    enableSnapshots: false,
  });
  metrics.setCircuitOpen(subgraph, false);
  let openedAt = 0;
  breaker.on('open', () => {
    openedAt = Date.now();
    metrics.setCircuitOpen(subgraph, true);
    logger.warn({ subgraph }, 'subgraph circuit opened: calls fail fast');
  });
  breaker.on('halfOpen', () => logger.info({ subgraph }, 'subgraph circuit half-open: trying one call'));
  breaker.on('close', () => {
    metrics.setCircuitOpen(subgraph, false);
    logger.info({ subgraph }, 'subgraph circuit closed: calls resume');
  });
  const urls = new Map<string, URL>();

  const attempt = async (url: string, body: string, headers: Record<string, string>): Promise<SubgraphReply> => {
    let target = urls.get(url);
    if (!target) urls.set(url, (target = new URL(url)));
    let response;
    try {
      response = await agent.request({
        origin: target.origin,
        path: target.pathname + target.search,
        method: 'POST',
        headers: { ...headers, ...traceHeaders() },
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw new SubgraphUnavailableError(subgraph, isTimeout(error) ? 'timeout' : 'network', { cause: error });
    }
    const { statusCode } = response;
    if (statusCode >= 500) {
      await response.body.dump();
      throw new SubgraphUnavailableError(subgraph, 'status', { status: statusCode });
    }
    const contentType = String(response.headers['content-type'] ?? '');
    const json = contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json');
    const cacheControl = response.headers['cache-control'];
    let reply: SubgraphReply;
    try {
      reply = {
        status: statusCode,
        statusText: STATUS_CODES[statusCode] ?? '',
        body: json ? await response.body.json() : await response.body.text(),
        ...(typeof cacheControl === 'string' ? { cacheControl } : {}),
      };
    } catch (error) {
      throw new SubgraphUnavailableError(subgraph, isTimeout(error) ? 'timeout' : 'network', { cause: error });
    }
    if (reportsDependencyOutage(reply.body)) throw new DependencyUnavailableReply(reply);
    return reply;
  };

  const callWithRetries = async (url: string, body: string, headers: Record<string, string>, idempotent: boolean): Promise<SubgraphReply> => {
    const attempts = 1 + (idempotent ? settings.retries : 0);
    for (let attemptNumber = 1; ; attemptNumber++) {
      try {
        return await attempt(url, body, headers);
      } catch (error) {
        if (!(error instanceof SubgraphUnavailableError) || attemptNumber >= attempts) throw error;
        metrics.recordSubgraphRetry(subgraph);
        logger.debug({ subgraph, attempt: attemptNumber, reason: error.reason }, 'retrying subgraph query');
        await sleep(retryDelayMs(attemptNumber, settings.retryBaseDelayMs));
      }
    }
  };

  const call: SubgraphCall = async (url, body, headers, idempotent) => {
    const startedAt = performance.now();
    const seconds = () => (performance.now() - startedAt) / 1000;
    try {
      const reply = await breaker.fire(() => callWithRetries(url, body, headers, idempotent));
      metrics.observeSubgraphCall(subgraph, 'success', seconds());
      return reply;
    } catch (error) {
      if (error instanceof DependencyUnavailableReply) {
        metrics.observeSubgraphCall(subgraph, 'dependency_unavailable', seconds());
        return error.reply;
      }
      if (error instanceof Error && CircuitBreaker.isOurError(error)) {
        metrics.observeSubgraphCall(subgraph, 'circuit_open', seconds());
        const retryAfterSeconds = Math.max(1, Math.ceil((openedAt + settings.circuitResetTimeoutMs - Date.now()) / 1000));
        throw new SubgraphUnavailableError(subgraph, 'circuit_open', { cause: error, retryAfterSeconds });
      }
      metrics.observeSubgraphCall(subgraph, 'error', seconds());
      throw error;
    }
  };
  return { call, shutdown: () => breaker.shutdown() };
}

const isTimeout = (error: unknown): boolean =>
  error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;

/** Full jitter (a random delay up to the exponential bound) keeps retries from moving in step. */
export function retryDelayMs(attemptNumber: number, baseDelayMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(MAX_RETRY_DELAY_MS, baseDelayMs * 2 ** (attemptNumber - 1)));
}

/**
 * Whether a subgraph operation is a query: only those are safe to send again. The gateway's
 * query planner writes each subgraph operation with its keyword first.
 */
export function isQueryText(query: string): boolean {
  return /^\s*(query\b|\{)/.test(query);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The subgraph clients of one gateway, one per subgraph name, kept across supergraph reloads so
 * that a subgraph's circuit and connections outlive a schema change; `close()` releases them all.
 */
export function createSubgraphClients(options: {
  settings: SubgraphCallSettings;
  metrics: GatewayMetrics;
  logger: Logger;
}): { forSubgraph(name: string): SubgraphCall; close(): Promise<void> } {
  const agent = createSubgraphAgent(options.settings);
  const clients = new Map<string, ReturnType<typeof createSubgraphClient>>();
  return {
    forSubgraph(name) {
      let entry = clients.get(name);
      if (!entry) {
        entry = createSubgraphClient({ ...options, subgraph: name, agent });
        clients.set(name, entry);
      }
      return entry.call;
    },
    async close() {
      for (const entry of clients.values()) entry.shutdown();
      await agent.close();
    },
  };
}
