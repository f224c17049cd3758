import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from './support/ports';
import { bearer, DEMO_PASSWORD, signIn } from './support/session';
import { startGatewayReplica, startStack, type Stack } from './support/stack';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SIGN_IN = 'mutation($code: String!, $password: String!) { signIn(input: { clicSequrCode: $code, password: $password }) { session { accessToken } } }';
const ALIASED_SIGN_IN = 'mutation($code: String!, $password: String!) { session: signIn(input: { clicSequrCode: $code, password: $password }) { session { accessToken } } }';
const TYPENAME = '{ __typename }';
/** Everything jest's fake timers could fake but Date: a test moves the date, timers and I/O keep real time. */
const NOT_DATE: Array<'hrtime' | 'nextTick' | 'performance' | 'queueMicrotask' | 'setImmediate' | 'clearImmediate' | 'setInterval' | 'clearInterval' | 'setTimeout' | 'clearTimeout'> = [
  'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout',
];

let stack: Stack;
/** Every gateway a test starts, closed even when the test fails. */
const replicas: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  stack = await startStack();
});

afterEach(async () => {
  await Promise.all(replicas.splice(0).map((replica) => replica.close()));
});

afterAll(async () => {
  await stack?.close();
});

async function gatewayWith(env: Record<string, string>): Promise<string> {
  const replica = await startGatewayReplica(stack, env);
  replicas.push(replica);
  return replica.url;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
}

const statuses = (answers: Answer[]) => answers.map((answer) => answer.status);
const signInAs = (url: string, code: string, query = SIGN_IN) => post(url, query, { code, password: DEMO_PASSWORD });

function expectRateLimited(answer: Answer, message: RegExp): void {
  expect(answer.status).toBe(429);
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(answer.body.data).toBeUndefined();
  expect(answer.body.errors).toEqual([
    { message: expect.stringMatching(message), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Number(answer.retryAfter) } },
  ]);
}

describe('R6: a strict rate limit on sign-in attempts, per IP address', () => {
  it('refuses sign-ins past the limit with 429, Retry-After and RATE_LIMITED, then accepts them once the window has passed', async () => {
    // A window of a minute: the test moves the clock past it rather than waiting it out.
    const url = await gatewayWith({ SIGN_IN_RATE_LIMIT_POINTS: '2', SIGN_IN_RATE_LIMIT_WINDOW_SECONDS: '60' });

    const burst = await Promise.all([
      signInAs(url, 'MAG0000002'),
      signInAs(url, 'MAG0000002'),
      signInAs(url, 'MAG0000002'),
      signInAs(url, 'MAG0000002', ALIASED_SIGN_IN),
    ]);
    expect(statuses(burst).sort()).toEqual([200, 200, 429, 429]);
    const accepted = burst.filter((answer) => answer.status === 200);
    for (const answer of accepted) expect(answer.body.errors).toBeUndefined();
    const refused = burst.filter((answer) => answer.status === 429);
    for (const answer of refused) expectRateLimited(answer, /^Trop de tentatives de connexion depuis cette adresse\. Veuillez réessayer dans \d+ secondes?\.$/);

    // Other operations from the same address only count against the general limit.
    expect((await post(url, TYPENAME)).status).toBe(200);

    // Still refused inside the window; accepted once the time it said to wait has passed. The
    // in-memory limiter reads Date: only Date is faked, timers and I/O run as usual.
    expect((await signInAs(url, 'MAG0000002')).status).toBe(429);
    const waitMs = Math.max(...refused.map((answer) => Number(answer.retryAfter))) * 1000;
    jest.useFakeTimers({ advanceTimers: true, doNotFake: NOT_DATE });
    let answer: Answer;
    try {
      jest.setSystemTime(Date.now() + waitMs + 1_000);
      answer = await signInAs(url, 'MAG0000002');
    } finally {
      jest.useRealTimers();
    }
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ signIn: { session: { accessToken: expect.any(String) } } });
  });

  it('counts a sign-in sent as a persisted query hash alone', async () => {
    const url = await gatewayWith({ SIGN_IN_RATE_LIMIT_POINTS: '1', SIGN_IN_RATE_LIMIT_WINDOW_SECONDS: '600' });
    const variables = { code: 'MAG0000002', password: DEMO_PASSWORD };
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(SIGN_IN).digest('hex') };
    const send = (body: Record<string, unknown>) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, variables, extensions: { persistedQuery } }) });

    const registered = await send({ query: SIGN_IN });
    expect(registered.status).toBe(200);
    expect(((await registered.json()) as Answer['body']).data).toEqual({ signIn: { session: { accessToken: expect.any(String) } } });

    const byHash = await send({});
    expect(byHash.status).toBe(429);
    expectRateLimited(
      { status: byHash.status, retryAfter: byHash.headers.get('retry-after'), body: (await byHash.json()) as Answer['body'] },
      /^Trop de tentatives de connexion/,
    );
  });
});

describe('a general rate limit per client: the signed-in user, else the IP address', () => {
  it('gives each user a budget of their own, which neither another address nor a forged token escapes', async () => {
    // Behind a trusted proxy (loopback here), X-Forwarded-For names the client's address.
    const url = await gatewayWith({ RATE_LIMIT_POINTS: '3', RATE_LIMIT_WINDOW_SECONDS: '600', TRUST_PROXY: 'loopback' });
    const fromAddress = (ip: string, headers: Record<string, string> = {}) => post(url, TYPENAME, {}, { 'x-forwarded-for': ip, ...headers });
    const marc = bearer(await signIn(stack.subgraphs.identity.url, 'MAG0000002'));
    const isabelle = bearer(await signIn(stack.subgraphs.identity.url, 'MAG0000001'));

    const anonymous = [];
    for (let i = 0; i < 4; i += 1) anonymous.push(await fromAddress('203.0.113.10'));
    expect(statuses(anonymous)).toEqual([200, 200, 200, 429]);
    expectRateLimited(anonymous[3]!, /^Trop de requêtes\. Veuillez réessayer dans \d+ secondes\.$/);

    const marcFromThere = [];
    for (let i = 0; i < 4; i += 1) marcFromThere.push(await fromAddress('203.0.113.10', marc));
    expect(statuses(marcFromThere)).toEqual([200, 200, 200, 429]);
    expect((await fromAddress('203.0.113.99', marc)).status).toBe(429);

    expect((await fromAddress('203.0.113.10', isabelle)).status).toBe(200);
    expect((await fromAddress('203.0.113.11')).status).toBe(200);
    expect((await fromAddress('203.0.113.10', { authorization: `Bearer forged.${randomUUID()}.token` })).status).toBe(429);
  });

  it('does not believe X-Forwarded-For unless a proxy is trusted', async () => {
    const url = await gatewayWith({ RATE_LIMIT_POINTS: '2', RATE_LIMIT_WINDOW_SECONDS: '600' });
    const answers = [];
    for (const ip of ['203.0.113.1', '203.0.113.2']) answers.push(await post(url, TYPENAME, {}, { 'x-forwarded-for': ip }));
    expect(statuses(answers)).toEqual([200, 200]);

    // The refusal carries CORS headers, or a browser page could not read Retry-After.
    const refused = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.3', origin: 'http://localhost:5173' },
      body: JSON.stringify({ query: TYPENAME }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(refused.headers.get('access-control-expose-headers')).toContain('retry-after');
  });
});

describe('with REDIS_URL, the replicas of the gateway share one limit', () => {
  const keyPrefix = `pgamr-test:${randomUUID()}`;
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('counts the requests of one client across two gateway instances', async () => {
    const env = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: keyPrefix, RATE_LIMIT_POINTS: '3', RATE_LIMIT_WINDOW_SECONDS: '600' };
    const [first, second] = await Promise.all([gatewayWith(env), gatewayWith(env)]);

    const answers = [];
    for (const url of [first, second, first, second, first]) answers.push(await post(url, TYPENAME));
    expect(statuses(answers)).toEqual([200, 200, 200, 429, 429]);
    expect(await redis.keys(`${keyPrefix}:general:*`)).toEqual([`${keyPrefix}:general:ip:127.0.0.1`]);
  });

  it('keeps limiting in each instance’s memory when Redis cannot be reached (fail open, never unlimited)', async () => {
    const url = await gatewayWith({
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      RATE_LIMIT_KEY_PREFIX: keyPrefix,
      RATE_LIMIT_POINTS: '2',
      RATE_LIMIT_WINDOW_SECONDS: '600',
    });
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await post(url, TYPENAME));
    expect(statuses(answers)).toEqual([200, 200, 429]);
  });
});
