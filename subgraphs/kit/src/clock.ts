/**
 * Where every rule that depends on the time reads "now": deputy periods (R10), mandate dates
 * (R16), report deadlines (R18), token and session expiry, sign-in lockouts (R6). A subgraph is
 * given one clock where it is built (`BuildOptions.clock`, the system clock unless a test passes
 * its own) and hands it to its rules through the request context (`context.clock`), its loaders
 * and its routes: a test of a period or a deadline moves a test clock instead of sleeping.
 *
 * Production runs on `systemClock`; nothing read from the environment replaces it.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = Object.freeze({ now: () => new Date() });

/** Milliseconds since the epoch on `clock`: what `Date.now()` is for the system clock. */
export const epochMs = (clock: Clock): number => clock.now().getTime();
