import { copyFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, print, visit } from 'graphql';
import { composeSubgraphs, readSubgraphSources } from '../gateway/src/compose/compose';
import { waitFor } from '@pgamr/kit/testing';
import { execute } from './support/graphql';
import { freePort } from './support/ports';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

const REPOSITORY = path.resolve(__dirname, '..');
let dir: string;
let supergraphPath: string;
let stack: Stack;
const logLines: string[] = [];

/** Replaces the file the way deploy tools do: write aside, then rename over it. */
async function replaceSupergraph(content: string): Promise<void> {
  const staged = `${supergraphPath}.${Date.now()}.tmp`;
  await writeFile(staged, content);
  await rename(staged, supergraphPath);
}

/** The committed subgraph schemas composed without `Query.municipalBodies`. */
function supergraphWithoutMunicipalBodies(): string {
  const sources = readSubgraphSources(path.join(REPOSITORY, 'supergraph.yaml')).map((source) =>
    source.name === 'identity'
      ? { ...source, sdl: print(visit(parse(source.sdl), { FieldDefinition: (field) => (field.name.value === 'municipalBodies' ? null : undefined) })) }
      : source,
  );
  const outcome = composeSubgraphs(sources);
  if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
  expect(outcome.supergraphSdl).not.toContain('municipalBodies');
  return outcome.supergraphSdl;
}

let headers: Record<string, string>;
const municipalBodies = () => execute<{ municipalBodies: { nodes: unknown[] } }>(stack.gatewayUrl, '{ municipalBodies { nodes { name } } }', {}, headers);

/** The gateway reloads its supergraph file in the background: a test polls for the outcome, within a bound. */
const eventually = (check: () => Promise<boolean>) => waitFor(check, { timeoutMs: 10_000, description: 'the reload' });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pgamr-supergraph-'));
  supergraphPath = path.join(dir, 'supergraph.graphql');
  await copyFile(path.join(REPOSITORY, 'supergraph.graphql'), supergraphPath);
  stack = await startStack({ supergraphPath, gatewayLogLines: logLines });
  headers = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
});

afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('supergraph hot reload', () => {
  it('serves a replaced supergraph without a restart and without failing requests in flight', async () => {
    expect((await municipalBodies()).data?.municipalBodies.nodes.length).toBeGreaterThan(0);

    // Traffic keeps flowing while the file is swapped; none of it may fail.
    let swapping = true;
    const traffic = (async () => {
      const failures: unknown[] = [];
      let sent = 0;
      while (swapping) {
        const batch = await Promise.all(
          Array.from({ length: 5 }, () => execute(stack.gatewayUrl, '{ onlineServices { nodes { code owner { directionCode } } } }', {}, headers)),
        );
        sent += batch.length;
        failures.push(...batch.filter((response) => response.errors).map((response) => response.errors));
      }
      return { failures, sent };
    })();

    try {
      await replaceSupergraph(supergraphWithoutMunicipalBodies());
      await eventually(async () => (await municipalBodies()).errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
    } finally {
      swapping = false;
    }

    const { failures, sent } = await traffic;
    expect(sent).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it('keeps serving the last good supergraph when the new file is invalid, and says why', async () => {
    await replaceSupergraph('schema { query: Query } type Query { this is not a supergraph');
    await eventually(async () => logLines.some((line) => line.includes('invalid supergraph ignored')));

    const invalidLog = JSON.parse(logLines.find((line) => line.includes('invalid supergraph ignored'))!) as Record<string, unknown>;
    expect(invalidLog).toMatchObject({ level: 50, file: supergraphPath });
    expect(String(invalidLog.reason)).toMatch(/Syntax Error|Invalid|invalid/);

    // Still the previous (valid) schema: without municipalBodies, everything else answering.
    expect((await municipalBodies()).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const catalog = await execute<{ onlineServices: { nodes: unknown[] } }>(stack.gatewayUrl, '{ onlineServices { nodes { code } } }', {}, headers);
    expect(catalog.errors).toBeUndefined();
    expect(catalog.data?.onlineServices.nodes.length).toBeGreaterThan(0);

    // And a good file afterwards is picked up again.
    await copyFile(path.join(REPOSITORY, 'supergraph.graphql'), supergraphPath);
    await eventually(async () => ((await municipalBodies()).data?.municipalBodies.nodes.length ?? 0) > 0);
  });

  it("R23: /ready asks a subgraph the reloaded supergraph adds, so the subgraph must answer before the supergraph names it (docs/adding-a-subgraph.md §7)", async () => {
    const ready = async () => {
      const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/ready'));
      return { status: response.status, body: (await response.json()) as { subgraphs: Record<string, boolean> } };
    };
    expect((await ready()).status).toBe(200);

    // A new ministry's subgraph, composed before it runs: every gateway that loads it is not ready.
    const port = await freePort();
    const joining = {
      name: 'late-joiner',
      routingUrl: `http://127.0.0.1:${port}/graphql`,
      schemaFile: 'late-joiner.graphql',
      sdl: 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])\ntype Query { lateJoinerPing: String }\n',
    };
    const outcome = composeSubgraphs([...readSubgraphSources(path.join(REPOSITORY, 'supergraph.yaml')), joining]);
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
    await replaceSupergraph(outcome.supergraphSdl);
    await eventually(async () => (await ready()).body.subgraphs['late-joiner'] === false);
    expect(await ready()).toMatchObject({ status: 503, body: { status: 'unavailable', subgraphs: { 'late-joiner': false, services: true } } });

    // Once it answers the gateway's probe, /ready is green again, without a restart.
    const server = createServer((_request, response) => response.setHeader('content-type', 'application/json').end('{"data":{"__typename":"Query"}}'));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await eventually(async () => (await ready()).status === 200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await copyFile(path.join(REPOSITORY, 'supergraph.graphql'), supergraphPath);
    }
  });
});
