import type { PlanNode } from '@apollo/query-planner';
import type { ScenarioName } from './checks';
import type { GrantState } from './grants';
import type { LoadWorker } from './load-client';
import type { LatencySummary, LoadItem, LoadJob } from './load-types';
import type { ProcessGroup } from './processes';
import { cpuMilliseconds, postgresProcesses, processTree, residentMemory, resetPeakRss } from './proc-stats';
import type { PlannedOperation } from './query-plan';
import type { Scenario } from './scenarios';
import type { GatewayName } from './stack';
import { readSubgraphCounters } from './subgraph-metrics';

export type TargetName = GatewayName | 'direct';

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
  /** CPU of PostgreSQL's processes, per request sent. */
  postgresCpuMsPerRequest?: number;
  peakRssMiB?: number;
  /** False when the kernel refused to reset the peak: it is then the process's peak since start. */
  peakRssPerRun?: boolean;
  subgraphCallsPerRequest?: number;
  sqlStatementsPerRequest?: number;
}

const SETTLE_POLL_MS = 100;
const SETTLE_TIMEOUT_MS = 60_000;
/** Below this much CPU per process and poll, a process is idle (a timer or two, no request). */
const IDLE_CPU_MS_PER_PROCESS_AND_POLL = 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Statements running in the bench databases now, the probe's own excepted. */
export type DatabaseActivity = () => Promise<number>;

/**
 * Measures one run: the gateway's CPU time and peak memory from /proc and the subgraphs'
 * counters, before and after the load worker's window. Per-request figures divide by requests
 * sent, since the gateway and subgraphs serve each one, answered within the window or not.
 */
export class Runner {
  constructor(
    private readonly worker: LoadWorker,
    private readonly group: ProcessGroup,
    private readonly subgraphMetricsUrls: readonly string[],
    private readonly subgraphPids: readonly number[],
    private readonly metricsToken: string,
    private readonly databaseActivity: DatabaseActivity,
    private readonly grants?: GrantState,
  ) {}

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
    const postgresBefore = postgresProcesses();
    const [subgraphsCpuBefore, postgresCpuBefore] = [cpuMilliseconds(this.subgraphPids), cpuMilliseconds(postgresBefore)];

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
    const subgraphsCpuAfter = cpuMilliseconds(this.subgraphPids);
    // Backends that started during the run count from zero; those present before, from their reading.
    const postgresCpuAfter = cpuMilliseconds([...new Set([...postgresBefore, ...postgresProcesses()])]);
    const memory = pids === undefined ? undefined : residentMemory(pids);
    const countersAfter = await readSubgraphCounters(this.subgraphMetricsUrls, this.metricsToken);
    if (prepared.scenario.mutation) await this.grants?.restore();

    const perRequest = (delta: number) => (result.sent > 0 ? delta / result.sent : undefined);
    return {
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
      subgraphsCpuMsPerRequest: perRequest(subgraphsCpuAfter - subgraphsCpuBefore),
      postgresCpuMsPerRequest: perRequest(postgresCpuAfter - postgresCpuBefore),
      ...(countersBefore && countersAfter
        ? {
            subgraphCallsPerRequest: perRequest(countersAfter.graphqlRequests - countersBefore.graphqlRequests),
            sqlStatementsPerRequest: perRequest(countersAfter.sqlStatements - countersBefore.sqlStatements),
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

/**
 * For each scenario and connection count: a warm-up of every target (whose errors stop the
 * bench at once), then the measured runs, interleaved A B C D A B C D … so that a machine
 * drifting slower or faster touches every target alike.
 */
export async function runProtocol(
  runner: Runner,
  prepared: readonly PreparedScenario[],
  targets: readonly Target[],
  options: ProtocolOptions,
  onMeasurement: (measurement: Measurement, done: number, total: number) => void,
): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  const total = prepared.length * options.connections.length * targets.length * options.runs;
  for (const scenario of prepared) {
    for (const connections of options.connections) {
      for (const target of targets) {
        const warmup = await runner.measure(target, scenario, connections, options.warmupSeconds, 0);
        if (warmup.errors > 0) throw new Error(`${scenario.scenario.name} via ${target.name} failed in warm-up: ${warmup.errorSamples.join('; ')}`);
      }
      for (let run = 1; run <= options.runs; run += 1) {
        for (const target of targets) {
          const measurement = await runner.measure(target, scenario, connections, options.durationSeconds, run);
          measurements.push(measurement);
          onMeasurement(measurement, measurements.length, total);
        }
      }
    }
  }
  return measurements;
}
