import type { Clock } from '../clock';

/** A clock a test sets and moves: nothing waits for the wall clock to reach a period's end. */
export interface AdjustableClock extends Clock {
  /** Moves the clock to `at`. */
  set(at: Date | string | number): void;
  /** Moves the clock forward by `ms` (backward when negative). */
  advance(ms: number): void;
}

const instant = (at: Date | string | number): number => {
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${String(at)}`);
  return ms;
};

/** A clock that stays at `at` until the test moves it (by default, the wall clock's now). */
export function adjustableClock(at: Date | string | number = Date.now()): AdjustableClock {
  let current = instant(at);
  return {
    now: () => new Date(current),
    set(next) {
      current = instant(next);
    },
    advance(ms) {
      current += ms;
    },
  };
}

/** A clock that always answers `at`. */
export function fixedClock(at: Date | string | number): Clock {
  const ms = instant(at);
  return { now: () => new Date(ms) };
}

/**
 * A clock that runs with the wall clock, `offsetMs` ahead (behind when negative), and that a test
 * moves with `advance`/`set`: for a stack whose timers (HTTP timeouts, caches) still run on real
 * time while its rules read this clock.
 */
export function offsetClock(offsetMs = 0): AdjustableClock {
  let offset = offsetMs;
  return {
    now: () => new Date(Date.now() + offset),
    set(next) {
      offset = instant(next) - Date.now();
    },
    advance(ms) {
      offset += ms;
    },
  };
}
