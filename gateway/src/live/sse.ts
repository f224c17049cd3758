import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { publicError, type LiveGate } from './gate';
import type { EndReason, LiveEvent, LiveStream } from './streams';

/** Where the gateway serves GraphQL over Server-Sent Events (distinct connections mode). */
export const SSE_PATH = '/graphql/stream';

/** Bytes a client may leave unread on its connection (heartbeats included) before its stream is closed. */
const MAX_UNREAD_BYTES = 1_048_576;

/**
 * `POST /graphql/stream`: the graphql-sse protocol's distinct connections mode, one stream per
 * request. The token is verified and the operation checked before anything is streamed: no
 * token or a bad one is HTTP 401 (503 when identity cannot tell), too many streams 429, both
 * with the API's error body; an operation refused for its text or its rules is, as the protocol
 * asks, one `next` event with the errors, then `complete`.
 */
export function registerSseRoute(app: FastifyInstance, gate: LiveGate, heartbeatMs: number): void {
  app.post(SSE_PATH, async (request, reply) => {
    let onEnd: (reason: EndReason) => void = () => undefined;
    const admission = await gate.admit(request.headers.authorization, request.body ?? {}, request.ip, (reason) => onEnd(reason));
    if (admission.kind === 'refused') return refuse(reply, admission.error);
    const body = new PassThrough();
    const write = (text: string) => {
      // A client that reads nothing is let go rather than buffered for.
      if (body.writableLength > MAX_UNREAD_BYTES) return void reply.raw.destroy();
      body.write(text);
    };
    reply
      .code(200)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(body);
    // The headers go out with the first bytes: the client knows the stream is open.
    write(':\n\n');
    if (admission.kind === 'errors') {
      write(nextEvent({ errors: admission.errors }));
      write(COMPLETE_EVENT);
      body.end();
      return reply;
    }
    const stream = admission.stream;
    onEnd = (reason) => {
      if (reason === 'overflow') reply.raw.destroy();
    };
    const heartbeat = setInterval(() => write(':\n\n'), heartbeatMs);
    const stop = () => {
      clearInterval(heartbeat);
      void stream.return();
    };
    reply.raw.once('close', stop);
    void pump(stream, body, write).finally(() => {
      clearInterval(heartbeat);
      if (!body.writableEnded) body.end();
    });
    return reply;
  });
}

async function pump(stream: LiveStream, body: PassThrough, write: (text: string) => void): Promise<void> {
  for await (const event of stream) {
    if (body.destroyed) return;
    write(nextEvent(event));
    // Back-pressure: the next notification is judged once this one is on its way.
    if (body.writableNeedDrain) await drainedOrClosed(body);
  }
  if (!body.destroyed) write(COMPLETE_EVENT);
}

const COMPLETE_EVENT = 'event: complete\ndata:\n\n';

function nextEvent(event: LiveEvent | { errors: readonly GraphQLFormattedError[] }): string {
  return `event: next\ndata: ${JSON.stringify(event)}\n\n`;
}

function drainedOrClosed(body: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      body.off('drain', done);
      body.off('close', done);
      resolve();
    };
    body.once('drain', done);
    body.once('close', done);
  });
}

/** A stream refused before it starts, with the API's error body and the error's HTTP status. */
function refuse(reply: FastifyReply, error: GraphQLError): FastifyReply {
  const http = error.extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
  const status = http?.status ?? 400;
  for (const [name, value] of http?.headers ?? []) reply.header(name, value);
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(status).type('application/json; charset=utf-8').send({ errors: [publicError(error)] });
}
