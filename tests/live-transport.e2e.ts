import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventType, recordOutbox, stableId, type DomainEvent } from '@pgamr/kit';
import { offsetClock, waitFor } from '@pgamr/kit/testing';
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import { writeInbox } from '../subgraphs/notifications/src/inbox/inbox-writer';
import { subscribeSse, subscribeWs, type LiveSubscriber } from './support/live';
import { bearer, signIn } from './support/session';
import { startGatewayReplica, startStack, type Stack } from './support/stack';

// Issue 19, live delivery: what the transports do before and around any event. The token is
// checked before a stream starts (HTTP 401 for SSE, close 4401 for graphql-ws), the streams one
// user may hold are limited, a stream beats while it waits; it ends when its token expires,
// when it stays idle, and when its client does not read. Those last limits are tried on small
// gateway replicas of the same stack (in this process), each with its own setting.

const MAX_STREAMS = 2;
const SUBSCRIPTION = 'subscription Live { notifications { id type } }';

let stack: Stack;
let streamUrl: string;
let wsUrl: string;
let marc: Record<string, string>;
const opened: AbortController[] = [];

beforeAll(async () => {
  stack = await startStack({ gatewayEnv: { LIVE_MAX_STREAMS_PER_USER: String(MAX_STREAMS), LIVE_HEARTBEAT_SECONDS: '1' } });
  streamUrl = stack.gatewayUrl.replace(/\/graphql$/, '/graphql/stream');
  wsUrl = stack.gatewayUrl.replace(/^http/, 'ws');
  marc = bearer(await signIn(stack.gatewayUrl, 'MAG0000002'));
});

afterAll(async () => {
  for (const controller of opened) controller.abort();
  await stack?.close();
});

/** Opens an SSE stream as graphql-sse's client does (distinct connections mode). */
async function openStream(headers: Record<string, string>, body: unknown = { query: SUBSCRIPTION }) {
  const controller = new AbortController();
  opened.push(controller);
  const response = await fetch(streamUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  return { response, close: () => controller.abort() };
}

/** Reads a stream's text until `until` says it has enough (or the stream ends). */
async function readUntil(response: Response, until: (text: string) => boolean): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (until(text)) break;
  }
  reader.releaseLock();
  return text;
}

/** The close code of a graphql-ws connection whose connection_init carries `payload`. */
function closeCodeOf(payload: Record<string, unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string };
      if (message.type === 'connection_ack') reject(new Error('the connection was acknowledged'));
    });
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });
}

describe('the token is checked before any stream starts', () => {
  it('SSE without a token: HTTP 401 with the API error body, no event stream', async () => {
    const { response } = await openStream({});
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0]?.message).toMatch(/authentifier/);
  });

  it('SSE with a bad token: HTTP 401, UNAUTHENTICATED', async () => {
    const { response } = await openStream({ authorization: 'Bearer not.a.token' });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('graphql-ws without a token or with a bad one: closed with 4401 before the connection is acknowledged', async () => {
    expect(await closeCodeOf({})).toBe(4401);
    expect(await closeCodeOf({ authorization: 'Bearer not.a.token' })).toBe(4401);
  });
});

describe('what a stream does once open', () => {
  it('an operation refused for its text is, as the SSE protocol asks, one next event with the errors then complete', async () => {
    const { response } = await openStream(marc, { query: '{ me { id } }' });
    expect(response.status).toBe(200);
    const text = await readUntil(response, (seen) => seen.includes('event: complete'));
    const next = /event: next\ndata: (.*)\n/.exec(text)?.[1];
    expect(JSON.parse(next!)).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })] });
  });

  it('a stream beats while it waits (an SSE comment), before any event', async () => {
    const { response, close } = await openStream(marc);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    // The first comment opens the stream; the next ones are heartbeats.
    const text = await readUntil(response, (seen) => (seen.match(/^:\n\n/gm) ?? []).length >= 3);
    expect(text).not.toContain('event:');
    close();
  });

  it('a user holds at most LIVE_MAX_STREAMS_PER_USER streams: one more is HTTP 429 TOO_MANY_STREAMS before any stream, and a closed one frees its place', async () => {
    const held = [await openStream(marc), await openStream(marc)];
    for (const { response } of held) expect(response.status).toBe(200);
    const refused = await openStream(marc);
    expect(refused.response.status).toBe(429);
    const body = (await refused.response.json()) as { errors: Array<{ message: string; extensions: { code: string; limit: number } }> };
    expect(body.errors[0]?.extensions).toEqual({ code: 'TOO_MANY_STREAMS', limit: MAX_STREAMS });
    expect(body.errors[0]?.message).toMatch(/flux/);
    held[0]!.close();
    await waitFor(async () => {
      const again = await openStream(marc);
      again.close();
      return again.response.status === 200;
    }, { description: 'a place freed by the closed stream' });
    held[1]!.close();
  });
});

/** Streams open on a gateway, from its /metrics. */
async function streamsOn(gatewayUrl: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gatewayUrl))).text();
  return Number(/^gateway_live_streams (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** A notification for `userId` alone, as the inbox's consumer writes one (and its delivery, through the outbox and the bus). */
async function notify(userId: string, data: DomainEvent['data'] = {}): Promise<string> {
  const event: DomainEvent = {
    id: randomUUID(),
    type: EventType.AccessRightGranted,
    source: 'services',
    occurredAt: new Date().toISOString(),
    organizationId: stableId('organization', 'MUN-45072'),
    serviceId: stableId('online-service', 'TECQ'),
    subject: { typename: 'AccessRight', id: randomUUID() },
    audiences: [{ kind: 'USERS', userIds: [userId] }],
    data,
  };
  await writeInbox(stack.subgraphs.notifications.database.orm.em.fork(), event, (tx: EntityManager, message) => recordOutbox(tx, message));
  return event.id;
}

describe('how a stream ends by itself', () => {
  const held: LiveSubscriber[] = [];
  afterAll(() => {
    for (const subscriber of held) subscriber.close();
  });

  it('R6: the token expires while the stream lives: SSE gets UNAUTHENTICATED then complete, graphql-ws a close 4401', async () => {
    const tokens = await signIn(stack.gatewayUrl, 'MAG0000003');
    const { exp } = decodeJwt(tokens.accessToken);
    // A replica whose clock reads the token as having two seconds left (identity's tokens live 15 minutes).
    const replica = await startGatewayReplica(stack, {}, undefined, offsetClock(exp! * 1000 - Date.now() - 2_000));
    try {
      const sse = subscribeSse(replica.url, bearer(tokens).authorization, SUBSCRIPTION);
      const ws = subscribeWs(replica.url, bearer(tokens).authorization, SUBSCRIPTION);
      held.push(sse, ws);
      expect(await sse.endedBy('the SSE stream ended by the expiry')).toEqual({ how: 'complete' });
      expect(sse.events).toEqual([{ errors: [expect.objectContaining({ message: expect.stringMatching(/expiré/), extensions: { code: 'UNAUTHENTICATED' } })] }]);
      await ws.endedBy('the WebSocket closed by the expiry');
      expect(ws.closeCode).toBe(4401);
      expect(ws.events).toEqual([]);
      await waitFor(async () => (await streamsOn(replica.url)) === 0, { description: 'no stream left on the replica' });
    } finally {
      await replica.close();
    }
  });

  it('a stream that delivered nothing for LIVE_IDLE_TIMEOUT_SECONDS ends with complete (SSE and graphql-ws), the WebSocket staying open for others', async () => {
    const luc = bearer(await signIn(stack.gatewayUrl, 'MAG0000003'));
    const replica = await startGatewayReplica(stack, { LIVE_IDLE_TIMEOUT_SECONDS: '1' });
    try {
      const sse = subscribeSse(replica.url, luc.authorization, SUBSCRIPTION);
      const ws = subscribeWs(replica.url, luc.authorization, SUBSCRIPTION);
      held.push(sse, ws);
      expect(await sse.endedBy('the idle SSE stream ended')).toEqual({ how: 'complete' });
      expect(await ws.endedBy('the idle subscription ended')).toEqual({ how: 'complete' });
      expect([sse.events, ws.events]).toEqual([[], []]);
      // graphql-ws completes the subscription, not the connection.
      expect(ws.closeCode).toBeUndefined();
      await waitFor(async () => (await streamsOn(replica.url)) === 0, { description: 'no stream left on the replica' });
      ws.close();
    } finally {
      await replica.close();
    }
  });
});

describe('a client that does not read (LIVE_QUEUE_LIMIT)', () => {
  // Above what the relay may publish at once: a client that reads is never closed by a burst.
  const QUEUE_LIMIT = 10;
  // Large events fill the connection's buffers (a few MB on loopback) in a few dozen events, after
  // which the gateway holds the notifications in the stream's queue.
  const BULKY = { note: 'x'.repeat(256 * 1024) };
  const BULKY_SUBSCRIPTION = 'subscription Bulky { notifications { id data } }';
  const marcsId = stableId('user', 'MAG0000002');
  const logLines: string[] = [];
  let replica: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    // Heartbeats far apart: a WebSocket that does not answer its ping is closed as dead at the
    // next one, which is not what these tests are about.
    replica = await startGatewayReplica(stack, { LIVE_QUEUE_LIMIT: String(QUEUE_LIMIT), LIVE_HEARTBEAT_SECONDS: '120' }, logLines);
  });

  afterAll(async () => {
    await replica?.close();
  });

  /** Raises bulky notifications for Marc, one at a time (a pace a reading client keeps up with), until the replica has `left` streams. */
  async function raiseUntilClosed(left = 0): Promise<number> {
    let raised = 0;
    await waitFor(
      async () => {
        if ((await streamsOn(replica.url)) === left) return true;
        await notify(marcsId, BULKY);
        raised += 1;
        return false;
      },
      { timeoutMs: 120_000, intervalMs: 150, description: 'the stream closed by the gateway' },
    );
    return raised;
  }

  /** The replica still serves: its health, and a new stream of Marc's that receives an event. */
  async function expectHealthy(): Promise<void> {
    expect((await fetch(new URL('/health', replica.url))).status).toBe(200);
    const next = subscribeSse(replica.url, marc.authorization!, SUBSCRIPTION);
    try {
      await waitFor(async () => (await streamsOn(replica.url)) === 1, { description: 'a new stream open on the replica' });
      const id = await notify(marcsId);
      await waitFor(() => next.events.some((event) => event.data?.notifications?.id === id), { timeoutMs: 60_000, description: 'an event on the new stream' });
    } finally {
      next.close();
    }
    await waitFor(async () => (await streamsOn(replica.url)) === 0, { description: 'the new stream closed' });
  }

  const overflows = () => logLines.filter((line) => line.includes('its client does not read')).length;

  it('SSE: more than the queue size of events while it does not read closes its connection; the gateway stays healthy and serves the next stream', async () => {
    const before = overflows();
    const origin = new URL(replica.url);
    const body = JSON.stringify({ query: BULKY_SUBSCRIPTION });
    const socket = connect(Number(origin.port), origin.hostname);
    let received = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => (closed = true));
    socket.write(
      `POST /graphql/stream HTTP/1.1\r\nHost: ${origin.host}\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n` +
        `Authorization: ${marc.authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await waitFor(async () => (await streamsOn(replica.url)) === 1, { description: 'the stream open on the replica' });
    // Marc's other tab reads everything it is sent.
    const reader = subscribeSse(replica.url, marc.authorization!, BULKY_SUBSCRIPTION);
    await waitFor(async () => (await streamsOn(replica.url)) === 2, { description: 'the reading stream open on the replica' });
    // From now on the client reads nothing.
    socket.pause();
    const raised = await raiseUntilClosed(1);
    expect(overflows()).toBe(before + 1);
    // More than the queue's size went by: the reading stream received them and is still open.
    expect(raised).toBeGreaterThan(QUEUE_LIMIT);
    await waitFor(() => reader.events.length >= raised, { timeoutMs: 60_000, description: 'every event on the reading stream' });
    expect(reader.ended).toBeUndefined();
    reader.close();
    await waitFor(async () => (await streamsOn(replica.url)) === 0, { description: 'the reading stream closed' });
    socket.resume();
    await waitFor(() => closed, { description: "the client's connection closed" });
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    // Cut, not completed: the client reads its inbox again when it reconnects.
    expect(received).not.toContain('event: complete');
    await expectHealthy();
  });

  it('graphql-ws: the same closes its WebSocket with 1013 (try again later); the gateway stays healthy', async () => {
    const before = overflows();
    const socket = new WebSocket(replica.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: marc.authorization } })));
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: BULKY_SUBSCRIPTION } }));
      }
    });
    await waitFor(async () => (await streamsOn(replica.url)) === 1, { description: 'the subscription open on the replica' });
    // The socket under the WebSocket stops reading.
    (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    await raiseUntilClosed();
    expect(overflows()).toBe(before + 1);
    (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.resume();
    expect(await closed).toBe(1013);
    await expectHealthy();
  });
});
