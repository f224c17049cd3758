/** A step's answer: run again at once (a full batch: more may be waiting). */
export const AGAIN = 'again' as const;

/** What a step answers: AGAIN, a delay in ms before it runs again (a failure's back-off), or nothing (wait to be woken). */
export type StepAnswer = number | typeof AGAIN | void;

export interface WakeLoop {
  /** Something may be waiting (a notification, a poll): run the step, or once more after the run under way. A function of its own, handed to LISTEN and timers. */
  readonly wake: () => void;
  /** Stops after the run under way; a back-off in progress is cut short. */
  stop(): Promise<void>;
}

/**
 * Runs `step` now and whenever woken, one run at a time, until stopped: the loop of the outbox
 * relay and of the PostgreSQL bus's consumers. A wake-up during a back-off does not cut it short
 * (a broker that refuses is not hammered); the step runs again when it ends. `step` handles its
 * own errors: it answers a delay rather than throw.
 */
export function wakeLoop(step: () => Promise<StepAnswer>): WakeLoop {
  let stopped = false;
  let pending = true;
  let waiting: (() => void) | undefined;
  const done = (async () => {
    while (!stopped) {
      if (!pending) await new Promise<void>((resolve) => (waiting = resolve));
      waiting = undefined;
      if (stopped) break;
      pending = false;
      const next = await step();
      if (next === AGAIN) pending = true;
      else if (typeof next === 'number' && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, next);
          waiting = () => {
            if (!stopped) return;
            clearTimeout(timer);
            resolve();
          };
        });
        waiting = undefined;
        pending = true;
      }
    }
  })();
  return {
    wake: () => {
      pending = true;
      waiting?.();
    },
    async stop() {
      stopped = true;
      waiting?.();
      await done;
    },
  };
}
