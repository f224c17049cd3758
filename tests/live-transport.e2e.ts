import { waitFor } from '@pgamr/kit/testing';
import WebSocket from 'ws';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

// Issue 19, live delivery: what the transports do before and around any event. The token is
// checked before a stream starts (HTTP 401 for SSE, close 4401 for graphql-ws), the streams one
// user may hold are limited, a stream beats while it waits.

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
