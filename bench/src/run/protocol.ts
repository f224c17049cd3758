import type { PlanNode } from '@apollo/query-planner';
import type { ScenarioName } from './checks';
import type { LatencySummary, LoadItem, LoadJob, LoadResult } from './load-types';
import { cpuMilliseconds, processTree, residentMemory, resetPeakRss } from './proc-stats';
import type { PlannedOperation } from './query-plan';
import type { Scenario } from './scenarios';
import type { GatewayName } from './stack';
import { readSubgraphCounters } from './subgraph-metrics';

export type TargetName = GatewayName | 'direct';

/** The tree under test, or the revision it is compared with (`--baseline`). */
export type SideName = 'current' | 'baseline';

/**
 * What the runner needs of each side's parts. The baseline's come from its own worktree's bench
 * (its load worker checks answers against its own schema), so they are described by shape here.
 */
export interface LoadRunner {
  run(job: Omit<LoadJob, 'id'>): Promise<LoadResult>;
}
export interface LiveProcesses {
  assertAlive(): void;
}
export interface RestorableGrants {
  restore(): Promise<void>;
}

/** A subgraph process the runner reads CPU time and counters of. */
export interface MeasuredSubgraph {
  name: string;
  pid: number;
  metricsUrl: string;
}

/** Where a run sends its load: a gateway's URL, or the subgraphs themselves. */
export type Target = { name: GatewayName; url: string; pid: number } | { name: 'direct'; subgraphUrls: Record<string, string> };

/** A scenario ready to load: its requests in the worker's form and its query plan. */
export interface PreparedScenario {
  scenario: Scenario;
  tokens: string[];
  items: LoadItem[];
  distinctUsers: number;
  planned: PlannedOperation;
}

/** One run of one target: what the report aggregates. */
export interface Measurement {
  /** Absent in reports written before `--baseline`: the current tree. */
  side?: SideName;
  target: TargetName;
  scenario: ScenarioName;
  connections: number;
  run: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  sent: number;
  responses: number;
  errors: number;
  errorSamples: string[];
  empty: number;
  exhausted: boolean;
  elapsedMs: number;
  gatewayCpuMsPerRequest?: number;
  /** CPU of every subgraph process, per request sent. */
  subgraphsCpuMsPerRequest?: number;
  /** The same, subgraph by subgraph (names of supergraph.yaml). */
  subgraphCpuMsPerRequest?: Record<string, number>;
  /** CPU of PostgreSQL's processes, per request sent. */
  postgresCpuMsPerRequest?: number;
  peakRssMiB?: number;
  /** False when the kernel refused to reset the peak: it is then the process's peak since start. */
  peakRssPerRun?: boolean;
  subgraphCallsPerRequest?: number;
  sqlStatementsPerRequest?: number;
  /**
   * Subgraph by subgraph: its GraphQL calls and the SQL statements it sent, per request sent.
   * A subgraph's statements include those of its other routes (identity's directory, services'
   * decision point) that other subgraphs' calls cause.
   */
  subgraphCountersPerRequest?: Record<string, { calls: number; sqlStatements: number }>;
}

const SETTLE_POLL_MS = 100;
const SETTLE_TIMEOUT_MS = 60_000;
/** Below this much CPU per process and poll, a process is idle (a timer or two, no request). */
const IDLE_CPU_MS_PER_PROCESS_AND_POLL = 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Statements running in the bench databases now, the probe's own excepted. */
export type DatabaseActivity = () => Promise<number>;

/** PostgreSQL's processes working for a side's databases now (see `databaseActivityProbe`). */
export type PostgresPids = () => Promise<number[]>;

/**
 * PostgreSQL's CPU between two readings of its processes, process by process: one that started
 * meanwhile counts from zero, one that ended counts nothing (its last reading is gone with it),
 * never less than nothing as a plain difference of sums would.
 */
export function postgresCpuDelta(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let delta = 0;
  for (const [pid, cpu] of after) delta += Math.max(0, cpu - (before.get(pid) ?? 0));
  return delta;
}

/** Each process's CPU so far; a process gone reads 0, which `postgresCpuDelta` counts as nothing. */
function cpuByPid(pids: readonly number[]): Map<number, number> {
  return new Map([...new Set(pids)].map((pid) => [pid, cpuMilliseconds([pid])]));
}

/**
 * Measures one run: the gateway's CPU time and peak memory from /proc and the subgraphs'
 * counters, before and after the load worker's window. Per-request figures divide by requests
 * sent, since the gateway and subgraphs serve each one, answered within the window or not.
 */
export class Runner {
  private readonly subgraphPids: readonly number[];
  private readonly subgraphMetricsUrls: readonly string[];

  constructor(
    private readonly worker: LoadRunner,
    private readonly group: LiveProcesses,
    private readonly subgraphs: readonly MeasuredSubgraph[],
    private readonly metricsToken: string,
    private readonly databaseActivity: DatabaseActivity,
    private readonly postgresPids: PostgresPids,
    private readonly grants?: RestorableGrants,
    readonly side: SideName = 'current',
  ) {
    this.subgraphPids = subgraphs.map((subgraph) => subgraph.pid);
    this.subgraphMetricsUrls = subgraphs.map((subgraph) => subgraph.metricsUrl);
  }

  /**
   * Waits until the requests a window left in flight are done: a load generator stops sending at
   * its deadline, but the gateway and subgraphs finish what they received. Counting their work
   * in this run (divided by requests sent) keeps it out of the next run, and restoring the
   * mutation's rows under their feet would deadlock.
   */
  private async settle(gatewayPids: readonly number[] | undefined): Promise<void> {
    const watched = [...(gatewayPids ?? []), ...this.subgraphPids];
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let quietPolls = 0;
    let cpu = cpuMilliseconds(watched);
    while (quietPolls < 2 && Date.now() < deadline) {
      await sleep(SETTLE_POLL_MS);
      const now = cpuMilliseconds(watched);
      const idle = now - cpu <= IDLE_CPU_MS_PER_PROCESS_AND_POLL * watched.length && (await this.databaseActivity()) === 0;
      cpu = now;
      quietPolls = idle ? quietPolls + 1 : 0;
    }
  }

  async measure(target: Target, prepared: PreparedScenario, connections: number, seconds: number, run: number): Promise<Measurement> {
    this.group.assertAlive();
    const pids = target.name === 'direct' ? undefined : processTree(target.pid);
    const countersBefore = await readSubgraphCounters(this.subgraphMetricsUrls, this.metricsToken);
    const peakRssPerRun = pids === undefined ? undefined : resetPeakRss(pids);
    const cpuBefore = pids === undefined ? 0 : cpuMilliseconds(pids);
    const postgresBefore = cpuByPid(await this.postgresPids());
    const subgraphCpuBefore = this.subgraphPids.map((pid) => cpuMilliseconds([pid]));

    const job: Omit<LoadJob, 'id'> = {
      scenario: prepared.scenario.name,
      connections,
      durationSeconds: seconds,
      once: prepared.scenario.mutation,
      tokens: prepared.tokens,
      items: prepared.items,
      operationName: prepared.scenario.operationName,
      query: prepared.scenario.query,
      target:
        target.name === 'direct'
          ? { kind: 'direct', plan: prepared.planned.plan.node as PlanNode, subgraphUrls: target.subgraphUrls }
          : { kind: 'gateway', url: target.url },
    };
    const result = await this.worker.run(job);
    await this.settle(pids);

    const cpuAfter = pids === undefined ? 0 : cpuMilliseconds(pids);
    const subgraphCpuAfter = this.subgraphPids.map((pid) => cpuMilliseconds([pid]));
    // Backends that started during the run count from zero; those present before, from their reading.
    const postgresAfter = cpuByPid([...postgresBefore.keys(), ...(await this.postgresPids())]);
    const memory = pids === undefined ? undefined : residentMemory(pids);
    const countersAfter = await readSubgraphCounters(this.subgraphMetricsUrls, this.metricsToken);
    if (prepared.scenario.mutation) await this.grants?.restore();

    const perRequest = (delta: number) => (result.sent > 0 ? delta / result.sent : undefined);
    const subgraphDeltas = this.subgraphs.map((subgraph, index) => [subgraph.name, subgraphCpuAfter[index]! - subgraphCpuBefore[index]!] as const);
    const perSubgraph = Object.fromEntries(subgraphDeltas.flatMap(([name, delta]) => (result.sent > 0 ? [[name, delta / result.sent]] : [])));
    return {
      side: this.side,
      target: target.name,
      scenario: prepared.scenario.name,
      connections,
      run,
      requestsPerSecond: result.elapsedMs > 0 ? (result.responses * 1000) / result.elapsedMs : 0,
      latencyMs: result.latencyMs,
      sent: result.sent,
      responses: result.responses,
      errors: result.errors,
      errorSamples: result.errorSamples,
      empty: result.empty,
      exhausted: result.exhausted,
      elapsedMs: result.elapsedMs,
      ...(pids === undefined ? {} : { gatewayCpuMsPerRequest: perRequest(cpuAfter - cpuBefore), peakRssMiB: memory?.peakMiB, peakRssPerRun }),
      subgraphsCpuMsPerRequest: perRequest(subgraphDeltas.reduce((sum, [, delta]) => sum + delta, 0)),
      ...(result.sent > 0 ? { subgraphCpuMsPerRequest: perSubgraph } : {}),
      postgresCpuMsPerRequest: perRequest(postgresCpuDelta(postgresBefore, postgresAfter)),
      ...(countersBefore && countersAfter
        ? {
            subgraphCallsPerRequest: perRequest(countersAfter.graphqlRequests - countersBefore.graphqlRequests),
            sqlStatementsPerRequest: perRequest(countersAfter.sqlStatements - countersBefore.sqlStatements),
            ...(result.sent > 0
              ? {
                  subgraphCountersPerRequest: Object.fromEntries(
                    this.subgraphs.map((subgraph, index) => [
                      subgraph.name,
                      {
                        calls: (countersAfter.each[index]!.graphqlRequests - countersBefore.each[index]!.graphqlRequests) / result.sent,
                        sqlStatements: (countersAfter.each[index]!.sqlStatements - countersBefore.each[index]!.sqlStatements) / result.sent,
                      },
                    ]),
                  ),
                }
              : {}),
          }
        : {}),
    };
  }
}

/** What the protocol needs of the command line. */
export interface ProtocolOptions {
  connections: readonly number[];
  runs: number;
  durationSeconds: number;
  warmupSeconds: number;
}

/** One tree under test: its runner, its scenarios (by the shared names) and its targets. */
export interface ProtocolSide {
  runner: Runner;
  prepared: readonly PreparedScenario[];
  targets: readonly Target[];
}

/** One measured run to make, in the order the protocol makes them. */
export interface PlannedRun {
  side: ProtocolSide;
  target: Target;
  prepared: PreparedScenario;
  connections: number;
  /** 0 for a warm-up. */
  run: number;
}

/**
 * The protocol's order, as a list. For each scenario and connection count: a warm-up of every
 * target of every side, then the measured runs, interleaved A B C D A B C D … so that a machine
 * drifting slower or faster touches every target alike. With a baseline, each target is measured
 * on both sides one after the other, the current tree first in odd runs and the baseline first
 * in even ones, so that neither always runs on the heels of the other.
 */
export function plannedRuns(sides: readonly ProtocolSide[], options: ProtocolOptions): PlannedRun[] {
  const planned: PlannedRun[] = [];
  const first = sides[0];
  if (!first) return planned;
  const scenarioNames = [...new Set(sides.flatMap((side) => side.prepared.map((p) => p.scenario.name)))];
  const targetNames = [...new Set(sides.flatMap((side) => side.targets.map((t) => t.name)))];
  const cell = (side: ProtocolSide, scenario: string, target: TargetName) => {
    const prepared = side.prepared.find((p) => p.scenario.name === scenario);
    const found = side.targets.find((t) => t.name === target);
    return prepared && found ? { prepared, target: found } : undefined;
  };
  for (const scenario of scenarioNames) {
    for (const connections of options.connections) {
      for (const target of targetNames) {
        for (const side of sides) {
          const found = cell(side, scenario, target);
          if (found) planned.push({ side, ...found, connections, run: 0 });
        }
      }
      for (let run = 1; run <= options.runs; run += 1) {
        const order = run % 2 === 1 ? sides : [...sides].reverse();
        for (const target of targetNames) {
          for (const side of order) {
            const found = cell(side, scenario, target);
            if (found) planned.push({ side, ...found, connections, run });
          }
        }
      }
    }
  }
  return planned;
}

/** Runs the protocol (see `plannedRuns`); a warm-up with errors stops the bench at once. */
export async function runProtocol(
  sides: readonly ProtocolSide[],
  options: ProtocolOptions,
  onMeasurement: (measurement: Measurement, done: number, total: number) => void,
): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  const planned = plannedRuns(sides, options);
  const total = planned.filter((p) => p.run > 0).length;
  for (const { side, target, prepared, connections, run } of planned) {
    if (run === 0) {
      const warmup = await side.runner.measure(target, prepared, connections, options.warmupSeconds, 0);
      if (warmup.errors > 0) {
        throw new Error(`${prepared.scenario.name} via ${target.name} (${side.runner.side}) failed in warm-up: ${warmup.errorSamples.join('; ')}`);
      }
      continue;
    }
    const measurement = await side.runner.measure(target, prepared, connections, options.durationSeconds, run);
    measurements.push(measurement);
    onMeasurement(measurement, measurements.length, total);
  }
  return measurements;
}
