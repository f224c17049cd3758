import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { checkSubgraphs, waitForSubgraphs } from '../src/supergraph/subgraph-readiness';

// Readiness in front of subgraphs that are not built on our kit (another ministry's, R23): a
// plain Apollo subgraph answers the GraphQL probe; a health URL of its own replaces the probe.

let plain: ApolloServer;
let plainUrl: string;
let other: Server;
let otherOrigin: string;
/** What the other server answers: its /health status, and an HTML page anywhere else. */
let healthStatus = 200;

beforeAll(async () => {
  plain = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse('extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"]) type Query { hello: String }'),
      resolvers: { Query: { hello: () => 'bonjour' } },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  ({ url: plainUrl } = await startStandaloneServer(plain, { listen: { host: '127.0.0.1', port: 0 } }));
  other = createServer((request, response) => {
    if (request.url === '/health') response.writeHead(healthStatus).end();
    else response.writeHead(200, { 'content-type': 'text/html' }).end('<html>pas GraphQL</html>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await plain?.stop();
  await new Promise((resolve) => other.close(resolve));
});

describe("the gateway's readiness probe", () => {
  it('finds a plain Apollo subgraph ready with the GraphQL probe, and a server that is not GraphQL not ready', async () => {
    const states = await checkSubgraphs([
      { name: 'plain', url: plainUrl },
      { name: 'html', url: `${otherOrigin}/graphql` },
      { name: 'down', url: 'http://127.0.0.1:9/graphql' },
    ]);
    expect(states.map(({ name, ready }) => [name, ready])).toEqual([
      ['plain', true],
      ['html', false],
      ['down', false],
    ]);
  });

  it("asks a subgraph's own health URL when the operator gives one", async () => {
    healthStatus = 200;
    expect((await checkSubgraphs([{ name: 'other', url: `${otherOrigin}/graphql`, healthUrl: `${otherOrigin}/health` }]))[0]?.ready).toBe(true);
    healthStatus = 503;
    expect((await checkSubgraphs([{ name: 'other', url: `${otherOrigin}/graphql`, healthUrl: `${otherOrigin}/health` }]))[0]?.ready).toBe(false);
  });

  it('names each subgraph it waits for and the URL it asks, then gives up by its deadline', async () => {
    const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
    const logger = {
      info: (fields: Record<string, unknown>, message: string) => void lines.push({ level: 'info', fields, message }),
      warn: (fields: Record<string, unknown>, message: string) => void lines.push({ level: 'warn', fields, message }),
    };
    const ready = await waitForSubgraphs(
      () => [
        { name: 'plain', url: plainUrl },
        { name: 'road-aid', url: 'http://127.0.0.1:9/graphql' },
      ],
      logger as never,
      { deadlineMs: 300, pauseMs: 50 },
    );
    expect(ready).toBe(false);
    expect(lines[0]).toEqual({ level: 'info', fields: { subgraph: 'road-aid', url: 'http://127.0.0.1:9/graphql' }, message: 'waiting for subgraph road-aid at http://127.0.0.1:9/graphql' });
    expect(lines.at(-1)).toMatchObject({ level: 'warn', fields: { subgraph: 'road-aid' } });
    expect(lines.some((line) => line.fields.subgraph === 'plain')).toBe(false);
  });
});
