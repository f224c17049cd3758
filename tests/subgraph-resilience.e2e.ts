import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stableId } from '@pgamr/kit';
import { createLogger } from '@pgamr/kit/logger';
import { GatewayMetrics } from '../gateway/src/observability/metrics';
import { readSubgraphCallSettings } from '../gateway/src/subgraphs/subgraph-call-settings';
import { createSubgraphClients, SubgraphUnavailableError } from '../gateway/src/subgraphs/subgraph-client';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';
import { eventually } from './support/eventually';

const MAGOG = stableId('organization', 'MUN-45072');
const DASHBOARD = /* GraphQL */ `
  query Dashboard($id: ID!) {
    organization(id: $id) {
      name
      dossiers { nodes { title } }
    }
  }
`;

interface Dashboard {
  organization: { name: string; dossiers: { nodes: Array<{ title: string }> } | null } | null;
}

describe('through the gateway, when a subgraph goes down and comes back', () => {
  let stack: Stack;
  let headers: Record<string, string>;
  let origin: string;
  const metricsText = async () => (await fetch(`${origin}/metrics`)).text();

  beforeAll(async () => {
    stack = await startStack({
      gatewayEnv: {
        // A circuit that opens after a few failures and tries again soon, so the test is short.
        SUBGRAPH_CIRCUIT_VOLUME_THRESHOLD: '2',
        SUBGRAPH_CIRCUIT_RESET_MS: '300',
        SUBGRAPH_RETRY_BASE_DELAY_MS: '5',
      },
    });
    origin = new URL(stack.gatewayUrl).origin;
    headers = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("answers fully while every subgraph is up", async () => {
    const { data, errors } = await execute<Dashboard>(stack.gatewayUrl, DASHBOARD, { id: MAGOG }, headers);
    expect(errors).toBeUndefined();
    expect(data?.organization?.name).toBe('Ville de Magog');
    expect(data?.organization?.dossiers?.nodes.length).toBeGreaterThan(0);
  });

  it("returns the other subgraphs' data with a masked error on the missing part, then fails fast", async () => {
    await stack.stopSubgraph('mandates');

    const { data, errors } = await execute<Dashboard>(stack.gatewayUrl, DASHBOARD, { id: MAGOG }, headers);
    expect(data?.organization?.name).toBe('Ville de Magog');
    expect(data?.organization?.dossiers).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors?.[0]?.path).toEqual(['organization', 'dossiers']);
    expect(errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(errors?.[0]?.message).toMatch(/temporairement indisponible/);
    expect(errors?.[0]?.extensions).not.toHaveProperty('serviceName');
    // No internal address, port or subgraph name reaches the client.
    const body = JSON.stringify(errors);
    expect(body).not.toMatch(/127\.0\.0\.1|localhost|https?:|mandates|ECONNREFUSED|fetch failed/i);

    // Repeated failures open the mandates circuit: later calls fail fast without a connection.
    await eventually(async () => {
      await execute<Dashboard>(stack.gatewayUrl, DASHBOARD, { id: MAGOG }, headers);
      const text = await metricsText();
      return /subgraph_circuit_open\{subgraph="mandates"\} 1/.test(text) &&
        /subgraph_request_duration_seconds_count\{subgraph="mandates",outcome="circuit_open"\} [1-9]/.test(text)
        ? true
        : undefined;
    });
    // Identity's circuit is untouched.
    expect(await metricsText()).toMatch(/subgraph_circuit_open\{subgraph="identity"\} 0/);

    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', subgraphs: { mandates: false, identity: true } });
  });

  it('recovers by itself once the subgraph is back on the same port (the circuit closes)', async () => {
    await stack.restartSubgraph('mandates');

    const data = await eventually(async () => {
      const response = await execute<Dashboard>(stack.gatewayUrl, DASHBOARD, { id: MAGOG }, headers);
      return response.errors ? undefined : response.data;
    });
    expect(data?.organization?.name).toBe('Ville de Magog');
    expect(data?.organization?.dossiers?.nodes.length).toBeGreaterThan(0);
    expect(await metricsText()).toMatch(/subgraph_circuit_open\{subgraph="mandates"\} 0/);
    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(200);
  });
});

describe('subgraph calls against a flaky subgraph', () => {
  let server: Server;
  let url: string;
  let hits: string[];
  let failuresLeft: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        hits.push(body);
        if (failuresLeft-- > 0) {
          response.writeHead(503).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { ok: true } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  beforeEach(() => {
    hits = [];
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const clients = () =>
    createSubgraphClients({
      settings: readSubgraphCallSettings({ SUBGRAPH_RETRIES: '2', SUBGRAPH_RETRY_BASE_DELAY_MS: '1' }, []),
      metrics: new GatewayMetrics(),
      logger: createLogger('gateway', 'silent'),
    });
  const post = (query: string, idempotent: boolean) => [JSON.stringify({ query }), { 'content-type': 'application/json' }, idempotent] as const;

  it('retries a query after a 5xx and returns the answer that follows', async () => {
    failuresLeft = 2;
    const pool = clients();
    try {
      const reply = await pool.forSubgraph('flaky')(url, ...post('query Q__flaky__0 { ok }', true));
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ data: { ok: true } });
      expect(hits).toHaveLength(3);
    } finally {
      await pool.close();
    }
  });

  it('never sends a mutation twice', async () => {
    failuresLeft = 1;
    const pool = clients();
    try {
      await expect(pool.forSubgraph('flaky')(url, ...post('mutation M__flaky__0 { ok }', false))).rejects.toBeInstanceOf(
        SubgraphUnavailableError,
      );
      expect(hits).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });

  it('gives up on a query after the configured retries', async () => {
    failuresLeft = 10;
    const pool = clients();
    try {
      await expect(pool.forSubgraph('flaky')(url, ...post('{ ok }', true))).rejects.toBeInstanceOf(SubgraphUnavailableError);
      expect(hits).toHaveLength(3);
    } finally {
      await pool.close();
    }
  });
});
