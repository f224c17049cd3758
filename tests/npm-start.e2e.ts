import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { stableId } from '@pgamr/kit';
import { eventually } from './support/eventually';
import { execute } from './support/graphql';
import { freePort, isListening } from './support/ports';
import { bearer, signIn } from './support/session';
import { workFolder } from './support/work-folder';

// `npm start` exactly as a developer runs it (scripts/start.mjs), on the embedded database, with
// the loopback guard preloaded into every process it spawns.
jest.setTimeout(180_000);

const REPOSITORY = path.resolve(__dirname, '..');
const GUARD = path.join(REPOSITORY, 'tests', 'support', 'loopback-guard.cjs');

interface Started {
  child: ChildProcess;
  output: () => string;
  readyInSeconds: number;
}

let workDir: string;
let ports: Record<'gateway' | 'identity' | 'services' | 'mandates' | 'roadAid' | 'notifications', number>;
let running: ChildProcess | undefined;

function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GATEWAY_PORT: String(ports.gateway),
    IDENTITY_PORT: String(ports.identity),
    SERVICES_PORT: String(ports.services),
    MANDATES_PORT: String(ports.mandates),
    ROAD_AID_PORT: String(ports.roadAid),
    NOTIFICATIONS_PORT: String(ports.notifications),
    DATA_DIR: path.join(workDir, 'data'),
    NODE_OPTIONS: `--require ${GUARD}`,
    LOOPBACK_GUARD_LOG: path.join(workDir, 'outgoing-connections.log'),
  };
  // The product's own defaults, as on a fresh machine: no telemetry switch, no database URL.
  for (const name of ['APOLLO_TELEMETRY_DISABLED', 'IDENTITY_DATABASE_URL', 'SERVICES_DATABASE_URL', 'MANDATES_DATABASE_URL']) {
    delete env[name];
  }
  return env;
}

async function npmStart(): Promise<Started> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: REPOSITORY,
    env: environment(),
    detached: true, // its own process group, signalled like a terminal's Ctrl-C
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const readyInSeconds = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output}`)), 150_000);
    const poll = setInterval(() => {
      const ready = /PGAMR prêt en ([\d.]+) s/.exec(output);
      if (ready) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(Number(ready[1]));
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}):\n${output}`));
    });
  });
  return { child, output: () => output, readyInSeconds };
}

/** Ctrl-C: SIGINT to the whole process group; resolves with the launcher's exit code. */
function pressCtrlC(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    process.kill(-child.pid!, 'SIGINT');
  });
}

/** The pid of the launcher's child running `entry` (from /proc: the launcher's direct children). */
function childRunning(launcher: number, entry: string): number {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === launcher && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(entry)) return Number(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  throw new Error(`no child of ${launcher} runs ${entry}`);
}

const MAGOG = stableId('organization', 'MUN-45072');
async function dashboard(gatewayPort: number) {
  const url = `http://127.0.0.1:${gatewayPort}/graphql`;
  return execute<{ organization: { name: string; dossiers: { nodes: Array<{ title: string; service: { code: string } }> } } }>(
    url,
    'query($id: ID!) { organization(id: $id) { name dossiers { nodes { title service { code } } } } }',
    { id: MAGOG },
    bearer(await signIn(url, 'MAG0000001')),
  );
}

beforeAll(async () => {
  workDir = workFolder('pgamr-start-');
  ports = { gateway: await freePort(), identity: await freePort(), services: await freePort(), mandates: await freePort(), roadAid: await freePort(), notifications: await freePort() };
});

afterAll(() => {
  if (running?.exitCode === null && running.pid) process.kill(-running.pid, 'SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('starts every service on the embedded database, seeded, and stops cleanly on Ctrl-C', async () => {
    const first = await npmStart();
    expect(first.output()).toContain(`http://127.0.0.1:${ports.gateway}/graphql`);
    console.warn(`cold npm start ready in ${first.readyInSeconds} s`);

    const { data, errors } = await dashboard(ports.gateway);
    expect(errors).toBeUndefined();
    expect(data?.organization.name).toBe('Ville de Magog');
    expect(data?.organization.dossiers.nodes.map((d) => d.service.code).sort()).toEqual(['PRABAM', 'PRIMEAU', 'TECQ', 'TECQ']);

    expect(await pressCtrlC(first.child)).toBe(0);
    for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
    expect(first.output()).not.toMatch(/démarrage impossible|Error:/);
  });

  it('restarts on the same data without duplicating the demo data; a killed subgraph is started again while the others keep running', async () => {
    const second = await npmStart();
    const { data } = await dashboard(ports.gateway);
    expect(data?.organization.dossiers.nodes).toHaveLength(4);

    const mandates = childRunning(second.child.pid!, 'subgraphs/mandates/dist/index.js');
    process.kill(mandates, 'SIGKILL');
    await eventually(async () => (/\[start\].*mandates s'est arrêté \(SIGKILL\) ; redémarrage dans/.test(second.output()) ? true : undefined));
    // The gateway and identity never stopped: a sign-in goes through while mandates is away.
    await signIn(`http://127.0.0.1:${ports.gateway}/graphql`, 'MAG0000002');
    const back = await eventually(async () => {
      const answer = await dashboard(ports.gateway);
      return answer.errors ? undefined : answer.data;
    }, 300);
    expect(back?.organization.dossiers.nodes).toHaveLength(4);
    expect(childRunning(second.child.pid!, 'subgraphs/mandates/dist/index.js')).not.toBe(mandates);

    expect(await pressCtrlC(second.child)).toBe(0);
  });

  it('opened no connection to any address but loopback, in any process', () => {
    const log = path.join(workDir, 'outgoing-connections.log');
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
  });
});
