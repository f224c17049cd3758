import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ScenarioName } from './checks';
import type { LiveSummary } from './live';
import { liveMarkdown } from './live-report';
import type { MachineInfo } from './machine';
import type { LiveOptions } from './options';
import type { Measurement, SideName, TargetName } from './protocol';
import { GATEWAY_TITLES } from './stack';
import { startMarkdown, type StartMeasurement } from './start-up';
import { ratio, spread, type Spread } from './stats';

export interface ScenarioSummary {
  name: ScenarioName;
  title: string;
  operationName: string;
  query: string;
  planOutline: string;
  plannedFetches: number;
  distinctUsers: number;
  requestsInPool: number;
}

export interface DataSetSummary {
  manifest: string;
  seed: number;
  scale: number;
  generatedAt: string;
  /** The generator's digest of every row it loaded (absent from older manifests). */
  digest?: string;
  counts: Record<string, number>;
}

export interface BaselineSummary {
  /** As given to `--baseline`. */
  requested: string;
  commit: string;
  /** Abbreviated commit, as revisions are shown. */
  revision: string;
  worktree: string;
  /** How its node_modules were installed. */
  install: string;
  dataSet: DataSetSummary & { databases: string[] };
  /** How its data set compares with the current one. */
  dataComparison: string[];
  scenarios: ScenarioSummary[];
  configuration: string[];
}

export interface BenchReport {
  generatedAt: string;
  revision: string;
  label: string;
  machine: MachineInfo;
  versions: Record<string, string>;
  postgres: string;
  dataSet: DataSetSummary;
  options: { durationSeconds: number; warmupSeconds: number; runs: number; connections: number[]; targets: TargetName[]; maxUsers: number; live?: LiveOptions };
  /** With `--baseline`: the revision measured beside the current tree, interleaved with it. */
  baseline?: BaselineSummary;
  configuration: string[];
  method: string[];
  notes: string[];
  scenarios: ScenarioSummary[];
  measurements: Measurement[];
  failures: string[];
  /** With `--start`: `npm start` as on a fresh clone, then again, of the current tree (and of the baseline's). */
  startUp?: { current: StartMeasurement; baseline?: StartMeasurement };
  /** With the `live` scenario (issue 19): streams held open, events raised, deliveries timed. */
  live?: LiveSummary;
}

/** The figures of one (scenario, connections, target) cell over its runs. */
export interface Cell {
  requestsPerSecond?: Spread;
  p50?: Spread;
  p99?: Spread;
  cpuMsPerRequest?: Spread;
  /** The whole stack's CPU per request: gateway (none for direct), subgraphs and PostgreSQL. */
  stackCpuMsPerRequest?: Spread;
  subgraphsCpuMsPerRequest?: Spread;
  /** Each subgraph process's CPU per request, by subgraph name. */
  subgraphCpuMsPerRequest?: Record<string, Spread>;
  postgresCpuMsPerRequest?: Spread;
  /** The stack's CPU over PostgreSQL's, run by run: how many times the database's own share the whole costs. */
  stackToPostgres?: Spread;
  peakRssMiB?: Spread;
  subgraphCallsPerRequest?: Spread;
  sqlStatementsPerRequest?: Spread;
  /** Each subgraph's GraphQL calls, SQL statements, and statements per call, per request, by subgraph name. */
  subgraphCounters?: Record<string, { calls?: Spread; sqlStatements?: Spread; sqlPerCall?: Spread }>;
  errorRate: number;
  emptyShare: number;
  runs: number;
}

export function aggregate(measurements: readonly Measurement[]): Cell {
  const responses = measurements.reduce((sum, m) => sum + m.responses, 0);
  const errors = measurements.reduce((sum, m) => sum + m.errors, 0);
  const empty = measurements.reduce((sum, m) => sum + m.empty, 0);
  const subgraphNames = [...new Set(measurements.flatMap((m) => Object.keys(m.subgraphCpuMsPerRequest ?? {})))];
  const perSubgraph = Object.fromEntries(
    subgraphNames.flatMap((name) => {
      const figures = spread(measurements.map((m) => m.subgraphCpuMsPerRequest?.[name]));
      return figures ? [[name, figures]] : [];
    }),
  );
  const counted = [...new Set(measurements.flatMap((m) => Object.keys(m.subgraphCountersPerRequest ?? {})))];
  const counters = Object.fromEntries(
    counted.map((name) => {
      const of = (m: Measurement) => m.subgraphCountersPerRequest?.[name];
      return [
        name,
        {
          calls: spread(measurements.map((m) => of(m)?.calls)),
          sqlStatements: spread(measurements.map((m) => of(m)?.sqlStatements)),
          sqlPerCall: spread(measurements.map((m) => ratio(of(m)?.sqlStatements, of(m)?.calls))),
        },
      ];
    }),
  );
  return {
    requestsPerSecond: spread(measurements.map((m) => m.requestsPerSecond)),
    p50: spread(measurements.map((m) => m.latencyMs.p50)),
    p99: spread(measurements.map((m) => m.latencyMs.p99)),
    cpuMsPerRequest: spread(measurements.map((m) => m.gatewayCpuMsPerRequest)),
    stackCpuMsPerRequest: spread(measurements.map(stackCpuMsPerRequest)),
    subgraphsCpuMsPerRequest: spread(measurements.map((m) => m.subgraphsCpuMsPerRequest)),
    ...(subgraphNames.length > 0 ? { subgraphCpuMsPerRequest: perSubgraph } : {}),
    postgresCpuMsPerRequest: spread(measurements.map((m) => m.postgresCpuMsPerRequest)),
    stackToPostgres: spread(measurements.map((m) => ratio(stackCpuMsPerRequest(m), m.postgresCpuMsPerRequest))),
    peakRssMiB: spread(measurements.map((m) => m.peakRssMiB)),
    subgraphCallsPerRequest: spread(measurements.map((m) => m.subgraphCallsPerRequest)),
    sqlStatementsPerRequest: spread(measurements.map((m) => m.sqlStatementsPerRequest)),
    ...(counted.length > 0 ? { subgraphCounters: counters } : {}),
    errorRate: responses > 0 ? errors / responses : errors > 0 ? 1 : 0,
    emptyShare: responses > 0 ? empty / responses : 0,
    runs: measurements.length,
  };
}

/** Gateway + subgraphs + PostgreSQL, when the run measured the subgraphs and PostgreSQL. */
function stackCpuMsPerRequest(m: Measurement): number | undefined {
  if (m.subgraphsCpuMsPerRequest === undefined || m.postgresCpuMsPerRequest === undefined) return undefined;
  return (m.gatewayCpuMsPerRequest ?? 0) + m.subgraphsCpuMsPerRequest + m.postgresCpuMsPerRequest;
}

type Cells = Map<string, Cell>;
/** The current tree's keys are those of reports before `--baseline`; the baseline's end in `|baseline`. */
const cellKey = (scenario: string, connections: number, target: string, side: SideName = 'current') =>
  `${scenario}|${connections}|${target}${side === 'current' ? '' : `|${side}`}`;
const SIDES: readonly SideName[] = ['current', 'baseline'];

function cellsOf(report: BenchReport): Cells {
  const cells: Cells = new Map();
  for (const scenario of report.scenarios) {
    for (const connections of report.options.connections) {
      for (const target of report.options.targets) {
        for (const side of SIDES) {
          const runs = report.measurements.filter(
            (m) => m.scenario === scenario.name && m.connections === connections && m.target === target && (m.side ?? 'current') === side,
          );
          if (runs.length > 0) cells.set(cellKey(scenario.name, connections, target, side), aggregate(runs));
        }
      }
    }
  }
  return cells;
}

const NA = 'n/a';

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

/** `median (min–max)`, the range only when there is more than one run. */
function show(value: Spread | undefined, digits: number): string {
  if (!value) return NA;
  const median = fixed(value.median, digits);
  return value.n > 1 ? `${median} (${fixed(value.min, digits)}–${fixed(value.max, digits)})` : median;
}

/** The median alone. */
function median(value: Spread | undefined, digits: number): string {
  return value ? fixed(value.median, digits) : NA;
}

function showRatio(value: number | undefined): string {
  return value === undefined ? NA : `${value.toFixed(2)}×`;
}

function percent(value: number | undefined): string {
  return value === undefined ? NA : `${(value * 100).toFixed(value < 0.01 && value > 0 ? 3 : 1)} %`;
}

/** The order subgraphs are shown in: supergraph.yaml's, then any other. */
const SUBGRAPH_ORDER = ['identity', 'services', 'mandates', 'road-aid'];

function subgraphNamesOf(cells: Cells): string[] {
  const names = new Set<string>();
  for (const cell of cells.values()) for (const name of Object.keys(cell.subgraphCpuMsPerRequest ?? {})) names.add(name);
  return [...names].sort((a, b) => (SUBGRAPH_ORDER.indexOf(a) + 1 || 99) - (SUBGRAPH_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
}

/** A target's name in a table, with the baseline's revision on the baseline's rows. */
function targetTitle(report: BenchReport, target: TargetName, side: SideName): string {
  return side === 'baseline' ? `${GATEWAY_TITLES[target]} @ ${report.baseline?.revision ?? 'baseline'}` : GATEWAY_TITLES[target];
}

function dataSetLines(dataSet: DataSetSummary): string[] {
  return [
    `- manifest \`${dataSet.manifest}\`: seed ${dataSet.seed}, scale ${dataSet.scale}, generated ${dataSet.generatedAt}${dataSet.digest ? `, digest ${dataSet.digest.slice(0, 16)}…` : ''}`,
    `- counts: ${Object.entries(dataSet.counts).map(([name, count]) => `${name} ${count.toLocaleString('en-US')}`).join(', ')}`,
  ];
}

/** The Markdown report. */
export function renderMarkdown(report: BenchReport): string {
  const cells = cellsOf(report);
  const lines: string[] = [];
  const push = (...text: string[]) => lines.push(...text);
  const { machine, baseline } = report;
  const sides: readonly SideName[] = baseline ? SIDES : ['current'];
  /** A scenario's measured cells, in the report's order: connections, then target, then side. */
  const scenarioCells = function* (scenarioName: string) {
    for (const connections of report.options.connections) {
      for (const target of report.options.targets) {
        for (const side of sides) {
          const cell = cells.get(cellKey(scenarioName, connections, target, side));
          if (cell) yield { connections, target, side, cell };
        }
      }
    }
  };
  const subgraphNames = subgraphNamesOf(cells);

  push(`# Gateway benchmark — ${report.generatedAt.slice(0, 10)} (${report.revision}${baseline ? `, against ${baseline.revision}` : ''})`, '');
  if (report.failures.length > 0) {
    push('**FAILED: some answers were errors or had the wrong shape.**', '', ...report.failures.map((failure) => `- ${failure}`), '');
  }
  push('## Machine', '');
  push(`- CPU: ${machine.cpuModel} × ${machine.cpuCount}`);
  push(`- RAM: ${machine.memoryGiB} GiB; kernel: ${machine.kernel}; Node ${machine.node}`);
  push(`- load average at start: ${machine.loadAverageAtStart.join(', ')} (other work on the machine skews every figure)`);
  push(`- PostgreSQL ${report.postgres}`, '');
  push('## Versions', '');
  for (const [name, version] of Object.entries(report.versions)) push(`- ${name} ${version}`);
  push('', '## Data set', '');
  push(...dataSetLines(report.dataSet), '');
  if (baseline) {
    push(`## Baseline: ${baseline.revision}`, '');
    push(
      `- \`--baseline ${baseline.requested}\`: commit ${baseline.commit}, in the git worktree \`${baseline.worktree}\` with its own node_modules (${baseline.install}); ` +
        'its own subgraphs and gateways (started by its own bench code, with the environment it reads) on its own databases, ' +
        `${baseline.dataSet.databases.map((name) => `\`${name}\``).join(', ')}.`,
    );
    push(
      '- Its data set: its own migrations and its own `generateBenchData` with the seed and scale of the current manifest (same generator, ' +
        'same seed: the same organizations, users, dossiers and mandates, ids included, written in the schema its code reads).',
    );
    push(...dataSetLines(baseline.dataSet));
    push(...baseline.dataComparison.map((line) => `- ${line}`));
    push(`- Its scenarios are its own bench's, with the same names: the same operation, as its schema spells it (queries at the end).`);
    push(...baseline.configuration.map((line) => `- ${line}`), '');
  }
  push('## Method', '', ...report.method.map((line) => `- ${line}`), '');
  push('## Gateway configuration', '', ...report.configuration.map((line) => `- ${line}`), '');
  if (report.notes.length > 0) push('## Notes', '', ...report.notes.map((line) => `- ${line}`), '');

  if (report.scenarios.length > 0) {
    push('## Results', '');
    push('Each figure: median over the runs (min–max). CPU is user + system time per request sent: the gateway process’s own, every subgraph process’s, ');
    push('PostgreSQL’s processes’ (it serves nothing else during the bench), and their sum, the stack’s; ');
    push('subgraph calls and SQL statements are summed over the subgraphs (notifications included) per request sent. The direct client has no gateway, hence no CPU or RSS.', '');
    report.scenarios.forEach((scenario, index) => {
      push(`### ${index + 1}. ${scenario.title}`, '');
      push(`\`${scenario.operationName}\` — query plan: \`${scenario.planOutline}\` (${scenario.plannedFetches} subgraph fetch${scenario.plannedFetches === 1 ? '' : 'es'} planned); ${scenario.distinctUsers} distinct users over ${scenario.requestsInPool} prepared requests.`, '');
      const other = baseline?.scenarios.find((candidate) => candidate.name === scenario.name);
      if (baseline && other) {
        push(`At ${baseline.revision}: \`${other.operationName}\` — query plan: \`${other.planOutline}\` (${other.plannedFetches} planned); ${other.distinctUsers} distinct users over ${other.requestsInPool} prepared requests.`, '');
      }
      push('| conn. | target | req/s | p50 ms | p99 ms | gateway CPU ms/req | subgraphs CPU ms/req | PostgreSQL CPU ms/req | stack CPU ms/req | peak RSS MiB | subgraph calls/req | SQL/req | errors | empty answers |');
      push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const { connections, target, side, cell } of scenarioCells(scenario.name)) {
        push(
          `| ${connections} | ${targetTitle(report, target, side)} | ${show(cell.requestsPerSecond, 0)} | ${show(cell.p50, 2)} | ${show(cell.p99, 2)} | ` +
            `${show(cell.cpuMsPerRequest, 3)} | ${show(cell.subgraphsCpuMsPerRequest, 2)} | ${show(cell.postgresCpuMsPerRequest, 2)} | ` +
            `${show(cell.stackCpuMsPerRequest, 2)} | ${show(cell.peakRssMiB, 0)} | ${show(cell.subgraphCallsPerRequest, 2)} | ` +
            `${show(cell.sqlStatementsPerRequest, 2)} | ${percent(cell.errorRate)} | ${percent(cell.emptyShare)} |`,
        );
      }
      push('');
      if (subgraphNames.length > 0) {
        push('CPU ms per request, process by process (medians); “stack ÷ PostgreSQL”: the whole stack’s CPU over PostgreSQL’s, run by run (median).', '');
        push(`| conn. | target | gateway | ${subgraphNames.join(' | ')} | PostgreSQL | stack | stack ÷ PostgreSQL |`);
        push(`| ---: | --- | ---: | ${subgraphNames.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`);
        for (const { connections, target, side, cell } of scenarioCells(scenario.name)) {
          push(
            `| ${connections} | ${targetTitle(report, target, side)} | ${median(cell.cpuMsPerRequest, 3)} | ` +
              `${subgraphNames.map((name) => median(cell.subgraphCpuMsPerRequest?.[name], 3)).join(' | ')} | ` +
              `${median(cell.postgresCpuMsPerRequest, 3)} | ${median(cell.stackCpuMsPerRequest, 3)} | ${showRatio(cell.stackToPostgres?.median)} |`,
          );
        }
        push('');
      }
      const counted = [...new Set([...scenarioCells(scenario.name)].flatMap(({ cell }) => Object.keys(cell.subgraphCounters ?? {})))];
      if (counted.length > 0) {
        push(
          'Subgraph by subgraph (medians): GraphQL calls and SQL statements per request, and statements per call. A subgraph’s statements include those ' +
            'its other routes serve for the others’ calls (identity’s sessions and directory, services’ decision point), and a subgraph with no call has none per call.',
          '',
        );
        push(`| conn. | target | ${counted.map((name) => `${name} calls | ${name} SQL | ${name} SQL/call`).join(' | ')} |`);
        push(`| ---: | --- | ${counted.map(() => '---: | ---: | ---:').join(' | ')} |`);
        for (const { connections, target, side, cell } of scenarioCells(scenario.name)) {
          const figures = counted.map((name) => {
            const counters = cell.subgraphCounters?.[name];
            return `${median(counters?.calls, 2)} | ${median(counters?.sqlStatements, 2)} | ${median(counters?.sqlPerCall, 2)}`;
          });
          push(`| ${connections} | ${targetTitle(report, target, side)} | ${figures.join(' | ')} |`);
        }
        push('');
      }
    });

    push('## Whole stack', '');
    if (baseline) {
      push(
        `CPU per request (ms) of the whole stack, gateway + subgraphs + PostgreSQL, medians; current (${report.revision}) against the baseline (${baseline.revision}), ` +
          'measured in the same run, interleaved. current/baseline: below 1× the current tree spends less per request. ' +
          '“stack ÷ PG”: the stack’s CPU over PostgreSQL’s share of it.',
        '',
      );
      push('| scenario | conn. | target | stack current | stack baseline | stack current/baseline | gateway c/b | subgraphs c/b | PostgreSQL c/b | stack ÷ PG current | stack ÷ PG baseline | req/s c/b | p50 c/b |');
      push('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    } else {
      push('CPU per request (ms) of the whole stack, gateway + subgraphs + PostgreSQL, medians; “stack ÷ PG”: the stack’s CPU over PostgreSQL’s share of it.', '');
      push('| scenario | conn. | target | gateway | subgraphs | PostgreSQL | stack | stack ÷ PG |');
      push('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
    }
    for (const scenario of report.scenarios) {
      for (const connections of report.options.connections) {
        for (const target of report.options.targets) {
          const current = cells.get(cellKey(scenario.name, connections, target));
          const base = cells.get(cellKey(scenario.name, connections, target, 'baseline'));
          if (!current && !base) continue;
          const over = (pick: (cell: Cell) => Spread | undefined) => showRatio(ratio(current && pick(current)?.median, base && pick(base)?.median));
          if (baseline) {
            push(
              `| ${scenario.name} | ${connections} | ${GATEWAY_TITLES[target]} | ${median(current?.stackCpuMsPerRequest, 3)} | ${median(base?.stackCpuMsPerRequest, 3)} | ` +
                `${over((cell) => cell.stackCpuMsPerRequest)} | ${over((cell) => cell.cpuMsPerRequest)} | ${over((cell) => cell.subgraphsCpuMsPerRequest)} | ` +
                `${over((cell) => cell.postgresCpuMsPerRequest)} | ${showRatio(current?.stackToPostgres?.median)} | ${showRatio(base?.stackToPostgres?.median)} | ` +
                `${over((cell) => cell.requestsPerSecond)} | ${over((cell) => cell.p50)} |`,
            );
          } else {
            push(
              `| ${scenario.name} | ${connections} | ${GATEWAY_TITLES[target]} | ${median(current?.cpuMsPerRequest, 3)} | ${median(current?.subgraphsCpuMsPerRequest, 3)} | ` +
                `${median(current?.postgresCpuMsPerRequest, 3)} | ${median(current?.stackCpuMsPerRequest, 3)} | ${showRatio(current?.stackToPostgres?.median)} |`,
            );
          }
        }
      }
    }
    push('');

    push('## Summary', '');
    push('Ratios of medians. req/s: above 1× ours serves more; CPU: below 1× ours spends less per request. ');
    push('“of direct”: a gateway’s req/s as a share of the direct client’s, and the median latency it adds (p50 − direct p50).', '');
    push('| scenario | conn. | req/s ours/Apollo | req/s ours/Hive | CPU ours/Apollo | CPU ours/Hive | ours: of direct, +p50 | Apollo: of direct, +p50 | Hive: of direct, +p50 |');
    push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const scenario of report.scenarios) {
      for (const connections of report.options.connections) {
        const get = (target: TargetName) => cells.get(cellKey(scenario.name, connections, target));
        const ours = get('ours');
        const apollo = get('apollo');
        const hive = get('hive');
        const direct = get('direct');
        if (!ours && !apollo && !hive) continue;
        const overDirect = (cell: Cell | undefined) => {
          const share = ratio(cell?.requestsPerSecond?.median, direct?.requestsPerSecond?.median);
          const added = cell?.p50 && direct?.p50 ? cell.p50.median - direct.p50.median : undefined;
          const signed = added === undefined ? NA : `${added < 0 ? '−' : '+'}${Math.abs(added).toFixed(2)} ms`;
          return share === undefined ? NA : `${percent(share)}, ${signed}`;
        };
        push(
          `| ${scenario.name} | ${connections} | ${showRatio(ratio(ours?.requestsPerSecond?.median, apollo?.requestsPerSecond?.median))} | ` +
            `${showRatio(ratio(ours?.requestsPerSecond?.median, hive?.requestsPerSecond?.median))} | ` +
            `${showRatio(ratio(ours?.cpuMsPerRequest?.median, apollo?.cpuMsPerRequest?.median))} | ` +
            `${showRatio(ratio(ours?.cpuMsPerRequest?.median, hive?.cpuMsPerRequest?.median))} | ` +
            `${overDirect(ours)} | ${overDirect(apollo)} | ${overDirect(hive)} |`,
        );
      }
    }
    push('');
  }
  if (report.live) push(...liveMarkdown(report.live));
  if (report.startUp) {
    push('## Start and memory', '');
    push(...startMarkdown(report.startUp.current));
    if (report.startUp.baseline && baseline) push(`### Baseline ${baseline.revision}`, '', ...startMarkdown(report.startUp.baseline).map((line) => line.replace(/^### /, '#### ')));
  }
  push('## Queries', '');
  for (const scenario of report.scenarios) push(`<details><summary>${scenario.operationName}</summary>`, '', '```graphql', scenario.query, '```', '', '</details>', '');
  if (baseline) {
    for (const scenario of baseline.scenarios) {
      push(`<details><summary>${scenario.operationName} @ ${baseline.revision}</summary>`, '', '```graphql', scenario.query, '```', '', '</details>', '');
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `<date>-<label>.md|json` and overwrites `latest.md|json`; returns the dated Markdown
 * path. A report of the live scenario alone is `live-<date>-<label>` and `live-latest`, so that it
 * never replaces the last full run's.
 */
export function writeReport(directory: string, report: BenchReport): string {
  mkdirSync(directory, { recursive: true });
  const markdown = renderMarkdown(report);
  const json = `${JSON.stringify({ ...report, cells: Object.fromEntries(cellsOf(report)) }, null, 2)}\n`;
  const prefix = report.scenarios.length === 0 && report.live ? 'live-' : '';
  const base = `${prefix}${report.generatedAt.slice(0, 10)}-${report.label}`;
  for (const name of [base, `${prefix}latest`]) {
    writeFileSync(path.join(directory, `${name}.md`), markdown);
    writeFileSync(path.join(directory, `${name}.json`), json);
  }
  return path.join(directory, `${base}.md`);
}
