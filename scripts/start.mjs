// `npm start`: the subgraphs and the gateway in one process tree, logs prefixed by service, the
// gateway's URL printed once every subgraph answers. It builds first what is missing or older
// than its sources (scripts/build.mjs), then runs the compiled bundles with node: no tsx at run
// time. A service that dies is started again with backoff while the others keep running, as the
// gateway's cluster does for its workers; one that cannot start at all stops everything with its
// reason. Ctrl-C stops everything cleanly.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { prettyFactory } from 'pino-pretty';
import { parse as parseYaml } from 'yaml';
import { buildIfStale, buildTargets } from './build.mjs';

const say = (message) => console.log(`\x1b[1m[start]\x1b[0m ${message}`);

const buildStarted = Date.now();
try {
  const built = await buildIfStale({ log: say });
  if (built.length > 0) say(`construit en ${((Date.now() - buildStarted) / 1000).toFixed(1)} s`);
} catch (error) {
  // esbuild has printed each error with its file and line above.
  say(`construction impossible : ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exit(1);
}

// The kit's module, built with the services: variable names are derived in one place for the
// subgraphs, the gateway and this launcher.
const targets = buildTargets();
const require = createRequire(import.meta.url);
const { subgraphVariables } = require(`../${targets.find((target) => target.name === 'kit/environment').outfile}`);

// Every subgraph supergraph.yaml names, so a new ministry's subgraph starts with the others
// (R23); its bundle sits beside its schema, in dist/index.js (built from src/index.ts).
const COLORS = [36, 35, 33, 34, 31, 37];
const supergraphConfig = parseYaml(readFileSync('supergraph.yaml', 'utf8'));
const services = [
  ...Object.keys(supergraphConfig.subgraphs).map((name, index) => ({
    name,
    entry: targets.find((target) => target.name === name).outfile,
    color: COLORS[index % COLORS.length],
  })),
  { name: 'gateway', entry: targets.find((target) => target.name === 'gateway').outfile, color: 32 },
];

// Human-readable logs unless LOG_FORMAT says otherwise: the services log JSON and this launcher
// prints each line as pino-pretty would, with one formatter here instead of a pino-pretty worker
// thread in each of the five processes (about 20 MiB resident each; issue 16).
const prettyHere = !process.env.LOG_FORMAT;
const pretty = prettyHere ? prettyFactory({ ignore: 'pid,hostname,service,name', translateTime: 'SYS:HH:MM:ss' }) : undefined;
const env = { ...process.env, LOG_FORMAT: prettyHere ? 'json' : process.env.LOG_FORMAT, APOLLO_TELEMETRY_DISABLED: 'true' };
// A subgraph moved to another port is where the gateway must route, unless told otherwise.
// Every subgraph npm start runs is built on the kit: its /ready also checks its database, so the
// gateway's readiness asks it there rather than with its GraphQL probe.
for (const { name } of services.filter((service) => service.name !== 'gateway')) {
  const variables = subgraphVariables(name);
  if (env[variables.port] && !env[variables.subgraphUrl]) {
    env[variables.subgraphUrl] = `http://127.0.0.1:${env[variables.port]}/graphql`;
  }
  const graphqlUrl = env[variables.subgraphUrl] ?? supergraphConfig.subgraphs[name].routing_url;
  env[variables.subgraphHealthUrl] ??= graphqlUrl.replace(/\/graphql\/?$/, '/ready');
}
// Mandates (and any ministry subgraph) asks services' decision point.
if (env.SERVICES_PORT && !env.SERVICES_RIGHTS_URL) {
  env.SERVICES_RIGHTS_URL = `http://127.0.0.1:${env.SERVICES_PORT}/authz/v1/rights`;
}
// Every ministry's subgraph registers its online services with services' catalog (R23).
if (env.SERVICES_PORT && !env.SERVICES_CATALOG_URL) {
  env.SERVICES_CATALOG_URL = `http://127.0.0.1:${env.SERVICES_PORT}/catalog/v1/registrations`;
}
// Services asks mandates who holds a mandate (R13).
if (env.MANDATES_PORT && !env.MANDATES_DECISION_URL) {
  env.MANDATES_DECISION_URL = `http://127.0.0.1:${env.MANDATES_PORT}/authz/v1/mandates`;
}
// Every hop verifies tokens against identity's published keys.
if (env.IDENTITY_PORT && !env.IDENTITY_JWKS_URL) {
  env.IDENTITY_JWKS_URL = `http://127.0.0.1:${env.IDENTITY_PORT}/.well-known/jwks.json`;
}
// Mandates names mandataires through identity's directory of firm users; services checks grantees in it.
if (env.IDENTITY_PORT && !env.IDENTITY_DIRECTORY_URL) {
  env.IDENTITY_DIRECTORY_URL = `http://127.0.0.1:${env.IDENTITY_PORT}/directory/v1/firm-users`;
}
// The gateway asserts to the subgraphs, for each request, that it found the caller's session
// live, so they do not ask identity again: one secret for this tree, made up unless the shell
// gives one (set empty, every hop asks identity).
env.SESSION_ASSERTION_SECRET ??= randomBytes(32).toString('base64url');
const gatewayPort = Number(env.GATEWAY_PORT ?? 4000);
const gatewayHost = env.HOST && env.HOST !== '0.0.0.0' ? env.HOST : '127.0.0.1';
const gatewayOrigin = `http://${gatewayHost.includes(':') ? `[${gatewayHost}]` : gatewayHost}:${gatewayPort}`;

/** How restarts are spaced: 0.5 s, doubling for each death that follows quickly, at most 30 s. */
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** A process that lived this long was not failing to start: its next death starts the count over. */
const HEALTHY_LIFETIME_MS = 60_000;
/** Deaths in a row, each soon after its start, after which a service is taken as unable to start. */
const MAX_QUICK_DEATHS = 5;

let stopping = false;
const running = new Map();
/** Each service's state for the readiness report: 'starting' (since when) or 'restarting' (at when). */
const states = new Map();

/** A JSON log line as pino-pretty prints it; any other line (a crash's message) as it came. */
function readable(line) {
  if (!pretty || !line.startsWith('{')) return line;
  try {
    return pretty(JSON.parse(line)).replace(/\n$/, '');
  } catch {
    return line;
  }
}

/** Prints a child's lines with its name in its colour, as they come. */
function prefixLines(stream, { name, color }, out) {
  createInterface({ input: stream }).on('line', (line) => {
    for (const part of readable(line).split('\n')) out.write(`\x1b[${color}m[${name}]\x1b[0m ${part}\n`);
  });
}

function launch(service, quickDeaths = 0) {
  const startedAt = Date.now();
  // node replaces nothing here: each service is its own child, so its exit code is its own.
  // Stack traces name the TypeScript sources, through the bundle's source map.
  const child = spawn(process.execPath, ['--enable-source-maps', service.entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(service.name, child);
  states.set(service.name, { phase: 'starting', since: startedAt });
  prefixLines(child.stdout, service, process.stdout);
  prefixLines(child.stderr, service, process.stderr);
  child.on('exit', (code, signal) => {
    running.delete(service.name);
    if (stopping) return maybeFinish();
    const lived = Date.now() - startedAt;
    const deaths = lived >= HEALTHY_LIFETIME_MS ? 1 : quickDeaths + 1;
    if (deaths > MAX_QUICK_DEATHS) {
      say(`${service.name} ne démarre pas (${MAX_QUICK_DEATHS} essais de suite) : voyez sa raison ci-dessus. Arrêt de tous les services.`);
      return stopAll('SIGTERM', 1);
    }
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (deaths - 1));
    say(`${service.name} s'est arrêté (${signal ?? `code ${code}`}) ; redémarrage dans ${(delayMs / 1000).toFixed(1)} s, les autres services continuent.`);
    states.set(service.name, { phase: 'restarting', since: Date.now() + delayMs });
    setTimeout(() => {
      if (!stopping) launch(service, deaths);
    }, delayMs);
  });
}

let exitCode = 0;
function stopAll(signal, code = 0) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  for (const child of running.values()) child.kill(signal);
  maybeFinish();
}

let finishing = false;
function maybeFinish() {
  if (!stopping || running.size > 0 || finishing) return;
  finishing = true;
  // The database goes last, once no subgraph uses it.
  Promise.resolve(embeddedServer?.stop())
    .catch((error) => say(`arrêt de la base embarquée : ${error instanceof Error ? error.message : String(error)}`))
    .finally(() => process.exit(exitCode));
}

/**
 * One embedded PostgreSQL server for every subgraph given no `<NAME>_DATABASE_URL`, its data in
 * `<DATA_DIR>/postgres`, a database per subgraph (and `pgamr_bus`, the event bus, without
 * NATS_URL or EVENT_BUS_DATABASE_URL): started before them, stopped after them. In
 * production each subgraph must be given its URL: none is made up here, and the subgraph says so.
 */
let embeddedServer;
async function startEmbeddedDatabase() {
  if (env.NODE_ENV === 'production') return;
  const subgraphs = services.filter(({ name }) => name !== 'gateway' && !env[subgraphVariables(name).databaseUrl]);
  // Without NATS_URL, the event bus of one machine (issue 19): a database on the same server,
  // given to every process, the gateway included (it follows the bus).
  const busHere = !env.NATS_URL && !env.EVENT_BUS_DATABASE_URL;
  if (subgraphs.length === 0 && !busHere) return;
  const started = Date.now();
  const { startEmbeddedServer, embeddedDataDir, embeddedDatabaseName } = require(`../${targets.find((target) => target.name === 'kit/embedded-postgres').outfile}`);
  const dataDir = embeddedDataDir(env.DATA_DIR ?? '.data');
  try {
    embeddedServer = await startEmbeddedServer({ dataDir });
    for (const { name } of subgraphs) {
      env[subgraphVariables(name).databaseUrl] = await embeddedServer.ensureDatabase(embeddedDatabaseName(name));
    }
    if (busHere) env.EVENT_BUS_DATABASE_URL = await embeddedServer.ensureDatabase('pgamr_bus');
  } catch (error) {
    say(`base embarquée impossible : ${error instanceof Error ? error.message : String(error)}`);
    return stopAll('SIGTERM', 1);
  }
  say(`base embarquée PostgreSQL prête en ${((Date.now() - started) / 1000).toFixed(1)} s (${path.relative(process.cwd(), dataDir) || dataDir})`);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));

/** How long the gateway waits for the subgraphs before starting anyway (it then waits for them itself). */
const GATEWAY_START_WAIT_MS = 8_000;

/**
 * Resolves once every subgraph answers on its `/ready`, or after GATEWAY_START_WAIT_MS. The
 * gateway is started then, not beside them: it has nothing to serve before they answer, and five
 * processes loading their modules at once on a small machine each take longer to start (issue 16:
 * each process ready in 3 s); one that is slow or restarting does not keep it from starting.
 */
async function subgraphsReady() {
  const deadline = Date.now() + GATEWAY_START_WAIT_MS;
  const healthUrls = services.filter(({ name }) => name !== 'gateway').map(({ name }) => env[subgraphVariables(name).subgraphHealthUrl]);
  const answers = async (url) => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  };
  while (!stopping && Date.now() < deadline) {
    if ((await Promise.all(healthUrls.map(answers))).every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What a service is doing while the launcher waits for it: `mandates (démarre depuis 12 s)`. */
function describe(name) {
  const state = states.get(name);
  if (!state) return name;
  const seconds = Math.round(Math.abs(Date.now() - state.since) / 1000);
  if (state.phase === 'restarting') return `${name} (redémarrage ${state.since > Date.now() ? `dans ${seconds} s` : 'en cours'})`;
  return `${name} (démarre depuis ${seconds} s)`;
}

/**
 * Announces the gateway's URL once every subgraph answers, and meanwhile says every 10 s which
 * ones it still waits for and what each is doing. It waits as long as services are still
 * starting (a slow first start of the embedded database, a subgraph waiting for its PostgreSQL,
 * one restarted with backoff), never giving up silently; a service that cannot start at all stops
 * everything with its reason (see launch()).
 */
async function announceWhenReady() {
  const started = Date.now();
  let lastReport = Date.now();
  while (!stopping) {
    let waitingFor = ['gateway'];
    try {
      const response = await fetch(`${gatewayOrigin}/ready`, { signal: AbortSignal.timeout(2000) });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(`\n  PGAMR prêt en ${seconds} s — passerelle GraphQL : ${gatewayOrigin}/graphql\n`);
        return;
      }
      waitingFor = Object.entries(body.subgraphs ?? {}).filter(([, ready]) => !ready).map(([name]) => name);
      if (waitingFor.length === 0) waitingFor = ['gateway'];
    } catch {
      // The gateway does not listen yet.
    }
    if (!stopping && Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      say(`toujours en attente de : ${waitingFor.map(describe).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

void announceWhenReady();
await startEmbeddedDatabase();
if (!stopping) for (const service of services.filter(({ name }) => name !== 'gateway')) launch(service);
await subgraphsReady();
if (!stopping) for (const service of services.filter(({ name }) => name === 'gateway')) launch(service);
