/**
 * Retries `probe` until it returns a value (a probe that throws counts as not yet), without ever
 * asserting on how long it took; gives up after `attempts`.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, attempts = 200, pauseMs = 100): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (attempt >= attempts) throw new Error(`condition not met after ${attempts} attempts`);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
