import { Supergraph } from '@apollo/federation-internals';

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/** The subgraphs a supergraph routes to, with their routing URLs. */
export function subgraphsOf(supergraphSdl: string): SubgraphEndpoint[] {
  // Only routing metadata is read: the security features the gateway enforces itself may stay.
  return Supergraph.build(supergraphSdl, { supportedFeatures: null })
    .subgraphsMetadata()
    .map(({ name, url }) => ({ name, url }));
}

/** A subgraph's readiness URL: the kit serves `/ready` beside `/graphql`. */
export function readinessUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + '/ready';
  return url.toString();
}

/** Asks every subgraph whether it is ready; a subgraph that does not answer in time is not. */
export async function checkSubgraphs(
  endpoints: SubgraphEndpoint[],
  timeoutMs = 2000,
): Promise<Array<SubgraphEndpoint & { ready: boolean }>> {
  return Promise.all(
    endpoints.map(async (endpoint) => {
      try {
        const response = await fetch(readinessUrl(endpoint.url), { signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        return { ...endpoint, ready: response.ok };
      } catch {
        return { ...endpoint, ready: false };
      }
    }),
  );
}
