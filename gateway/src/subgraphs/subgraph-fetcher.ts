import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { traceHeaders } from '@pgamr/kit/tracing';
import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import { Agent, fetch } from 'undici';
import type { GatewayMetrics } from '../observability/metrics';
import { subgraphTimeoutMs, type SubgraphCallSettings } from './subgraph-call-settings';

export type SubgraphFetcher = NonNullable<RemoteGraphQLDataSource['fetcher']>;
type FetcherResponse = Awaited<ReturnType<SubgraphFetcher>>;
type FetcherRequestInit = Parameters<SubgraphFetcher>[1];

const MAX_RETRY_DELAY_MS = 2_000;

/**
 * A subgraph could not be reached or did not answer usably (network error, time-out, 5xx, open
 * circuit). Its message holds details for the logs (URLs included); clients never see it.
 */
export class SubgraphUnavailableError extends Error {
  constructor(
    readonly subgraph: string,
    readonly reason: 'circuit_open' | 'network' | 'timeout' | 'status',
    options?: { cause?: unknown; status?: number },
  ) {
    super(`subgraph ${subgraph} unavailable (${reason}${options?.status ? ` ${options.status}` : ''})`, options);
  }
}

/** The connections the gateway keeps to its subgraphs: keep-alive, a bounded pool per origin. */
function createSubgraphAgent(settings: SubgraphCallSettings): Agent {
  return new Agent({ connections: settings.maxConnectionsPerSubgraph, keepAliveTimeout: 30_000 });
}

/**
 * The fetcher of one subgraph: each attempt is bounded by the subgraph's time limit; a query
 * (read-only, so safe to send twice) is retried with exponential backoff and jitter after a
 * network error, a time-out or a 5xx, a mutation never is; and a circuit breaker stops calling a
 * subgraph that keeps failing, failing fast instead, then lets one trial call through after a
 * while and closes again when it succeeds, so the gateway recovers by itself.
 */
export function createSubgraphFetcher(options: {
  subgraph: string;
  agent: Agent;
  settings: SubgraphCallSettings;
  metrics: GatewayMetrics;
  logger: Logger;
}): { fetcher: SubgraphFetcher; shutdown(): void } {
  const { subgraph, agent, settings, metrics, logger } = options;
  const timeoutMs = subgraphTimeoutMs(settings, subgraph);
  const breaker = new CircuitBreaker((call: () => Promise<FetcherResponse>) => call(), {
    name: subgraph,
    // Each attempt has its own time limit; the breaker only counts outcomes.
    timeout: false,
    errorThresholdPercentage: settings.circuitErrorThresholdPercentage,
    volumeThreshold: settings.circuitVolumeThreshold,
    resetTimeout: settings.circuitResetTimeoutMs,
    // Only an unavailable subgraph opens the circuit; a 4xx is the request's fault.
    errorFilter: (error: unknown) => !(error instanceof SubgraphUnavailableError),
  });
  metrics.setCircuitOpen(subgraph, false);
  breaker.on('open', () => {
    metrics.setCircuitOpen(subgraph, true);
    logger.warn({ subgraph }, 'subgraph circuit opened: calls fail fast');
  });
  breaker.on('halfOpen', () => logger.info({ subgraph }, 'subgraph circuit half-open: trying one call'));
  breaker.on('close', () => {
    metrics.setCircuitOpen(subgraph, false);
    logger.info({ subgraph }, 'subgraph circuit closed: calls resume');
  });

  const attempt = async (url: string, init: FetcherRequestInit): Promise<FetcherResponse> => {
    let response;
    try {
      response = await fetch(url, {
        ...init,
        headers: { ...init?.headers, ...traceHeaders() },
        dispatcher: agent,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new SubgraphUnavailableError(subgraph, timedOut ? 'timeout' : 'network', { cause: error });
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new SubgraphUnavailableError(subgraph, 'status', { status: response.status });
    }
    return response;
  };

  const callWithRetries = async (url: string, init: FetcherRequestInit): Promise<FetcherResponse> => {
    const attempts = 1 + (isQuery(init?.body) ? settings.retries : 0);
    for (let attemptNumber = 1; ; attemptNumber++) {
      try {
        return await attempt(url, init);
      } catch (error) {
        if (!(error instanceof SubgraphUnavailableError) || attemptNumber >= attempts) throw error;
        metrics.recordSubgraphRetry(subgraph);
        logger.debug({ subgraph, attempt: attemptNumber, reason: error.reason }, 'retrying subgraph query');
        await sleep(retryDelayMs(attemptNumber, settings.retryBaseDelayMs));
      }
    }
  };

  const fetcher: SubgraphFetcher = async (url, init) => {
    const startedAt = performance.now();
    const seconds = () => (performance.now() - startedAt) / 1000;
    try {
      const response = await breaker.fire(() => callWithRetries(url, init));
      metrics.observeSubgraphCall(subgraph, 'success', seconds());
      return response;
    } catch (error) {
      if (error instanceof Error && CircuitBreaker.isOurError(error)) {
        metrics.observeSubgraphCall(subgraph, 'circuit_open', seconds());
        throw new SubgraphUnavailableError(subgraph, 'circuit_open', { cause: error });
      }
      metrics.observeSubgraphCall(subgraph, 'error', seconds());
      throw error;
    }
  };
  return { fetcher, shutdown: () => breaker.shutdown() };
}

/** Full jitter (a random delay up to the exponential bound) keeps retries from moving in step. */
export function retryDelayMs(attemptNumber: number, baseDelayMs: number, random = Math.random): number {
  return Math.floor(random() * Math.min(MAX_RETRY_DELAY_MS, baseDelayMs * 2 ** (attemptNumber - 1)));
}

/**
 * Whether a subgraph request body is a query: only those are safe to send again. The gateway's
 * query planner writes each subgraph operation with its keyword first; anything unreadable
 * counts as not a query.
 */
export function isQuery(body: unknown): boolean {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) return false;
  try {
    const { query } = JSON.parse(body.toString()) as { query?: unknown };
    return typeof query === 'string' && /^\s*(query\b|\{)/.test(query);
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The fetchers of one gateway, one per subgraph name, kept across supergraph reloads so that a
 * subgraph's circuit and connections outlive a schema change; `close()` releases them all.
 */
export function createSubgraphFetchers(options: {
  settings: SubgraphCallSettings;
  metrics: GatewayMetrics;
  logger: Logger;
}): { forSubgraph(name: string): SubgraphFetcher; close(): Promise<void> } {
  const agent = createSubgraphAgent(options.settings);
  const fetchers = new Map<string, ReturnType<typeof createSubgraphFetcher>>();
  return {
    forSubgraph(name) {
      let entry = fetchers.get(name);
      if (!entry) {
        entry = createSubgraphFetcher({ ...options, subgraph: name, agent });
        fetchers.set(name, entry);
      }
      return entry.fetcher;
    },
    async close() {
      for (const entry of fetchers.values()) entry.shutdown();
      await agent.close();
    },
  };
}
