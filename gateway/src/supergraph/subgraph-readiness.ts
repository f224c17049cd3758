import { Supergraph } from '@apollo/federation-internals';
import type { Logger } from 'pino';

export interface SubgraphEndpoint {
  name: string;
  url: string;
  /** A health URL of the subgraph's own (GET, ready on a 2xx), instead of the GraphQL probe. */
  healthUrl?: string;
}

/** The subgraphs a supergraph routes to, with their routing URLs. */
export function subgraphsOf(supergraphSdl: string): SubgraphEndpoint[] {
  // Only routing metadata is read: the security features the gateway enforces itself may stay.
  return Supergraph.build(supergraphSdl, { supportedFeatures: null })
    .subgraphsMetadata()
    .map(({ name, url }) => ({ name, url }));
}

/** The GraphQL probe any subgraph answers, whatever it is built on: the root type's name. */
const PROBE = JSON.stringify({ query: '{ __typename }' });

/**
 * Whether a subgraph answers now: its own health URL when the operator gave one (ours serve
 * `/ready`, which also checks their database), else a `{ __typename }` query, which every
 * GraphQL server answers (Apollo, Hive, another ministry's stack…).
 */
async function isReady(endpoint: SubgraphEndpoint, timeoutMs: number): Promise<boolean> {
  if (endpoint.healthUrl) {
    const response = await fetch(endpoint.healthUrl, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  }
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: PROBE,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body: unknown = await response.json().catch(() => undefined);
  return (
    response.ok &&
    typeof body === 'object' &&
    body !== null &&
    'data' in body &&
    typeof body.data === 'object' &&
    body.data !== null &&
    '__typename' in body.data &&
    typeof body.data.__typename === 'string'
  );
}

/** Asks every subgraph whether it is ready; a subgraph that does not answer in time is not. */
export async function checkSubgraphs(
  endpoints: SubgraphEndpoint[],
  timeoutMs = 2000,
): Promise<Array<SubgraphEndpoint & { ready: boolean }>> {
  return Promise.all(endpoints.map(async (endpoint) => ({ ...endpoint, ready: await isReady(endpoint, timeoutMs).catch(() => false) })));
}

/**
 * Waits until every subgraph answers, saying which ones it waits for (name and the URL it asks)
 * every `reportEveryMs`, so an operator sees at once which is missing. The gateway serves during
 * the wait; this only tells when everything answers. False if `deadlineMs` passes first.
 */
export async function waitForSubgraphs(
  endpoints: () => SubgraphEndpoint[],
  logger: Pick<Logger, 'info' | 'warn'>,
  options: { deadlineMs: number; pauseMs?: number; reportEveryMs?: number; stopped?: () => boolean },
): Promise<boolean> {
  const { deadlineMs, pauseMs = 500, reportEveryMs = 5_000, stopped = () => false } = options;
  const deadline = Date.now() + deadlineMs;
  let lastReport = 0;
  while (!stopped() && Date.now() < deadline) {
    const waiting = (await checkSubgraphs(endpoints())).filter((state) => !state.ready);
    if (waiting.length === 0) return true;
    if (Date.now() - lastReport >= reportEveryMs) {
      lastReport = Date.now();
      for (const { name, url, healthUrl } of waiting) logger.info({ subgraph: name, url: healthUrl ?? url }, `waiting for subgraph ${name} at ${healthUrl ?? url}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  if (!stopped()) {
    const waiting = (await checkSubgraphs(endpoints())).filter((state) => !state.ready);
    for (const { name, url, healthUrl } of waiting) logger.warn({ subgraph: name, url: healthUrl ?? url }, `subgraph ${name} still not ready at ${healthUrl ?? url}; the gateway serves what it can`);
  }
  return false;
}
