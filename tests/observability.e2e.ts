import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { stableId } from '@pgamr/kit';
import { createTestDatabase, type TestDatabase } from '@pgamr/kit/testing';
import { startTracing } from '@pgamr/kit/tracing';
import { execute } from './support/graphql';
import { freePort } from './support/ports';
import { bearer, DEMO_PASSWORD, signIn } from './support/session';
import { startGatewayReplica, startStack, type Stack } from './support/stack';
import { eventually } from './support/eventually';
import { workFolder } from './support/work-folder';
import { bundledService } from './support/bundled';

const MAGOG = stableId('organization', 'MUN-45072');
const DASHBOARD = 'query Dashboard($id: ID!) { organization(id: $id) { name dossiers { nodes { title } } } }';

describe('logs and metrics through the gateway', () => {
  let stack: Stack;
  let headers: Record<string, string>;
  let origin: string;
  const identityLines: string[] = [];
  const mandatesLines: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ subgraphLogLines: { identity: identityLines, mandates: mandatesLines } });
    origin = new URL(stack.gatewayUrl).origin;
    headers = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
  });

  afterAll(async () => {
    await stack?.close();
  });

  const post = (body: unknown, extraHeaders: Record<string, string> = {}) =>
    fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers, ...extraHeaders },
      body: JSON.stringify(body),
    });
  const loggedRequestIds = (lines: string[]) =>
    lines.map((line) => (JSON.parse(line) as { reqId?: string }).reqId).filter(Boolean);

  it("follows one request id from the caller to every subgraph's log and back in the response", async () => {
    const requestId = `obs-${randomUUID()}`;
    const response = await post({ query: DASHBOARD, variables: { id: MAGOG } }, { 'x-request-id': requestId });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const body = (await response.json()) as { errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(loggedRequestIds(identityLines)).toContain(requestId);
    expect(loggedRequestIds(mandatesLines)).toContain(requestId);
  });

  it('makes up a request id when the caller sends none, and still passes it on', async () => {
    const response = await post({ query: DASHBOARD, variables: { id: MAGOG } });
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await response.body?.cancel();
    expect(loggedRequestIds(mandatesLines)).toContain(requestId);
  });

  it("a masked internal error is findable: the client gets the request id, the gateway's log has the cause under it", async () => {
    // A subgraph that answers every call with an error of its own, without a code (a bug there).
    const broken = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: null, errors: [{ message: 'boom: relation "dossier_v2" does not exist' }] }));
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const gatewayLines: string[] = [];
    const replica = await startGatewayReplica(
      stack,
      { MANDATES_SUBGRAPH_URL: `http://127.0.0.1:${(broken.address() as AddressInfo).port}/graphql` },
      gatewayLines,
    );
    try {
      const response = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: DASHBOARD, variables: { id: MAGOG } }),
      });
      const requestId = response.headers.get('x-request-id');
      const body = (await response.json()) as { data: { organization: { name: string } }; errors: Array<{ message: string; extensions: Record<string, unknown> }> };
      expect(body.data.organization.name).toBe('Ville de Magog');
      expect(body.errors[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId });
      expect(JSON.stringify(body)).not.toContain('dossier_v2');
      const logged = gatewayLines.map((line) => JSON.parse(line) as { reqId?: string; subgraph?: string; msg?: string; err?: { message?: string } });
      expect(logged).toContainEqual(
        expect.objectContaining({ reqId: requestId, subgraph: 'mandates', msg: 'internal error, masked for the client', err: expect.objectContaining({ message: expect.stringContaining('dossier_v2') }) }),
      );
    } finally {
      await replica.close();
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  it('exposes request, error-code and latency metrics per operation and per subgraph at /metrics', async () => {
    await post({ query: DASHBOARD, variables: { id: MAGOG } }).then((r) => r.body?.cancel());
    await post({ query: '{ organization(id: "x") { notAField } }' }).then((r) => r.body?.cancel());

    const response = await fetch(`${origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^graphql_requests_total\{operation="Dashboard"\} [1-9]/m);
    expect(text).toMatch(/^graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} [1-9]/m);
    expect(text).toMatch(/^graphql_request_duration_seconds_bucket\{le="[^"]+",operation="Dashboard"\} [1-9]/m);
    expect(text).toMatch(/^graphql_request_duration_seconds_count\{operation="Dashboard"\} [1-9]/m);
    expect(text).toMatch(/^subgraph_request_duration_seconds_count\{subgraph="mandates",outcome="success"\} [1-9]/m);
    expect(text).toMatch(/^subgraph_request_duration_seconds_count\{subgraph="identity",outcome="success"\} [1-9]/m);
    expect(text).toMatch(/^# TYPE rate_limited_total counter/m);
    expect(text).toMatch(/^# TYPE cache_hits_total counter/m);
  });

  it('counts what the rate-limit and cache hooks report', async () => {
    stack.gateway.metrics.recordRateLimited('test');
    stack.gateway.metrics.recordCacheHit('test');
    const text = await (await fetch(`${origin}/metrics`)).text();
    expect(text).toMatch(/^rate_limited_total\{reason="test"\} 1$/m);
    expect(text).toMatch(/^cache_hits_total\{cache="test"\} 1$/m);
  });

  it('in production, serves /metrics only with METRICS_TOKEN, and not at all without one', async () => {
    const token = `metrics-${randomUUID()}`;
    const guarded = await startGatewayReplica(stack, { NODE_ENV: 'production', METRICS_TOKEN: token });
    const closed = await startGatewayReplica(stack, { NODE_ENV: 'production' });
    try {
      const guardedMetrics = `${new URL(guarded.url).origin}/metrics`;
      expect((await fetch(guardedMetrics)).status).toBe(401);
      expect((await fetch(guardedMetrics, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
      const allowed = await fetch(guardedMetrics, { headers: { authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toMatch(/# TYPE graphql_requests_total counter/);
      expect((await fetch(`${new URL(closed.url).origin}/metrics`)).status).toBe(404);
    } finally {
      await Promise.all([guarded.close(), closed.close()]);
    }
  });
});

describe('tracing', () => {
  it('is off by default: nothing is built without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(startTracing('gateway', {})).toBeUndefined();
    expect(startTracing('gateway', { OTEL_SERVICE_NAME: 'gateway' })).toBeUndefined();
  });

  describe('with a loopback OTLP receiver', () => {
    const REPOSITORY = path.resolve(__dirname, '..');
    const GUARD = path.join(REPOSITORY, 'tests', 'support', 'loopback-guard.cjs');
    const spans: Array<{ service: string; traceId: string; kind: number; name: string }> = [];
    const children: ChildProcess[] = [];
    let receiver: Server;
    let workDir: string;
    let database: TestDatabase;
    let gatewayUrl: string;

    const spawnService = (entry: string, env: NodeJS.ProcessEnv) => {
      const child = spawn(process.execPath, bundledService(entry), {
        cwd: REPOSITORY,
        env: { ...process.env, NODE_OPTIONS: `--require ${GUARD}`, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...env },
        stdio: 'ignore',
      });
      children.push(child);
    };

    beforeAll(async () => {
      receiver = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          if (request.url === '/v1/traces') collectSpans(body);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const otlpEndpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      workDir = workFolder('pgamr-tracing-');
      database = await createTestDatabase('tracing_identity');
      const [identityPort, gatewayPort] = [await freePort(), await freePort()];
      const tracingEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_BSP_SCHEDULE_DELAY: '100' };
      spawnService('subgraphs/identity/src/index.ts', {
        ...tracingEnv,
        IDENTITY_PORT: String(identityPort),
        DATA_DIR: path.join(workDir, 'data'),
        ...(database.connection.kind === 'postgresql' ? { IDENTITY_DATABASE_URL: database.connection.url } : {}),
      });
      spawnService('gateway/src/index.ts', {
        ...tracingEnv,
        GATEWAY_PORT: String(gatewayPort),
        IDENTITY_SUBGRAPH_URL: `http://127.0.0.1:${identityPort}/graphql`,
        IDENTITY_JWKS_URL: `http://127.0.0.1:${identityPort}/.well-known/jwks.json`,
      });
      gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
      await eventually(async () => ((await fetch(`http://127.0.0.1:${identityPort}/ready`)).ok ? true : undefined), 1200);
      await eventually(async () => ((await fetch(`http://127.0.0.1:${gatewayPort}/health`)).ok ? true : undefined), 1200);
    }, 150_000);

    afterAll(async () => {
      await Promise.all(
        children.map(
          (child) =>
            new Promise((resolve) => {
              if (child.exitCode !== null) return resolve(undefined);
              child.once('exit', resolve);
              child.kill('SIGTERM');
            }),
        ),
      );
      await new Promise((resolve) => receiver?.close(resolve));
      await database?.drop();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    function collectSpans(body: string): void {
      const payload = JSON.parse(body) as {
        resourceSpans?: Array<{
          resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans?: Array<{ spans?: Array<{ traceId: string; kind: number; name: string }> }>;
        }>;
      };
      for (const resourceSpans of payload.resourceSpans ?? []) {
        const service =
          resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) spans.push({ service, traceId: span.traceId, kind: span.kind, name: span.name });
        }
      }
    }

    it('shows spans of the gateway and of a subgraph in one trace', async () => {
      const { data } = await execute<{ signIn: { session: { accessToken: string } } }>(
        gatewayUrl,
        'mutation SignIn($input: SignInInput!) { signIn(input: $input) { session { accessToken } } }',
        { input: { clicSequrCode: 'MAG0000001', password: DEMO_PASSWORD } },
      );
      expect(data?.signIn.session.accessToken).toBeTruthy();

      const SERVER = 2;
      const sharedTrace = await eventually(async () => {
        const gatewayTraces = new Set(spans.filter((s) => s.service === 'gateway' && s.kind === SERVER).map((s) => s.traceId));
        const trace = spans.find((s) => s.service === 'identity' && s.kind === SERVER && gatewayTraces.has(s.traceId));
        return trace?.traceId;
      });
      expect(sharedTrace).toMatch(/^[0-9a-f]{32}$/);
    });
  });
});
