// Subscriptions in GraphiQL (issue 19): the gateway streams them itself, over graphql-sse on
// POST /graphql/stream (the default) or graphql-ws on the WebSocket of /graphql. Queries and
// mutations keep GraphiQL's own HTTP fetcher.
import type { Fetcher } from '@graphiql/toolkit';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';

export type LiveProtocol = 'sse' | 'ws';

const STREAM_PATH = '/graphql/stream';
const WS_PATH = '/graphql';

/** Whether the operation GraphiQL runs is a subscription (a text that does not parse goes to HTTP, which explains why). */
function isSubscription(query: string, operationName: string | null | undefined): boolean {
  try {
    return getOperationAST(parse(query), operationName ?? undefined)?.operation === OperationTypeNode.SUBSCRIPTION;
  } catch {
    return false;
  }
}

/**
 * `http` for queries and mutations; subscriptions over `protocol`, with the same token (the
 * Authorization header for SSE, `connection_init`'s payload for graphql-ws). Each event replaces
 * the previous one in the result pane, as GraphiQL shows a stream.
 */
export function liveFetcher(http: Fetcher, token: string | null, protocol: LiveProtocol): { fetcher: Fetcher; dispose(): void } {
  const authorization = token ? `Bearer ${token}` : undefined;
  const sse = createSseClient({
    url: STREAM_PATH,
    headers: authorization ? { authorization } : {},
    // A refused stream (401, 429) is shown, not retried.
    retryAttempts: 0,
  });
  const ws =
    protocol === 'ws'
      ? createWsClient({
          url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`,
          connectionParams: authorization ? { authorization } : {},
          lazy: true,
          retryAttempts: 0,
        })
      : undefined;
  const fetcher: Fetcher = (params, options) => {
    if (!isSubscription(params.query, params.operationName)) return http(params, options);
    const variables = (params.variables ?? {}) as Record<string, unknown>;
    const request = { query: params.query, variables, ...(params.operationName ? { operationName: params.operationName } : {}) };
    const events = ws ? ws.iterate(request) : sse.iterate(request);
    // GraphiQL prints what it receives: the wire's formatted errors are what it shows anyway.
    return events as unknown as ReturnType<Fetcher>;
  };
  return {
    fetcher,
    dispose: () => {
      sse.dispose();
      void ws?.dispose();
    },
  };
}
