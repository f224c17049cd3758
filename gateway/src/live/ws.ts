import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { GraphQLError, parse, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { CloseCode, type Context, type ExecutionResult } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode } from '@pgamr/kit/errors';
import { publicError, type LiveGate } from './gate';
import type { EndReason, LiveStream } from './streams';

/** Where graphql-ws is served: the WebSocket upgrade of the API's own path. */
export const WS_PATH = '/graphql';

/** WebSocket close codes of a stream ended by the gateway (graphql-ws's 4401 for an ended session or an expired token). */
const CLOSE_CODES: Partial<Record<EndReason, { code: number; reason: string }>> = {
  'session-ended': { code: CloseCode.Unauthorized, reason: 'Session terminée' },
  'token-expired': { code: CloseCode.Unauthorized, reason: 'Jeton expiré' },
  // RFC 6455's « try again later »: a client too slow to read may reconnect and read its inbox.
  overflow: { code: 1013, reason: 'Client trop lent' },
};

interface Connection {
  auth: Parameters<LiveGate['start']>[0];
  authorization: string;
}

/**
 * graphql-ws (`graphql-transport-ws`) on the WebSocket upgrade of `/graphql`. `connection_init`
 * carries `{ authorization: "Bearer …" }`, verified before the connection is acknowledged: none
 * or a bad one closes it with 4401, an outage of identity with 1013 (retry later); no subscription
 * starts before. A browser page of an origin outside CORS_ORIGINS (and not the gateway's own) is
 * refused at the upgrade.
 */
export function registerWebSocket(
  app: FastifyInstance,
  gate: LiveGate,
  options: { schema: () => GraphQLSchema | undefined; corsOrigins: readonly string[]; maxPayloadBytes: number; heartbeatMs: number },
): { close(): Promise<void> } {
  const server = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const connections = new WeakMap<WebSocket, Connection>();
  const disposable = useServer<Record<string, unknown>, Record<PropertyKey, never>>(
    {
      isProd: true,
      // Without a connection_init in this time the socket closes (4408).
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization;
        const authorization = typeof header === 'string' ? header : undefined;
        const auth = await gate.authenticate(authorization);
        if ('error' in auth) {
          const outage = auth.error.extensions.code === ErrorCode.ServiceUnavailable;
          ctx.extra.socket.close(outage ? 1013 : CloseCode.Unauthorized, outage ? 'Service indisponible' : 'Unauthorized');
          return false;
        }
        connections.set(ctx.extra.socket, { auth, authorization: authorization ?? '' });
        return true;
      },
      onSubscribe: (ctx: Context<Record<string, unknown>, Extra>, _id, payload) => {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return [];
        const admission = gate.start(connection.auth, connection.authorization, payload, ctx.extra.request.socket.remoteAddress ?? '', (reason) => {
          const close = CLOSE_CODES[reason];
          if (close) ctx.extra.socket.close(close.code, close.reason);
        });
        if (admission.kind === 'refused') return [admission.error];
        if (admission.kind === 'errors') return admission.errors.map((error) => new GraphQLError(error.message, { extensions: error.extensions ?? {} }));
        return streamArgs(options.schema(), payload.query, payload.operationName, admission.stream);
      },
      subscribe: (args: ExecutionArgs) => (args.contextValue as { stream: LiveStream }).stream as AsyncIterable<ExecutionResult>,
      // The events are already formatted: graphql-ws would call `toJSON` on each error (a
      // GraphQLError's), which a formatted error has not, and an event with errors (an outage)
      // would never reach the client.
      onNext: (_ctx, _id, _payload, _args, result) => result,
      onError: (_ctx, _id, _payload, errors) => errors.map(publicError),
    },
    server,
    options.heartbeatMs,
  );
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== WS_PATH || !originAllowed(request, options.corsOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    server.handleUpgrade(request, socket, head, (client) => server.emit('connection', client, request));
  };
  app.server.on('upgrade', onUpgrade);
  let closing: Promise<void> | undefined;
  return {
    // Once: Fastify's preClose and the gateway's close both ask.
    close: () =>
      (closing ??= (async () => {
        app.server.off('upgrade', onUpgrade);
        for (const client of server.clients) client.close(1001, 'Arrêt de la passerelle');
        await disposable.dispose();
      })()),
  };
}

/** graphql-ws wants execution arguments; the stream itself is in the context, for `subscribe`. */
function streamArgs(schema: GraphQLSchema | undefined, query: string, operationName: string | null | undefined, stream: LiveStream): ExecutionArgs {
  if (!schema) throw new Error('no API schema');
  return { schema, document: parse(query), ...(operationName ? { operationName } : {}), contextValue: { stream } };
}

/**
 * A browser sends the page's origin with the upgrade: the gateway's own (GraphiQL) and the CORS
 * allowlist's are let through; a client that is no browser sends none.
 */
function originAllowed(request: IncomingMessage, corsOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
