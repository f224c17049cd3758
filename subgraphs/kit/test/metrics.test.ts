import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '../src/http';
import { createLogger } from '../src/logger';
import { registerMetricsRoute, SubgraphMetrics, type MetricsAccess } from '../src/metrics';

const TOKEN = 'jeton-de-metriques-assez-long';
const apps: FastifyInstance[] = [];

/** An app as buildSubgraph makes it: counting hook, then the GraphQL route in a plugin, then /metrics. */
async function serve(access: MetricsAccess): Promise<{ origin: string; served: boolean }> {
  const app = createHttpApp(createLogger('test', 'silent'));
  apps.push(app);
  const metrics = new SubgraphMetrics('essai');
  metrics.countGraphqlRequestsOf(app);
  await app.register(async (plugin) => {
    plugin.post('/graphql', async () => ({ data: {} }));
  });
  app.get('/health', async () => ({ status: 'ok' }));
  const served = registerMetricsRoute(app, metrics, access);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { origin: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, served };
}

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

describe("a subgraph's /metrics", () => {
  it('counts the requests served on /graphql only, by subgraph, beside the process metrics', async () => {
    const { origin } = await serve({ production: false });
    const graphql = () => fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    for (const response of [await graphql(), await graphql(), await fetch(`${origin}/health`)]) await response.body?.cancel();
    const response = await fetch(`${origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await response.text();
    expect(body).toContain('subgraph_graphql_requests_total{subgraph="essai"} 2');
    // Present from the start, at zero until the ORM is watched and sends something.
    expect(body).toContain('subgraph_sql_statements_total{subgraph="essai"} 0');
    expect(body).toContain('process_cpu_user_seconds_total');
  });

  it('asks for METRICS_TOKEN as a bearer token when one is set', async () => {
    const { origin } = await serve({ production: true, token: TOKEN });
    const status = async (authorization?: string) => {
      const response = await fetch(`${origin}/metrics`, { headers: authorization ? { authorization } : {} });
      await response.body?.cancel();
      return response.status;
    };
    expect([await status(), await status('Bearer autre-jeton-assez-long'), await status(`Bearer ${TOKEN}`)]).toEqual([401, 401, 200]);
  });

  it('is not served in production without METRICS_TOKEN, as the gateway does', async () => {
    const { origin, served } = await serve({ production: true });
    const response = await fetch(`${origin}/metrics`);
    await response.body?.cancel();
    expect([served, response.status]).toEqual([false, 404]);
  });
});
