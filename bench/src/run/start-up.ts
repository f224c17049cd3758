// Start and memory (issue 16): `npm start` on a fresh data directory, measured from outside as an
// operator lives it. Every process of its tree, found in /proc: when it was spawned, when its
// `/ready` first answered 200, and its resident memory; the launcher's own wait until the gateway
// is ready; the peak of the tree's resident memory while starting.
import { spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BINARIES_COPY_PREFIX } from '@pgamr/kit/embedded-postgres';
import { subgraphVariables } from '@pgamr/kit/environment';
import { parse as parseYaml } from 'yaml';
import { CLOCK_TICKS_PER_SECOND, cpuMilliseconds, processTree } from './proc-stats';
import { REPOSITORY_ROOT } from './processes';

/** One process of `npm start`'s tree as it started. */
export interface StartedProcess {
  /** The service (`identity`…, `gateway`), `launcher` for scripts/start.mjs, or the command. */
  name: string;
  /** From the launcher's spawn to this process's creation (ms). */
  spawnedAtMs: number;
  /** From this process's creation to its first `/ready` answered 200 (ms); absent if never. */
  readyAfterMs?: number;
  /** CPU time it used until its own ready (until the stack's, for the launcher and the gateway): user + system, ms. Robust to load, unlike times. */
  cpuUntilReadyMs: number;
  /** Resident set when the whole stack was ready (MiB). */
  rssAtReadyMiB: number;
  /** Its peak resident set (VmHWM) until then (MiB). */
  peakRssMiB: number;
  /** Resident set once settled, some seconds after ready (MiB). */
  rssSettledMiB: number;
  /** Phases the process logged itself (`startup` line of a kit subgraph): ms each. */
  phases?: Record<string, number>;
}

/** One start of `npm start`. */
export interface StartRun {
  /** `first` on an empty data directory (the embedded databases created, migrated, seeded), `again` on the same one. */
  kind: 'first' | 'again';
  /** From spawning `node scripts/start.mjs` until the gateway's `/ready` answered 200 (ms). */
  readyAfterMs?: number;
  /** What the launcher said it took to build, when it built (ms). */
  buildMs?: number;
  processes: StartedProcess[];
  /** Resident sets of every process of the tree, summed (MiB): when ready, the peak of the sums while starting, settled. */
  rssSumAtReadyMiB: number;
  rssSumPeakMiB: number;
  rssSumSettledMiB: number;
  /** Why the run failed, if it did. */
  failure?: string;
}

export interface StartMeasurement {
  /** How it was run, for the report. */
  settings: { root: string; freshClone: boolean; dataDirectory: string; settleSeconds: number; timeoutSeconds: number; ports: Record<string, number> };
  runs: StartRun[];
}

export interface StartOptions {
  /** The working tree whose `npm start` is measured (this one by default): another revision's, for a before/after. */
  root?: string;
  /** First port of five consecutive ones (the four subgraphs, then the gateway), away from a running `npm start`. */
  firstPort?: number;
  /** How long to wait after ready before reading the settled memory. */
  settleSeconds?: number;
  /** How long a start may take before it counts as failed. */
  timeoutSeconds?: number;
  /** Starts after the first, on the same data directory. */
  restarts?: number;
  /**
   * The first start as on a fresh clone after `npm install`: the bundles (`dist/`) removed first,
   * and under root the copy of PostgreSQL's binaries the embedded server runs from.
   */
  freshClone?: boolean;
  log?: (line: string) => void;
}

const POLL_MS = 50;

/** Milliseconds since boot, read with the same clock as /proc's process start times. */
function uptimeMs(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
}

/** When a process was created, in ms since boot (precision: a clock tick). */
function startedAtUptimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) of proc(5); fields are counted from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[19]) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Current and peak resident set of one process (MiB), or undefined once it is gone. */
function memoryOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** The service a process of the tree runs, from the bundle on its command line. */
function serviceOf(args: readonly string[], services: readonly string[]): string {
  const script = args.find((arg) => arg.endsWith('.js') || arg.endsWith('.mjs') || arg.endsWith('.ts'));
  if (!script) return args.join(' ').slice(0, 60) || '?';
  if (script.endsWith(path.join('scripts', 'start.mjs'))) return 'launcher';
  const parts = script.split(path.sep);
  for (const service of services) {
    if (service === 'gateway' ? parts.includes('gateway') : parts.includes(service)) return service;
  }
  return path.relative(REPOSITORY_ROOT, script);
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tracked {
  name: string;
  pid: number;
  createdAtMs: number;
  readyUrl?: string;
  readyAtMs?: number;
  rssAtReady: number;
  hwm: number;
  rssSettled: number;
  /** CPU time used (user + system, every thread), last read while it was alive. */
  cpuMs: number;
}

/** One `npm start` on `dataDirectory`, measured until ready and settled, then stopped. */
async function measureOneStart(
  kind: StartRun['kind'],
  dataDirectory: string,
  ports: Record<string, number>,
  options: Required<Omit<StartOptions, 'firstPort' | 'restarts' | 'freshClone'>>,
  logPath: string,
): Promise<StartRun> {
  const root = options.root;
  const services = Object.keys(ports);
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDirectory, LOG_LEVEL: 'info' };
  // The embedded databases: no subgraph may reach a real PostgreSQL, nor run as production.
  delete env.NODE_ENV;
  delete env.GATEWAY_WORKERS;
  for (const [service, port] of Object.entries(ports)) {
    if (service === 'gateway') {
      env.GATEWAY_PORT = String(port);
      continue;
    }
    const variables = subgraphVariables(service);
    env[variables.port] = String(port);
    for (const name of [variables.databaseUrl, variables.subgraphUrl, variables.subgraphHealthUrl]) delete env[name];
  }
  for (const name of ['SERVICES_RIGHTS_URL', 'SERVICES_CATALOG_URL', 'MANDATES_DECISION_URL', 'IDENTITY_JWKS_URL', 'IDENTITY_DIRECTORY_URL']) delete env[name];

  const log = createWriteStream(logPath, { flags: 'a' });
  const spawnedAt = uptimeMs();
  const launcher = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (launcher.pid === undefined) throw new Error('npm start: could not spawn scripts/start.mjs');
  const launcherPid = launcher.pid;
  let output = '';
  launcher.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    log.write(chunk);
  });
  launcher.stderr.on('data', (chunk: Buffer) => log.write(chunk));
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    launcher.on('exit', (code, signal) => {
      exited = signal ?? `code ${code}`;
      resolve();
    }),
  );

  const tracked = new Map<number, Tracked>();
  const track = () => {
    for (const pid of processTree(launcherPid)) {
      const known = tracked.get(pid);
      // A child read between its fork and its exec still shows the launcher's command line.
      if (known && (known.name !== 'launcher' || pid === launcherPid)) continue;
      const created = startedAtUptimeMs(pid);
      const args = commandLine(pid);
      if (created === undefined || args.length === 0) continue;
      const name = serviceOf(args, services);
      const port = ports[name];
      tracked.set(pid, {
        name,
        pid,
        createdAtMs: created,
        ...(port ? { readyUrl: `http://127.0.0.1:${port}/ready` } : {}),
        rssAtReady: 0,
        hwm: 0,
        rssSettled: 0,
        cpuMs: 0,
      });
    }
  };
  const rssSum = () => {
    let sum = 0;
    for (const process of tracked.values()) {
      const memory = memoryOf(process.pid);
      if (!memory) continue;
      if (process.readyAtMs === undefined && readyAt === undefined) process.cpuMs = cpuMilliseconds([process.pid]);
      sum += memory.rss;
      process.hwm = Math.max(process.hwm, memory.hwm);
    }
    return sum;
  };

  let peakSum = 0;
  let readyAt: number | undefined;
  let failure: string | undefined;
  const deadline = spawnedAt + options.timeoutSeconds * 1000;
  while (readyAt === undefined) {
    if (exited) {
      failure = `npm start stopped (${exited}) before it was ready; see ${logPath}`;
      break;
    }
    if (uptimeMs() > deadline) {
      failure = `not ready after ${options.timeoutSeconds} s; see ${logPath}`;
      break;
    }
    track();
    peakSum = Math.max(peakSum, rssSum());
    await Promise.all(
      [...tracked.values()].map(async (process) => {
        if (process.readyUrl && process.readyAtMs === undefined && (await isReady(process.readyUrl))) process.readyAtMs = uptimeMs();
      }),
    );
    const gateway = [...tracked.values()].find((process) => process.name === 'gateway');
    if (gateway?.readyAtMs !== undefined) readyAt = gateway.readyAtMs;
    else await sleep(POLL_MS);
  }

  // The gateway is ready only once every subgraph is: one whose ready this round's poll missed was ready by then.
  if (readyAt !== undefined) for (const process of tracked.values()) if (process.readyUrl && process.readyAtMs === undefined) process.readyAtMs = readyAt;
  const atReady = new Map<number, number>();
  for (const process of tracked.values()) atReady.set(process.pid, memoryOf(process.pid)?.rss ?? 0);
  const rssSumAtReady = rssSum();
  peakSum = Math.max(peakSum, rssSumAtReady);
  if (!failure) {
    const settleUntil = uptimeMs() + options.settleSeconds * 1000;
    while (uptimeMs() < settleUntil && !exited) {
      peakSum = Math.max(peakSum, rssSum());
      await sleep(200);
    }
  }
  for (const process of tracked.values()) process.rssSettled = memoryOf(process.pid)?.rss ?? 0;
  const rssSumSettled = [...tracked.values()].reduce((sum, process) => sum + process.rssSettled, 0);

  if (!exited) {
    launcher.kill('SIGTERM');
    const stopped = await Promise.race([exit.then(() => true), sleep(15_000).then(() => false)]);
    if (!stopped) {
      // What the launcher could not stop must not keep the ports of the next run.
      for (const process of tracked.values()) {
        try {
          globalThis.process.kill(process.pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    }
  }
  await new Promise((resolve) => log.end(resolve));

  const phases = phasesFromLog(output);
  const build = /construit en ([\d.]+) s/.exec(output);
  return {
    kind,
    ...(readyAt !== undefined ? { readyAfterMs: readyAt - spawnedAt } : {}),
    ...(build ? { buildMs: Number(build[1]) * 1000 } : {}),
    processes: [...tracked.values()].map((process) => ({
      name: process.name,
      spawnedAtMs: process.createdAtMs - spawnedAt,
      ...(process.readyAtMs !== undefined ? { readyAfterMs: process.readyAtMs - process.createdAtMs } : {}),
      cpuUntilReadyMs: process.cpuMs,
      rssAtReadyMiB: atReady.get(process.pid) ?? 0,
      peakRssMiB: process.hwm,
      rssSettledMiB: process.rssSettled,
      ...(phases.has(process.name) ? { phases: phases.get(process.name) } : {}),
    })),
    rssSumAtReadyMiB: rssSumAtReady,
    rssSumPeakMiB: peakSum,
    rssSumSettledMiB: rssSumSettled,
    ...(failure ? { failure } : {}),
  };
}

/**
 * The `startupMs` each subgraph logs on its ready line: how long each phase of its start took, by
 * service. The launcher prefixes every line with `[name]` (coloured); the entry is a JSON line
 * (LOG_FORMAT=json) or pino-pretty's block (`startupMs: {` … `}`, one property a line).
 */
export function phasesFromLog(output: string): Map<string, Record<string, number>> {
  const phases = new Map<string, Record<string, number>>();
  const prefixed = new RegExp(String.raw`^(?:\x1b\[\d+m)?\[([\w-]+)\](?:\x1b\[0m)? (.*)$`);
  const open = new Map<string, string[]>();
  const keep = (service: string, text: string) => {
    try {
      const value: unknown = JSON.parse(text);
      if (!value || typeof value !== 'object') return;
      const numbers = Object.entries('startupMs' in value ? value.startupMs ?? {} : value).filter((pair): pair is [string, number] => typeof pair[1] === 'number');
      if (numbers.length > 0) phases.set(service, Object.fromEntries(numbers));
    } catch {
      // Not the entry.
    }
  };
  for (const line of output.split('\n')) {
    const match = prefixed.exec(line);
    const service = match?.[1];
    const text = match?.[2];
    if (!service || text === undefined) continue;
    const block = open.get(service);
    if (block) {
      block.push(text);
      if (text.trim() === '}') {
        keep(service, block.join('\n'));
        open.delete(service);
      }
    } else if (text.startsWith('{') && text.includes('"startupMs"')) {
      keep(service, text);
    } else if (/^\s+startupMs: \{$/.test(text)) {
      open.set(service, ['{']);
    }
  }
  return phases;
}

/** The services `npm start` runs, in its order: supergraph.yaml's subgraphs, then the gateway. */
function startedServices(root: string): string[] {
  const config: unknown = parseYaml(readFileSync(path.join(root, 'supergraph.yaml'), 'utf8'));
  const subgraphs = config && typeof config === 'object' && 'subgraphs' in config && config.subgraphs && typeof config.subgraphs === 'object' ? Object.keys(config.subgraphs) : [];
  return [...subgraphs, 'gateway'];
}

/**
 * Runs `npm start` on a fresh data directory (in $TMPDIR, removed afterwards) until the gateway is
 * ready, then `restarts` more times on the same directory, and measures each start.
 */
export async function measureStart(logDirectory: string, options: StartOptions = {}): Promise<StartMeasurement> {
  const settings = {
    root: options.root ?? REPOSITORY_ROOT,
    settleSeconds: options.settleSeconds ?? 5,
    timeoutSeconds: options.timeoutSeconds ?? 300,
    log: options.log ?? (() => undefined),
  };
  const firstPort = options.firstPort ?? 4700;
  const ports = Object.fromEntries(startedServices(settings.root).map((service, index) => [service, firstPort + index]));
  mkdirSync(logDirectory, { recursive: true });
  const dataDirectory = mkdtempSync(path.join(tmpdir(), 'pgamr-start-'));
  // Under root the embedded PostgreSQL runs as `postgres`, which must traverse it (mkdtemp's is private).
  chmodSync(dataDirectory, 0o711);
  const runs: StartRun[] = [];
  if (options.freshClone) forgetBuildsAndCaches(settings.root);
  try {
    for (let index = 0; index <= (options.restarts ?? 1); index += 1) {
      const kind = index === 0 ? 'first' : 'again';
      settings.log(`start: npm start (${kind === 'first' ? 'empty data directory' : 'same data directory'})…`);
      const run = await measureOneStart(kind, dataDirectory, ports, settings, path.join(logDirectory, `npm-start-${index + 1}.log`));
      settings.log(
        run.failure
          ? `start: ${run.failure}`
          : `start: ready in ${((run.readyAfterMs ?? 0) / 1000).toFixed(1)} s, ${run.rssSumAtReadyMiB.toFixed(0)} MiB resident (peak ${run.rssSumPeakMiB.toFixed(0)} MiB)`,
      );
      runs.push(run);
      if (run.failure) break;
    }
  } finally {
    rmSync(dataDirectory, { recursive: true, force: true });
  }
  return { settings: { root: settings.root, freshClone: options.freshClone ?? false, dataDirectory, settleSeconds: settings.settleSeconds, timeoutSeconds: settings.timeoutSeconds, ports }, runs };
}

/** What a fresh clone does not have yet: every workspace's `dist/`, the embedded server's copy of its binaries. */
function forgetBuildsAndCaches(root: string): void {
  const workspaces = [path.join(root, 'gateway'), ...readdirSync(path.join(root, 'subgraphs')).map((name) => path.join(root, 'subgraphs', name))];
  for (const workspace of workspaces) rmSync(path.join(workspace, 'dist'), { recursive: true, force: true });
  for (const entry of readdirSync(tmpdir()).filter((name) => name.startsWith(BINARIES_COPY_PREFIX))) {
    rmSync(path.join(tmpdir(), entry), { recursive: true, force: true });
  }
}

/** Lines for the report (Markdown): one table per start, then what each subgraph logged of its phases. */
export function startMarkdown(measurement: StartMeasurement): string[] {
  const lines: string[] = [];
  const seconds = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(2));
  const mib = (value: number) => value.toFixed(0);
  lines.push(
    `\`npm start\` (\`node scripts/start.mjs\` in \`${measurement.settings.root}\`, the bundles already built unless said) with the embedded databases on an empty data ` +
      `directory, then again on the same one; ports ${Object.values(measurement.settings.ports).join(', ')}. Spawn and ready times from ` +
      "`/proc` (each process's creation) and each service's `/ready` polled every 50 ms; resident sets (VmRSS) of every process of the tree, " +
      `summed; « settled » ${measurement.settings.settleSeconds} s after ready.`,
    '',
  );
  for (const run of measurement.runs) {
    const title =
      run.kind === 'again'
        ? 'Start again (same data directory)'
        : measurement.settings.freshClone
          ? 'First start as on a fresh clone (no dist/, empty data directory)'
          : 'First start (empty data directory)';
    lines.push(`### ${title}`, '');
    if (run.failure) lines.push(`**FAILED:** ${run.failure}`, '');
    lines.push(
      `- ready (spawn of \`npm start\` → gateway's \`/ready\` 200): **${seconds(run.readyAfterMs)} s**${run.buildMs !== undefined ? ` (of which building: ${seconds(run.buildMs)} s)` : ''}`,
      `- resident memory of the whole tree: **${mib(run.rssSumAtReadyMiB)} MiB** when ready, ${mib(run.rssSumPeakMiB)} MiB at the peak while starting, ${mib(run.rssSumSettledMiB)} MiB settled`,
      '',
      '| process | spawned at s | spawn → ready s | CPU until ready s | RSS at ready MiB | peak RSS MiB | settled MiB |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const process of run.processes) {
      lines.push(
        `| ${process.name} | ${seconds(process.spawnedAtMs)} | ${process.name === 'launcher' ? '–' : seconds(process.readyAfterMs)} | ${seconds(process.cpuUntilReadyMs)} | ${mib(process.rssAtReadyMiB)} | ${mib(process.peakRssMiB)} | ${mib(process.rssSettledMiB)} |`,
      );
    }
    const phased = run.processes.filter((process) => process.phases);
    if (phased.length > 0) {
      const names = [...new Set(phased.flatMap((process) => Object.keys(process.phases ?? {})))];
      lines.push('', `Phases each subgraph logged (s): ${names.join(', ')}.`, '', `| process | ${names.join(' | ')} |`, `| --- |${names.map(() => ' ---: |').join('')}`);
      for (const process of phased) lines.push(`| ${process.name} | ${names.map((name) => seconds(process.phases?.[name])).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines;
}
