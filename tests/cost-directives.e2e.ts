import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildGateway, type BuiltGateway } from '@pgamr/gateway';
import { readGatewayConfig } from '@pgamr/gateway/config';
import { createLogger } from '@pgamr/kit/logger';
import { createTestEventBus, type TestEventBus } from '@pgamr/kit/testing';
import { parse } from 'graphql';
import type { AddressInfo } from 'node:net';
import { composeSubgraphs } from '../gateway/src/compose/compose';
import { eventually } from './support/eventually';
import { execute } from './support/graphql';

// Issue 17: our gateway in its production profile, with its default limits, in front of another
// team's subgraph, as the federation gateway audit runs it. The subgraph pages nothing (lists
// without `first`, as the audit's do) and annotates one list with @listSize.
const catalogSdl = (bestSellers: number) => `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
    @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", "@listSize"])

  type Query {
    categories: [Category!]!
    bestSellers: [Product!]! @listSize(assumedSize: ${bestSellers})
  }
  type Category { name: String! products: [Product!]! }
  type Product @key(fields: "id") { id: ID! name: String! variants: [Variant!]! }
  type Variant { sku: String! price: Float! }
`;

const variants = [{ sku: 'A-1', price: 10 }, { sku: 'A-2', price: 12 }];
const products = [{ id: 'p1', name: 'Pelle', variants }, { id: 'p2', name: 'Râteau', variants }];
const categories = [{ name: 'Jardin', products }, { name: 'Atelier', products }];

let subgraph: ApolloServer;
let subgraphUrl: string;
let gateway: BuiltGateway;
let gatewayUrl: string;
let dir: string;
let bus: TestEventBus | undefined;
let supergraphPath: string;

function supergraph(bestSellers: number): string {
  const composed = composeSubgraphs([{ name: 'catalog', routingUrl: subgraphUrl, schemaFile: 'catalog.graphql', sdl: catalogSdl(bestSellers) }]);
  if (!composed.ok) throw new Error(composed.errors.join('\n'));
  return composed.supergraphSdl;
}

beforeAll(async () => {
  subgraph = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(catalogSdl(600)),
      resolvers: { Query: { categories: () => categories, bestSellers: () => products } },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  ({ url: subgraphUrl } = await startStandaloneServer(subgraph, { listen: { host: '127.0.0.1', port: 0 } }));
  dir = await mkdtemp(path.join(tmpdir(), 'pgamr-cost-'));
  supergraphPath = path.join(dir, 'supergraph.graphql');
  await writeFile(supergraphPath, supergraph(600));
  // Production requires the event bus its live notifications follow (none is used here).
  bus = await createTestEventBus('cost');
  const config = readGatewayConfig({ NODE_ENV: 'production', SUPERGRAPH_PATH: supergraphPath, HOST: '127.0.0.1', GATEWAY_PORT: '0', ...bus.variables });
  gateway = await buildGateway(config, createLogger('gateway', process.env.TEST_LOG_LEVEL ?? 'silent'));
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  gatewayUrl = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await gateway?.close();
  await bus?.close();
  await subgraph?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the gateway's cost estimate, in production, with its default limits", () => {
  it('three nested lists without `first` (the federation audit\'s shape) are an ordinary query: they pass', async () => {
    // 20 categories × (1 + 20 products × (1 + 20 variants)) = 8,420 of 10,000; scalars are free.
    const response = await execute(gatewayUrl, '{ categories { name products { id name variants { sku price } } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ categories: categories.map((category) => ({ ...category, products })) });
  });

  it("follows the supergraph's @listSize, and a supergraph reloaded in place", async () => {
    // 600 assumed best sellers × (1 + 20 variants) = 12,600.
    const query = '{ bestSellers { name variants { sku } } }';
    const refused = await execute(gatewayUrl, query);
    expect(refused.data ?? undefined).toBeUndefined();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 12_600, limit: 10_000 });
    expect(refused.errors?.[0]?.message).toMatch(/trop coûteuse \(coût estimé 12600; maximum permis 10000\)/);

    // The deploy tools' way: written aside, renamed over the file the gateway watches.
    const staged = `${supergraphPath}.next`;
    await writeFile(staged, supergraph(50));
    await rename(staged, supergraphPath);
    const served = await eventually(async () => {
      const response = await execute(gatewayUrl, query);
      return response.errors ? undefined : response;
    });
    expect(served.data).toEqual({ bestSellers: products.map(({ name }) => ({ name, variants: variants.map(({ sku }) => ({ sku })) })) });
  });
});
