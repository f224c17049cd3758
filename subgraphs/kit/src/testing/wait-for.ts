export interface WaitForOptions {
  /** Gives up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between two checks (default 50 ms). */
  intervalMs?: number;
  /** Said in the error when the condition is not met in time. */
  description?: string;
}

/**
 * Checks `condition` until it holds (returns true, or a value other than false/undefined/null),
 * pausing `intervalMs` between checks; a check that throws counts as "not yet". Throws after
 * `timeoutMs`, with the last error if there was one. For something asynchronous a test waits on
 * (a process ready, a file reloaded, a key rotated): never a fixed sleep that hopes it was enough.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50, description = 'condition' }: WaitForOptions = {},
): Promise<Exclude<T, false | undefined | null>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== false && value !== undefined && value !== null) return value as Exclude<T, false | undefined | null>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`${description} not met within ${timeoutMs} ms${cause}`, lastError === undefined ? undefined : { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
