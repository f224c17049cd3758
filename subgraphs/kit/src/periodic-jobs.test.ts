import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { startPeriodicJob } from './periodic-jobs';
import { fixedClock, waitFor } from './testing';

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('test', 'info', 'json', destination), lines };
}

describe('periodic jobs (a retention, a deadline watch)', () => {
  it("runs at once with the subgraph's now, then again; a failed run is logged and the next one runs", async () => {
    const { logger, lines } = capturedLogger();
    const seen: string[] = [];
    const job = startPeriodicJob(
      {
        name: 'essai',
        everyMs: 5,
        run: async (now) => {
          seen.push(now.toISOString());
          if (seen.length === 1) throw new Error('base indisponible');
          return 3;
        },
      },
      fixedClock('2026-06-01T12:00:00Z'),
      logger,
    );
    await waitFor(() => seen.length >= 3, { description: 'three runs' });
    await job.stop();
    expect(new Set(seen)).toEqual(new Set(['2026-06-01T12:00:00.000Z']));
    expect(lines.find((line) => line.msg === 'periodic job failed; tried again at its next run')).toMatchObject({ job: 'essai' });
    expect(lines.find((line) => line.msg === 'periodic job done')).toMatchObject({ job: 'essai', count: 3 });
  });

  it('never runs twice at once, and stop waits for the run under way', async () => {
    const { logger } = capturedLogger();
    let concurrent = 0;
    let most = 0;
    let finished = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const job = startPeriodicJob(
      {
        name: 'lent',
        everyMs: 1,
        run: async () => {
          concurrent++;
          most = Math.max(most, concurrent);
          await gate;
          concurrent--;
          finished++;
        },
      },
      fixedClock('2026-06-01T12:00:00Z'),
      logger,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = job.stop();
    release();
    await stopped;
    expect(most).toBe(1);
    expect(finished).toBe(1);
  });
});
