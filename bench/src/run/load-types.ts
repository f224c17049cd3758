import type { PlanNode } from '@apollo/query-planner';
import type { RequestMeta, ScenarioName } from './checks';

/** One request of a load run: whose token, which variables, what the answer must match. */
export interface LoadItem {
  /** Index into the job's `tokens`. */
  token: number;
  variables: Record<string, unknown>;
  meta: RequestMeta;
}

/** A load run, sent by the orchestrator to the load worker. */
export interface LoadJob {
  id: number;
  scenario: ScenarioName;
  connections: number;
  durationSeconds: number;
  /** Each item at most once (the mutation: a grant decided twice would be refused). */
  once: boolean;
  tokens: string[];
  items: LoadItem[];
  operationName: string;
  query: string;
  target: { kind: 'gateway'; url: string } | { kind: 'direct'; plan: PlanNode; subgraphUrls: Record<string, string> };
}

export interface LatencySummary {
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export interface LoadResult {
  id: number;
  /** Requests started: the gateway handles every one, answered within the window or not. */
  sent: number;
  /** Answers received within the window (checked or not). */
  responses: number;
  elapsedMs: number;
  latencyMs: LatencySummary;
  errors: number;
  errorSamples: string[];
  /** Valid answers whose main list was empty. */
  empty: number;
  /** A `once` run that used every item before its time was up. */
  exhausted: boolean;
  /** Direct client only: subgraph calls made. */
  subgraphCalls?: number;
}

/** What the load worker tells the orchestrator. */
export type WorkerMessage = { type: 'ready' } | { type: 'result'; result: LoadResult } | { type: 'failed'; id: number; message: string };

/** Latencies kept in a growable typed array: tens of thousands per run, summarized at the end. */
export class LatencyRecorder {
  private values = new Float64Array(1 << 16);
  private count = 0;

  record(milliseconds: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = milliseconds;
  }

  summary(): LatencySummary {
    if (this.count === 0) return { p50: Number.NaN, p99: Number.NaN, mean: Number.NaN, max: Number.NaN };
    const sorted = this.values.slice(0, this.count).sort();
    const at = (q: number) => sorted[Math.min(this.count - 1, Math.ceil(q * this.count) - 1)]!;
    let total = 0;
    for (const value of sorted) total += value;
    return { p50: at(0.5), p99: at(0.99), mean: total / this.count, max: sorted[this.count - 1]! };
  }
}

/** Hands out item indexes round-robin across every connection, so consecutive requests are different users. */
export class ItemCursor {
  private next = 0;
  constructor(
    private readonly length: number,
    private readonly once: boolean,
  ) {}

  take(): number | undefined {
    if (this.once && this.next >= this.length) return undefined;
    return this.next++ % this.length;
  }

  get taken(): number {
    return this.next;
  }

  get exhausted(): boolean {
    return this.once && this.next >= this.length;
  }
}

/** Keeps the first few distinct problems of a run for the report. */
export class ErrorLog {
  count = 0;
  readonly samples: string[] = [];

  add(problem: string): void {
    this.count += 1;
    if (this.samples.length < 5 && !this.samples.includes(problem)) this.samples.push(problem);
  }
}
