import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ScenarioName } from './checks';
import { REPOSITORY_ROOT } from './processes';
import type { TargetName } from './protocol';
import { SCENARIO_NAMES } from './scenarios';

export interface BenchOptions {
  manifest: string;
  durationSeconds: number;
  warmupSeconds: number;
  runs: number;
  scenarios: ScenarioName[];
  targets: TargetName[];
  connections: number[];
  maxUsers: number;
  gatewayLogLevel: string;
  outDirectory: string;
  label?: string;
  /** A git revision measured side by side with the current tree (its own stack on the same data set). */
  baseline?: string;
  /** Also measure `npm start`'s start time and memory (bench/src/run/start-up.ts), of the baseline too. */
  start?: boolean;
  /** The live notifications scenario (`live`, issue 19), when selected: its streams and event rate. */
  live?: LiveOptions;
}

/** The `live` scenario's settings. */
export interface LiveOptions {
  /** Subscriptions held open over graphql-sse during the scenario. */
  streams: number;
  /** Events committed per second, at a steady pace, during each window. */
  eventsPerSecond: number;
}

/** The scenario of live notifications (issue 19): not a request scenario, run after them. */
export const LIVE_SCENARIO = 'live';
const ALL_SCENARIOS = [...SCENARIO_NAMES, LIVE_SCENARIO] as const;

const TARGETS: readonly TargetName[] = ['ours', 'apollo', 'hive', 'direct'];

export const USAGE = `npm run bench -- [options]

  --manifest <file>       data set manifest (default bench/.data/manifest.json, from npm run bench:data)
  --duration <s>          seconds per measured run (default 4)
  --warmup <s>            seconds of warm-up per target, scenario and connection count (default 3)
  --runs <n>              measured runs per target, interleaved A B C D A B C D … (default 5)
  --scenarios <list>      ${ALL_SCENARIOS.join(',')} (default all)
  --gateways <list>       ${TARGETS.join(',')} (default all; direct is the physical limit)
  --connections <list>    concurrent connections (default 1,50)
  --users <n>             most distinct users per scenario (default 2000)
  --gateway-log-level <l> our gateway's LOG_LEVEL, logged to a file (default info, as it ships)
  --live-streams <n>      live: subscriptions held open over graphql-sse (default 1000)
  --live-rate <n>         live: events committed per second (default 20)
  --out <dir>             report directory (default bench/results)
  --label <name>          report file name after the date (default the git revision)
  --baseline <revision>   also measure this git revision (its own subgraphs and gateways on its
                          own databases, filled with the same seed and scale), interleaved with
                          the current tree, and report the ratios current / baseline
  --start                 also measure npm start as on a fresh clone, then again: each process's
                          spawn → ready, the whole stack's ready time and resident memory (and the
                          baseline's); npm run bench:start measures only that

Quick check: npm run bench -- --duration 2 --runs 1 --warmup 1`;

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] {
  if (value === undefined) return [...allowed];
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !allowed.includes(name as T));
  if (unknown.length > 0 || names.length === 0) throw new Error(`--${what}: unknown ${unknown.join(', ') || '(empty)'}; expected ${allowed.join(', ')}`);
  return allowed.filter((name) => names.includes(name));
}

function positive(value: string | undefined, fallback: number, what: string, integer = true): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) throw new Error(`--${what}: positive ${integer ? 'integer' : 'number'} expected`);
  return number;
}

/** Reads the command line; throws with the reason on anything it does not understand. */
export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      manifest: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      runs: { type: 'string' },
      scenarios: { type: 'string' },
      gateways: { type: 'string' },
      connections: { type: 'string' },
      users: { type: 'string' },
      'gateway-log-level': { type: 'string' },
      out: { type: 'string' },
      label: { type: 'string' },
      baseline: { type: 'string' },
      start: { type: 'boolean' },
      'live-streams': { type: 'string' },
      'live-rate': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const connections = (values.connections ?? '1,50').split(',').map((value) => positive(value.trim(), 1, 'connections'));
  const label = values.label?.replace(/[^A-Za-z0-9._-]/g, '-');
  const selected: string[] = list(values.scenarios, ALL_SCENARIOS, 'scenarios');
  return {
    manifest: path.resolve(values.manifest ?? path.join(REPOSITORY_ROOT, 'bench', '.data', 'manifest.json')),
    durationSeconds: positive(values.duration, 4, 'duration', false),
    warmupSeconds: positive(values.warmup, 3, 'warmup', false),
    runs: positive(values.runs, 5, 'runs'),
    scenarios: SCENARIO_NAMES.filter((name) => selected.includes(name)),
    targets: list(values.gateways, TARGETS, 'gateways'),
    connections: [...new Set(connections)],
    maxUsers: positive(values.users, 2000, 'users'),
    gatewayLogLevel: values['gateway-log-level'] ?? 'info',
    outDirectory: path.resolve(values.out ?? path.join(REPOSITORY_ROOT, 'bench', 'results')),
    ...(label ? { label } : {}),
    ...(values.baseline !== undefined ? { baseline: revisionArgument(values.baseline) } : {}),
    ...(values.start ? { start: true } : {}),
    ...(selected.includes(LIVE_SCENARIO)
      ? { live: { streams: positive(values['live-streams'], 1000, 'live-streams'), eventsPerSecond: positive(values['live-rate'], 20, 'live-rate', false) } }
      : {}),
  };
}

/** A revision as git understands it, nothing a shell or git could read as an option. */
function revisionArgument(value: string): string {
  const revision = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._/~^@{}-]*$/.test(revision)) throw new Error(`--baseline: not a git revision: ${value}`);
  return revision;
}

/** Seconds the load itself takes, plus a second of bookkeeping per run; twice that with a baseline; the live scenario's windows and their tails. */
export function estimatedSeconds(options: BenchOptions): number {
  const sides = options.baseline === undefined ? 1 : 2;
  const cells = sides * options.scenarios.length * options.connections.length * options.targets.length;
  const live = options.live ? options.warmupSeconds + options.runs * options.durationSeconds + (options.runs + 1) * 10 : 0;
  return cells * (options.warmupSeconds + 1 + options.runs * (options.durationSeconds + 1)) + live;
}
