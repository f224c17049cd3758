import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { createTestDatabaseServer } from '@pgamr/kit/testing';
import { eventually } from './support/eventually';
import { startFaultProxy } from './support/fault-proxy';
import { freePort } from './support/ports';
import { workFolder } from './support/work-folder';
import { bundledService } from './support/bundled';

// What an operator sees when a process cannot start (issue 17): one French list of what to fix,
// naming the variable or the file, no stack trace; and a subgraph whose database is down waits
// for it instead of exiting. Each process is started as in production, from its index.ts.

const REPOSITORY = path.resolve(__dirname, '..');
const GUARD = path.join(REPOSITORY, 'tests', 'support', 'loopback-guard.cjs');
let workDir: string;
/** Every process a test started, stopped at the end even when its test failed half-way. */
const started: ChildProcess[] = [];

beforeAll(() => {
  workDir = workFolder('pgamr-start-up-');
});

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(entry: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, bundledService(entry), {
    cwd: REPOSITORY,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      DATA_DIR: path.join(workDir, 'data'),
      APOLLO_TELEMETRY_DISABLED: 'true',
      NODE_OPTIONS: `--require ${GUARD}`,
      LOOPBACK_GUARD_LOG: path.join(workDir, 'outgoing-connections.log'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const ROAD_AID = 'subgraphs/road-aid/src/index.ts';
const GATEWAY = 'gateway/src/index.ts';

/** The refusal as printed: one message, French, no stack trace, no English from a library. */
function expectOperatorMessage(output: string, service: string, ...mentions: Array<string | RegExp>): void {
  const refusals = output.split('\n').filter((line) => line.startsWith(`[${service}] démarrage impossible : `));
  expect(refusals).toHaveLength(1);
  for (const mention of mentions) expect(output).toMatch(mention);
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toMatch(/Invalid|Expected|must be|Error:/);
}

describe('start-up errors an operator can act on', () => {
  it('a bad configuration is one French list naming each variable, in a subgraph as in the gateway', async () => {
    const subgraph = start(ROAD_AID, { ROAD_AID_PORT: 'quatre', LOG_LEVEL: 'bavard', IDENTITY_JWKS_URL: 'pas-une-url' });
    expect(await subgraph.exited).toBe(1);
    expectOperatorMessage(subgraph.output(), 'road-aid', /Configuration invalide du sous-graphe road-aid:\n- /, 'ROAD_AID_PORT', 'LOG_LEVEL', 'IDENTITY_JWKS_URL');

    const gateway = start(GATEWAY, { GATEWAY_PORT: 'quatre', LOG_LEVEL: 'bavard', IDENTITY_JWKS_URL: 'pas-une-url' });
    expect(await gateway.exited).toBe(1);
    expectOperatorMessage(gateway.output(), 'gateway', /Configuration invalide de la passerelle:\n- /, 'GATEWAY_PORT', 'LOG_LEVEL', 'IDENTITY_JWKS_URL');
  });

  it('a taken port names the variable to change', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as { port: number }).port);
    try {
      const subgraph = start(ROAD_AID, { ROAD_AID_PORT: port });
      expect(await subgraph.exited).toBe(1);
      expectOperatorMessage(subgraph.output(), 'road-aid', new RegExp(`le port ${port} est déjà utilisé .*ROAD_AID_PORT`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('a supergraph that does not load names the file, the line, and how to make it again', async () => {
    const broken = path.join(workDir, 'supergraph.graphql');
    writeFileSync(broken, `${readFileSync(path.join(REPOSITORY, 'supergraph.graphql'), 'utf8').slice(0, 2000)}\ntype Cassé {`);
    const gateway = start(GATEWAY, { GATEWAY_PORT: String(await freePort()), SUPERGRAPH_PATH: broken });
    expect(await gateway.exited).toBe(1);
    expectOperatorMessage(gateway.output(), 'gateway', `le supergraphe ${broken} ne se charge pas, ligne`, 'npm run compose');
  });

  (process.env.TEST_DATABASE_URL ? it : it.skip)('a database URL the server refuses names its variable (a real PostgreSQL)', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    url.pathname = '/pgamr_cette_base_nexiste_pas';
    const subgraph = start(ROAD_AID, { ROAD_AID_PORT: String(await freePort()), ROAD_AID_DATABASE_URL: url.toString() });
    expect(await subgraph.exited).toBe(1);
    expectOperatorMessage(subgraph.output(), 'road-aid', /la base de données de ROAD_AID_DATABASE_URL \(.*pgamr_cette_base_nexiste_pas\) refuse la connexion : cette base de données n'existe pas/);
  });
});

describe('a subgraph started while its database is down', () => {
  it('waits for it, saying so, and serves once it answers', async () => {
    const database = await createTestDatabaseServer('road-aid');
    const proxy = await startFaultProxy(database.url);
    proxy.refuse();
    const port = await freePort();
    const subgraph = start(ROAD_AID, { ROAD_AID_PORT: String(port), ROAD_AID_DATABASE_URL: proxy.rewrite(database.url) });
    try {
      // At least two attempts, each logged with the variable at fault; the process stays up.
      await eventually(async () => ((subgraph.output().match(/ROAD_AID_DATABASE_URL.*does not answer; retrying/g) ?? []).length >= 2 ? true : undefined));
      expect(subgraph.child.exitCode).toBeNull();
      proxy.heal();
      const ready = await eventually(async () => {
        const response = await fetch(`http://127.0.0.1:${port}/ready`);
        return response.ok ? response.status : undefined;
      }, 300);
      expect(ready).toBe(200);
    } finally {
      subgraph.child.kill('SIGTERM');
      await subgraph.exited;
      await proxy.close();
      await database.drop();
    }
  });
});
