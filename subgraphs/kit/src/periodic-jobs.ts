import type { Clock } from './clock';
import type { Logger } from './logger';

/**
 * Work a subgraph does on its own, now and then every `everyMs` (a retention, a deadline watch):
 * started by the kit once the server listens and stopped before the database closes.
 */
export interface PeriodicJob {
  /** Named in the logs. */
  name: string;
  everyMs: number;
  /** Runs with the subgraph's now; a number it returns is logged as how many records it handled. */
  run(now: Date): Promise<number | void>;
  /**
   * Only with an event bus: a job whose whole work is raising events waits until they can leave
   * (without a bus they would wait in the outbox, and tests without a bus see none).
   */
  needsEventBus?: boolean;
}

export interface RunningJob {
  stop(): Promise<void>;
}

/**
 * Runs `job` now and every `job.everyMs`, one run at a time: a run still going when the next is
 * due is not doubled. A failed run is logged and tried again at the next; stop waits for the
 * current one.
 */
export function startPeriodicJob(job: PeriodicJob, clock: Clock, logger: Logger): RunningJob {
  let running: Promise<void> | undefined;
  const runOnce = () => {
    running ??= job
      .run(clock.now())
      .then((count) => {
        if (typeof count === 'number' && count > 0) logger.info({ job: job.name, count }, 'periodic job done');
      })
      .catch((error: unknown) => logger.warn({ err: error, job: job.name }, 'periodic job failed; tried again at its next run'))
      .finally(() => {
        running = undefined;
      });
  };
  runOnce();
  const timer = setInterval(runOnce, job.everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
