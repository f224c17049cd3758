import { epochMs, systemClock } from './clock';
import { adjustableClock, fixedClock, offsetClock, waitFor } from './testing';

describe('the clock rules read now from (R6, R10, R16, R18)', () => {
  it('the system clock is the wall clock', () => {
    const before = Date.now();
    const now = epochMs(systemClock);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('a fixed clock always answers the same instant, a fresh Date each time', () => {
    const clock = fixedClock('2026-06-30T23:59:59-04:00');
    expect(clock.now().toISOString()).toBe('2026-07-01T03:59:59.000Z');
    clock.now().setTime(0);
    expect(clock.now().toISOString()).toBe('2026-07-01T03:59:59.000Z');
  });

  it('an adjustable clock stays where it is set and moves only when told', () => {
    const clock = adjustableClock('2026-01-01T00:00:00Z');
    clock.advance(86_400_000);
    expect(clock.now().toISOString()).toBe('2026-01-02T00:00:00.000Z');
    clock.set(new Date('2025-07-01T04:00:00Z'));
    expect(clock.now().toISOString()).toBe('2025-07-01T04:00:00.000Z');
    expect(() => clock.set('pas une date')).toThrow(/not an instant/);
  });

  it('an offset clock runs with the wall clock, ahead by what the test moved it', () => {
    const clock = offsetClock();
    clock.advance(3_600_000);
    const ahead = clock.now().getTime() - Date.now();
    expect(ahead).toBeGreaterThan(3_600_000 - 1_000);
    expect(ahead).toBeLessThanOrEqual(3_600_000);
    clock.set('2030-01-01T00:00:00Z');
    expect(Math.abs(clock.now().getTime() - Date.parse('2030-01-01T00:00:00Z'))).toBeLessThan(1_000);
  });
});

describe('waitFor: polling for a condition within a bound, never a fixed sleep', () => {
  it('returns the first value that holds, counting a throw as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('pas encore');
        return calls < 3 ? undefined : { calls };
      },
      { intervalMs: 1 },
    );
    expect(value).toEqual({ calls: 3 });
  });

  it('gives up after its bound, saying what it waited for and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('toujours pas');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'the impossible' },
      ),
    ).rejects.toThrow(/the impossible not met within 30 ms: toujours pas/);
    await expect(waitFor(() => false, { timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(/condition not met within 20 ms/);
  });
});
