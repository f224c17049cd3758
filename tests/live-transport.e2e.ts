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
