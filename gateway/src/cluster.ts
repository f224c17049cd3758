import cluster, { type Worker } from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';

/**
 * Several gateway processes behind one port, with Node's cluster module: the primary binds the
 * port and hands each new connection to the next worker (round robin); every worker builds its
 * own gateway. The primary never builds one: it forks, replaces workers that die, forwards
 * SIGTERM/SIGINT for a graceful drain, and serves as the meeting point for `/metrics`.
 */

/** How the primary tells a worker which slot (1…N) it fills; internal, not configuration. */
const SLOT_VARIABLE = 'PGAMR_GATEWAY_WORKER_SLOT';
/** First delay before replacing a dead worker, doubled at each death that follows quickly. */
const RESTART_BASE_DELAY_MS = 500;
const RESTART_MAX_DELAY_MS = 30_000;
/** A worker up this long had a real life: its next death restarts the backoff from the base delay. */
const STABLE_AFTER_MS = 60_000;
/** Replacements in a row that die before listening: the problem will not go away by retrying. */
const MAX_START_FAILURES = 5;
/** Time for every worker to drain (the Fastify drain itself gives up on connections after 10 s). */
const SHUTDOWN_TIMEOUT_MS = 20_000;
/** A worker that does not send its metrics in time is left out of that scrape. */
const COLLECT_TIMEOUT_MS = 2_000;
const CLUSTER_METRICS_TIMEOUT_MS = 5_000;
const METRICS_PATH = '/metrics';

/** Messages between the primary and its workers, over the cluster's IPC channel. */
type Message =
  | { type: 'pgamr:listening'; url: string }
  | { type: 'pgamr:start-failed'; reason: string }
  | { type: 'pgamr:cluster-metrics-request'; id: number }
  | { type: 'pgamr:cluster-metrics'; id: number; text?: string; error?: string }
  | { type: 'pgamr:collect-metrics'; id: number }
  | { type: 'pgamr:worker-metrics'; id: number; metrics: object[] };

type MessageOf<T extends Message['type']> = Extract<Message, { type: T }>;

function isMessage<T extends Message['type']>(message: unknown, type: T): message is MessageOf<T> {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === type;
}

// ---------------------------------------------------------------------------------------------
// Primary

export interface ClusterSettings {
  workers: number;
  logger: Logger;
}

interface Slot {
  index: number;
  worker?: Worker;
  /** When the current worker started listening; unset while it starts. */
  listeningSince?: number;
  /** Deaths in quick succession, for the backoff. */
  crashes: number;
  /** Replacements in a row that died before listening. */
  startFailures: number;
  /** What the current worker said when it could not start. */
  startFailure?: string;
  restartTimer?: NodeJS.Timeout;
}

/** Forks `workers` gateway processes sharing the port and looks after them until a signal stops them. */
export function superviseWorkers(settings: ClusterSettings): void {
  new Supervisor(settings.workers, settings.logger).start();
}

class Supervisor {
  private readonly slots: Slot[];
  private phase: 'starting' | 'running' | 'stopping' = 'starting';
  /** The primary's exit code once every worker has stopped. */
  private exitCode = 0;
  private nextRequestId = 0;
  private readonly collecting = new Map<number, (metrics: object[] | undefined) => void>();
  /** The primary's own metrics, served with the workers'. */
  private readonly registry = new Registry();
  private readonly restarts: Counter;

  constructor(
    workers: number,
    private readonly logger: Logger,
  ) {
    this.slots = Array.from({ length: workers }, (_, i) => ({ index: i + 1, crashes: 0, startFailures: 0 }));
    this.restarts = new Counter({
      name: 'gateway_worker_restarts_total',
      help: 'Gateway worker processes forked to replace one that died',
      registers: [this.registry],
    });
    const slots = this.slots;
    new Gauge({
      name: 'gateway_workers_listening',
      help: 'Gateway worker processes accepting requests on the shared port',
      registers: [this.registry],
      collect() {
        this.set(slots.filter((slot) => slot.listeningSince !== undefined).length);
      },
    });
  }

  start(): void {
    // Node's default except on Windows, made explicit: the primary accepts and deals connections
    // in turn, rather than letting the kernel wake whichever worker, which loads some far more.
    cluster.schedulingPolicy = cluster.SCHED_RR;
    process.on('SIGTERM', () => this.stop('SIGTERM', 0));
    process.on('SIGINT', () => this.stop('SIGINT', 0));
    this.logger.info({ workers: this.slots.length, pid: process.pid }, 'gateway primary starting workers');
    for (const slot of this.slots) this.fork(slot);
  }

  private fork(slot: Slot): void {
    const worker = cluster.fork({ [SLOT_VARIABLE]: String(slot.index) });
    slot.worker = worker;
    slot.listeningSince = undefined;
    slot.startFailure = undefined;
    worker.on('message', (message: unknown) => this.onMessage(slot, worker, message));
    worker.on('exit', (code: number | null, signal: string | null) => {
      // Messages sent just before exiting (why it could not start) may still be in the channel.
      if (worker.isConnected()) worker.once('disconnect', () => this.onExit(slot, worker, code, signal));
      else this.onExit(slot, worker, code, signal);
    });
    // An IPC write to a worker that just died: its exit is handled on its own.
    worker.on('error', (error: Error) => this.logger.debug({ err: error, worker: slot.index }, 'gateway worker channel error'));
  }

  private onMessage(slot: Slot, worker: Worker, message: unknown): void {
    if (isMessage(message, 'pgamr:listening')) {
      slot.listeningSince = Date.now();
      slot.startFailures = 0;
      this.logger.info({ worker: slot.index, pid: worker.process.pid }, 'gateway worker listening');
      if (this.phase === 'starting' && this.slots.every((s) => s.listeningSince !== undefined)) {
        this.phase = 'running';
        this.logger.info({ url: message.url, workers: this.slots.length }, 'gateway cluster listening');
      }
    } else if (isMessage(message, 'pgamr:start-failed')) {
      slot.startFailure = message.reason;
    } else if (isMessage(message, 'pgamr:cluster-metrics-request')) {
      void this.answerClusterMetrics(worker, message.id);
    } else if (isMessage(message, 'pgamr:worker-metrics')) {
      this.collecting.get(message.id)?.(message.metrics);
    }
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    const pid = worker.process.pid;
    const listenedFor = slot.listeningSince === undefined ? undefined : Date.now() - slot.listeningSince;
    slot.listeningSince = undefined;

    if (this.phase === 'stopping') {
      // Killed by the SIGTERM itself: it was still starting, before its handler, with nothing to drain.
      const clean = code === 0 || signal === 'SIGTERM';
      if (!clean) this.exitCode = 1;
      this.logger.info({ worker: slot.index, pid, code, signal }, 'gateway worker stopped');
      this.exitWhenAllStopped();
      return;
    }
    if (listenedFor === undefined) {
      const reason = slot.startFailure ?? `un processus de la passerelle s'est arrêté au démarrage (${signal ?? `code ${code}`})`;
      slot.startFailures += 1;
      // At the first start, as with a single process: fail fast, the cause is in the message.
      if (this.phase === 'starting' || slot.startFailures >= MAX_START_FAILURES) {
        this.failToStart(reason);
        return;
      }
      this.logger.error({ worker: slot.index, pid, code, signal, reason, attempt: slot.startFailures }, 'gateway worker failed to start');
    } else {
      if (listenedFor >= STABLE_AFTER_MS) slot.crashes = 0;
      this.logger.error({ worker: slot.index, pid, code, signal, listenedForMs: listenedFor }, 'gateway worker died');
    }
    this.scheduleReplacement(slot);
  }

  private scheduleReplacement(slot: Slot): void {
    const delayMs = Math.min(RESTART_MAX_DELAY_MS, RESTART_BASE_DELAY_MS * 2 ** slot.crashes);
    slot.crashes += 1;
    this.logger.info({ worker: slot.index, delayMs }, 'replacing gateway worker');
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (this.phase === 'stopping') return;
      this.restarts.inc();
      this.fork(slot);
    }, delayMs);
  }

  /** Prints why once (not once per worker), stops the workers still alive, exits non-zero. */
  private failToStart(reason: string): void {
    console.error(`[gateway] démarrage impossible : ${reason}`);
    this.stop('start-failure', 1);
  }

  private stop(cause: string, exitCode: number): void {
    if (this.phase === 'stopping') return;
    this.phase = 'stopping';
    this.exitCode = exitCode;
    this.logger.info({ cause }, 'shutting down gateway workers');
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    // Each worker drains: it stops taking connections, finishes requests in flight, closes Apollo.
    for (const worker of this.liveWorkers()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      const stuck = this.liveWorkers();
      this.logger.error({ pids: stuck.map((worker) => worker.process.pid) }, 'gateway workers did not stop in time; killing them');
      for (const worker of stuck) worker.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    this.exitWhenAllStopped();
  }

  private exitWhenAllStopped(): void {
    if (this.liveWorkers().length === 0) process.exit(this.exitCode);
  }

  private liveWorkers(): Worker[] {
    return this.slots.flatMap((slot) => (slot.worker ? [slot.worker] : []));
  }

  /**
   * Prometheus scrapes whichever worker the port deals it to: that worker asks here for every
   * worker's metrics, each series labelled with its worker's slot, merged into one exposition.
   */
  private async answerClusterMetrics(requester: Worker, id: number): Promise<void> {
    const listening = this.slots.flatMap((slot) => (slot.worker && slot.listeningSince !== undefined ? [slot.worker] : []));
    const collected = await Promise.all(listening.map((worker) => this.collect(worker)));
    let answer: MessageOf<'pgamr:cluster-metrics'>;
    try {
      const metrics = [await this.registry.getMetricsAsJSON(), ...collected.filter((m) => m !== undefined)];
      answer = { type: 'pgamr:cluster-metrics', id, text: await AggregatorRegistry.aggregate(metrics).metrics() };
    } catch (error) {
      answer = { type: 'pgamr:cluster-metrics', id, error: error instanceof Error ? error.message : String(error) };
    }
    if (requester.isConnected()) requester.send(answer, () => undefined);
  }

  private collect(worker: Worker): Promise<object[] | undefined> {
    const id = this.nextRequestId++;
    return new Promise((resolve) => {
      const done = (metrics: object[] | undefined) => {
        clearTimeout(timer);
        this.collecting.delete(id);
        resolve(metrics);
      };
      const timer = setTimeout(() => done(undefined), COLLECT_TIMEOUT_MS);
      this.collecting.set(id, done);
      const request: Message = { type: 'pgamr:collect-metrics', id };
      if (!worker.isConnected()) return done(undefined);
      worker.send(request, (error) => {
        if (error) done(undefined);
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Worker

/** What a gateway process needs to know and do as one worker of a cluster. */
export interface ClusterWorker {
  /** Its slot, 1…N: kept by its replacement, so metrics series stay few. */
  slot: number;
  /**
   * Before listening: labels this worker's metrics with its slot, answers the primary's requests
   * for them, and makes `/metrics` (once authorized by its own route) answer for the whole cluster.
   */
  attach(app: FastifyInstance, registry: Registry): void;
  /** Tells the primary that this worker accepts connections. */
  listening(url: string): void;
}

/** This process as a worker of a gateway cluster; undefined in a single process or the primary. */
export function joinCluster(): ClusterWorker | undefined {
  const slot = Number(process.env[SLOT_VARIABLE]);
  if (!cluster.isWorker || !Number.isInteger(slot)) return undefined;
  return {
    slot,
    attach(app, registry) {
      registry.setDefaultLabels({ worker: String(slot) });
      const pending = new Map<number, (answer: MessageOf<'pgamr:cluster-metrics'>) => void>();
      let nextId = 0;
      process.on('message', (message: unknown) => {
        if (isMessage(message, 'pgamr:collect-metrics')) {
          void registry.getMetricsAsJSON().then((metrics) => {
            // Series differ by their worker label, so summing merges them without adding anything up;
            // prom-client's default aggregators would keep only one worker's value for some metrics.
            send({ type: 'pgamr:worker-metrics', id: message.id, metrics: metrics.map((metric) => ({ ...metric, aggregator: 'sum' })) });
          });
        } else if (isMessage(message, 'pgamr:cluster-metrics')) {
          pending.get(message.id)?.(message);
        }
      });
      const clusterMetrics = () =>
        new Promise<string>((resolve, reject) => {
          const id = nextId++;
          const timer = setTimeout(() => {
            pending.delete(id);
            reject(new Error('métriques de la grappe sans réponse du processus principal'));
          }, CLUSTER_METRICS_TIMEOUT_MS);
          pending.set(id, (answer) => {
            clearTimeout(timer);
            pending.delete(id);
            if (answer.text === undefined) reject(new Error(answer.error ?? 'métriques de la grappe indisponibles'));
            else resolve(answer.text);
          });
          send({ type: 'pgamr:cluster-metrics-request', id });
        });
      // The route itself (server.ts) stays the one place that decides who may read metrics:
      // only its successful answer is swapped for the cluster's.
      app.addHook('onSend', async (request, reply, payload) => {
        if (request.routeOptions.url !== METRICS_PATH || request.method !== 'GET' || reply.statusCode !== 200) return payload;
        return clusterMetrics();
      });
    },
    listening(url) {
      send({ type: 'pgamr:listening', url });
    },
  };
}

/** In a worker: gives the primary the reason it could not start (the primary prints it once), then exits. */
export function reportStartFailure(reason: string): void {
  // Exits even if the channel to the primary is gone and the callback never comes.
  setTimeout(() => process.exit(1), 1_000);
  send({ type: 'pgamr:start-failed', reason }, () => process.exit(1));
}

function send(message: Message, sent: () => void = () => undefined): void {
  if (!process.send || !process.connected) return sent();
  process.send(message, undefined, {}, () => sent());
}
