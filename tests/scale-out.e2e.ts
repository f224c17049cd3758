import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stableId } from '@pgamr/kit';
import { waitFor } from '@pgamr/kit/testing';
import { Redis } from 'ioredis';
import { freePort, isListening } from './support/ports';
import { bearer, DEMO_PASSWORD, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';
import { bundledService } from './support/bundled';

// The real entry point (gateway/src/index.ts) with GATEWAY_WORKERS=2, as an operator runs it:
// one primary, two worker processes sharing one port, in front of the stack's subgraphs.
// Each cluster start loads the gateway twice at once: generous limits for a busy machine.
jest.setTimeout(120_000);
const REPOSITORY = path.resolve(__dirname, '..');
const GUARD = path.join(REPOSITORY, 'tests', 'support', 'loopback-guard.cjs');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAGOG = stableId('organization', 'MUN-45072');
const SIGN_IN = 'mutation ScaleOutSignIn($code: String!, $password: String!) { signIn(input: { clicSequrCode: $code, password: $password }) { session { accessToken } } }';

interface LogLine {
  msg: string;
  worker?: number;
  pid?: number;
  [key: string]: unknown;
}

interface Gateway {
  child: ChildProcess;
  logs: LogLine[];
  stderr: () => string;
  /** Resolves with the first log line (past or future) that matches. */
  waitForLog(match: (line: LogLine) => boolean, what: string): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let workDir: string;
const started: Gateway[] = [];

function startGateway(env: Record<string, string>): Gateway {
  const base: NodeJS.ProcessEnv = { ...process.env };
  // The product sets it itself, in the primary and in every worker (no-telemetry.ts).
  delete base.APOLLO_TELEMETRY_DISABLED;
  const child = spawn(process.execPath, bundledService('gateway/src/index.ts'), {
    cwd: REPOSITORY,
    env: {
      ...base,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      NODE_OPTIONS: `--require ${GUARD}`,
      LOOPBACK_GUARD_LOG: path.join(workDir, 'outgoing-connections.log'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const text of lines) {
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as LogLine;
      logs.push(line);
      for (const waiter of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const gateway: Gateway = {
    child,
    logs,
    stderr: () => stderr,
    waitForLog(match, what) {
      const seen = logs.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then(({ code }) => reject(new Error(`gateway exited (${code}) before "${what}":\n${stderr}`)));
      });
    },
    exited,
  };
  started.push(gateway);
  return gateway;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/**
 * One HTTP request on a connection of its own: the primary deals connections to the workers in
 * turn, so requests on separate connections reach both (a keep-alive pool would stick to one).
 */
function send(port: number, method: 'GET' | 'POST', urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent: false,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          const json = (response.headers['content-type'] ?? '').includes('json');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: json ? JSON.parse(text) : text });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

const graphql = (port: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => send(port, 'POST', '/graphql', body, headers);

/** Values of one metric from the cluster's `/metrics`, keyed by worker slot. */
async function perWorker(port: number, metric: string, labels: string): Promise<Record<string, number>> {
  const { status, body } = await send(port, 'GET', '/metrics');
  expect(status).toBe(200);
  const values: Record<string, number> = {};
  const pattern = new RegExp(`^${metric}\\{${labels},worker="(\\d+)"\\} (\\S+)$`, 'gm');
  for (const match of (body as string).matchAll(pattern)) values[match[1]!] = Number(match[2]);
  return values;
}

async function metric(port: number, line: string): Promise<number | undefined> {
  const { body } = await send(port, 'GET', '/metrics');
  const found = new RegExp(`^${line} (\\S+)$`, 'm').exec(body as string);
  return found ? Number(found[1]) : undefined;
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((total, value) => total + value, 0);


function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'pgamr-scale-out-'));
});

afterAll(async () => {
  for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  const log = path.join(workDir, 'outgoing-connections.log');
  const outgoing = existsSync(log) ? readFileSync(log, 'utf8') : '';
  rmSync(workDir, { recursive: true, force: true });
  // Nothing left the machine, from the primary or any worker.
  expect(outgoing).toBe('');
});

describe('GATEWAY_WORKERS=2: two gateway processes behind one port', () => {
  const keyPrefix = `pgamr-test:${randomUUID()}`;
  let stack: Stack;
  let port: number;
  let gateway: Gateway;
  let workers: Map<number, number>;

  beforeAll(async () => {
    stack = await startStack();
    port = await freePort();
    gateway = startGateway({
      ...stack.gatewayEnv,
      GATEWAY_PORT: String(port),
      GATEWAY_WORKERS: '2',
      REDIS_URL,
      RATE_LIMIT_KEY_PREFIX: keyPrefix,
      SIGN_IN_RATE_LIMIT_POINTS: '3',
      SIGN_IN_RATE_LIMIT_WINDOW_SECONDS: '600',
    });
    await gateway.waitForLog((line) => line.msg === 'gateway cluster listening', 'cluster listening');
    const listening = gateway.logs.filter((line) => line.msg === 'gateway worker listening');
    workers = new Map(listening.map((line) => [line.worker!, line.pid!]));
  });

  afterAll(async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await stack?.close();
  });

  it('forks two workers, each a process of its own, that take connections in turn; /metrics counts both', async () => {
    expect([...workers.keys()].sort()).toEqual([1, 2]);
    const pids = [...workers.values()];
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(gateway.child.pid);
    for (const pid of pids) expect(alive(pid)).toBe(true);

    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await graphql(port, { query: 'query ScaleOutProbe { __typename }' }));
    for (const answer of answers) expect(answer.body).toEqual({ data: { __typename: 'Query' } });

    // Any worker answers /metrics for the whole cluster: one family per metric, a series per worker.
    const counts = await perWorker(port, 'graphql_requests_total', 'operation="ScaleOutProbe"');
    expect(Object.keys(counts).sort()).toEqual(['1', '2']);
    expect(sum(counts)).toBe(6);
    const { body } = await send(port, 'GET', '/metrics');
    expect((body as string).match(/^# TYPE graphql_requests_total counter$/gm)).toHaveLength(1);
    expect(body).toMatch(/^gateway_workers_listening 2$/m);
    // Which process answered shows in metrics only, never in a response.
    expect(Object.keys(answers[0]!.headers).filter((name) => /worker|pid/i.test(name))).toEqual([]);
  });

  it('a signed-in user’s query works whichever worker takes it (each verifies tokens with identity’s keys)', async () => {
    const headers = bearer(await signIn(stack.subgraphs.identity.url, 'MAG0000001'));
    const query = 'query ScaleOutOrganization($id: ID!) { organization(id: $id) { name } }';
    for (let i = 0; i < 4; i += 1) {
      const answer = await graphql(port, { query, variables: { id: MAGOG } }, headers);
      expect(answer.body).toEqual({ data: { organization: { name: 'Ville de Magog' } } });
    }
    expect(Object.keys(await perWorker(port, 'graphql_requests_total', 'operation="ScaleOutOrganization"')).sort()).toEqual(['1', '2']);
  });

  it('R6: sign-in attempts spread over both workers meet one limit, counted in Redis', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await graphql(port, { query: SIGN_IN, variables: { code: 'MAG0000002', password: DEMO_PASSWORD } })).status);
    }
    // Three points in all, as with one process; with a count per worker it would take six.
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Object.keys(await perWorker(port, 'graphql_requests_total', 'operation="ScaleOutSignIn"')).sort()).toEqual(['1', '2']);
    expect(sum(await perWorker(port, 'rate_limited_total', 'reason="sign-in"'))).toBe(2);
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    expect(await redis.get(`${keyPrefix}:sign-in:ip:127.0.0.1`)).toBe('5');
    await redis.quit();
  });

  it('APQ: a hash registered on one worker is unknown to the other, which asks for the query once; the client always gets its data', async () => {
    const query = 'query ScaleOutApq { __typename }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    expect((await graphql(port, { query, extensions: { persistedQuery } })).body).toEqual({ data: { __typename: 'Query' } });

    // What Apollo Client does: the hash alone, and the full query once if the server asks for it.
    let notFound = 0;
    for (let i = 0; i < 4; i += 1) {
      let answer = await graphql(port, { extensions: { persistedQuery } });
      if (answer.body.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') {
        notFound += 1;
        answer = await graphql(port, { query, extensions: { persistedQuery } });
      }
      expect(answer.body).toEqual({ data: { __typename: 'Query' } });
    }
    expect(notFound).toBeGreaterThan(0);
  });

  it('keeps answering on the port when a worker dies, and the primary replaces it', async () => {
    const victim = workers.get(1)!;
    process.kill(victim, 'SIGKILL');
    await gateway.waitForLog((line) => line.msg === 'gateway worker died' && line.pid === victim, 'worker died');
    for (let i = 0; i < 4; i += 1) {
      expect((await graphql(port, { query: 'query ScaleOutDuringRestart { __typename }' })).status).toBe(200);
    }

    const replacement = await gateway.waitForLog(
      (line) => line.msg === 'gateway worker listening' && line.worker === 1 && line.pid !== victim,
      'replacement listening',
    );
    expect(alive(victim)).toBe(false);
    expect(alive(replacement.pid!)).toBe(true);
    workers.set(1, replacement.pid!);
    for (let i = 0; i < 4; i += 1) await graphql(port, { query: 'query ScaleOutAfterRestart { __typename }' });
    // The replacement takes the slot (and the metrics label) of the worker it replaces.
    expect(Object.keys(await perWorker(port, 'graphql_requests_total', 'operation="ScaleOutAfterRestart"')).sort()).toEqual(['1', '2']);
    expect(await metric(port, 'gateway_worker_restarts_total')).toBe(1);
  });

  it('SIGTERM: requests in flight finish, every worker stops, the primary exits 0', async () => {
    // A request whose body is still to come when the signal arrives. `Expect: 100-continue` makes
    // the worker that took the connection say when it has read the request's head.
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const body = JSON.stringify({ query: 'query ScaleOutInFlight { __typename }' });
    socket.write(
      `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nexpect: 100-continue\r\n\r\n`,
    );
    await waitFor(() => response.startsWith('HTTP/1.1 100 Continue\r\n\r\n'), { timeoutMs: 30_000, intervalMs: 20, description: '100 Continue' });

    gateway.child.kill('SIGTERM');
    for (const slot of [1, 2]) {
      await gateway.waitForLog((line) => line.msg === 'shutting down' && line.worker === slot, `worker ${slot} shutting down`);
    }
    socket.write(body);
    await closed;
    expect(response).toMatch(/\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(response).toContain('{"data":{"__typename":"Query"}}');

    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    for (const slot of [1, 2]) expect(gateway.logs).toContainEqual(expect.objectContaining({ msg: 'gateway worker stopped', worker: slot, code: 0 }));
    for (const pid of workers.values()) expect(alive(pid)).toBe(false);
    expect(await isListening(port)).toBe(false);
  });
});

describe('GATEWAY_WORKERS: start-up failures stop the start once, with one message', () => {
  it('refuses several workers in production without REDIS_URL, before forking any', async () => {
    const gateway = startGateway({ NODE_ENV: 'production', GATEWAY_WORKERS: '2', GATEWAY_PORT: String(await freePort()) });
    expect(await gateway.exited).toEqual({ code: 1, signal: null });
    expect(gateway.stderr().match(/Configuration invalide/g)).toHaveLength(1);
    expect(gateway.stderr()).toContain('GATEWAY_WORKERS=2 exige REDIS_URL en production');
    expect(gateway.logs.filter((line) => /worker/.test(line.msg))).toEqual([]);
  });

  it('exits 1 with one message when the workers cannot listen', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const gateway = startGateway({ GATEWAY_WORKERS: '2', GATEWAY_PORT: String(port), NODE_ENV: 'test' });
      expect(await gateway.exited).toEqual({ code: 1, signal: null });
      expect(gateway.stderr().match(/démarrage impossible/g)).toHaveLength(1);
      expect(gateway.stderr()).toMatch(/déjà utilisé .*GATEWAY_PORT/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
