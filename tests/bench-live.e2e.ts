import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabaseServer, uniqueToken } from '@pgamr/kit/testing';
import pg from 'pg';
import { generateBenchData } from '../bench/src/data/generate';
import { eventDatabaseNames } from '../bench/src/run/event-bus';
import { parseOptions, type BenchOptions } from '../bench/src/run/options';
import type { BenchReport } from '../bench/src/run/report';
import { SCENARIO_NAMES } from '../bench/src/run/scenarios';
import { workFolder } from './support/work-folder';

// Issue 19's bench scenario, `live`, run for real and small: a data set of its own (scale 0.05,
// databases beside the bench's), then `npm run bench -- --scenarios live` with 20 streams for a
// few seconds. Its bus is a PostgreSQL bus of its own, the embedded default's kind (on NATS the
// bench runs the same code in a namespace of its own). What is checked is what the report says
// and what the databases hold, never how fast.
jest.setTimeout(600_000);

const REPOSITORY = path.resolve(__dirname, '..');
const STREAMS = 20;
const token = uniqueToken('benchlive');
const names = { identity: `pgamr_${token}_identity`, services: `pgamr_${token}_services`, mandates: `pgamr_${token}_mandates`, roadAid: `pgamr_${token}_road_aid` };
const extra = eventDatabaseNames(names.identity);
let server: { url: string; drop(): Promise<void> };
let folder: string;
let report: BenchReport;
let markdown: string;
let exitCode: number | null;
let output = '';

const databaseUrl = (name: string) => {
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
};

async function query<T extends pg.QueryResultRow>(database: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await createTestDatabaseServer('bench-live');
  folder = workFolder('pgamr-bench-live-');
  const manifestPath = path.join(folder, 'manifest.json');
  await generateBenchData({ url: server.url, seed: 7, scale: 0.05, manifestPath, databaseNames: names });
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/src/run/cli.ts',
      ...['--manifest', manifestPath, '--scenarios', 'live', '--gateways', 'ours', '--live-streams', String(STREAMS), '--live-rate', '4'],
      ...['--duration', '3', '--warmup', '1', '--runs', '1', '--out', path.join(folder, 'results'), '--label', 'test'],
    ],
    { cwd: REPOSITORY, env: { ...process.env, BENCH_DATABASE_URL: server.url, BENCH_NATS_URL: '', NATS_URL: '', TEST_NATS_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exitCode = await new Promise((resolve) => child.once('exit', resolve));
  const written = readdirSync(path.join(folder, 'results'));
  const json = written.find((file) => /^live-\d{4}-\d{2}-\d{2}-test\.json$/.test(file));
  if (!json) throw new Error(`no live report in ${written.join(', ')}; the bench said:\n${output}`);
  report = JSON.parse(readFileSync(path.join(folder, 'results', json), 'utf8')) as BenchReport;
  markdown = readFileSync(path.join(folder, 'results', json.replace(/\.json$/, '.md')), 'utf8');
});

afterAll(async () => {
  if (server) {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      for (const name of [...Object.values(names), extra.notifications, extra.bus]) await client.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await client.end();
    }
    await server.drop();
  }
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('bench options for the live scenario', () => {
  it('reads live among the scenarios, with its streams and rate, apart from the request scenarios', () => {
    const options = parseOptions(['--scenarios', 'dashboard,live', '--live-streams', '300', '--live-rate', '7.5']) as BenchOptions;
    expect(options.scenarios).toEqual(['dashboard']);
    expect(options.live).toEqual({ streams: 300, eventsPerSecond: 7.5 });
    expect((parseOptions([]) as BenchOptions).live).toEqual({ streams: 1000, eventsPerSecond: 20 });
    expect((parseOptions([]) as BenchOptions).scenarios).toEqual([...SCENARIO_NAMES]);
    expect((parseOptions(['--scenarios', 'catalog']) as BenchOptions).live).toBeUndefined();
  });
});

describe('issue 19: the live bench scenario, small', () => {
  it('ends without failure and writes the live report alone', () => {
    if (exitCode !== 0) throw new Error(`the bench exited with ${exitCode}:\n${output}`);
    expect(report.scenarios).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(markdown).toContain('## Live notifications (issue 19)');
    expect(markdown).not.toContain('## Results');
  });

  it('R8, R10: every event committed reached every stream in its audiences, once, and nothing else', () => {
    const live = report.live!;
    expect(live.streams).toBe(STREAMS);
    expect(live.refused).toBe(0);
    expect(live.measurements).toHaveLength(1);
    const [run] = live.measurements;
    expect(run).toMatchObject({ run: 1, missing: 0, lost: 0, duplicates: 0, unexpected: 0, errorEvents: 0, mutationErrors: 0, audienceMismatches: 0, streamsEnded: 0 });
    expect(run!.eventsCommitted).toBeGreaterThan(0);
    expect(run!.eventsCommitted).toBe(run!.mutations);
    // Each request is filed for its organization's local manager, who holds a stream.
    expect(run!.expectedDeliveries).toBeGreaterThanOrEqual(run!.eventsCommitted);
    expect(run!.delivered).toBe(run!.expectedDeliveries);
  });

  it('gives the rates, the delays from commit to delivery, the CPU per delivery and the gateway memory per stream', () => {
    const live = report.live!;
    const [run] = live.measurements;
    expect(run!.eventsPerSecond).toBeGreaterThan(0);
    expect(run!.deliveriesPerSecond).toBeGreaterThan(0);
    const delay = run!.delayMs!;
    expect(delay.count).toBe(run!.delivered);
    expect(delay.p50).toBeLessThanOrEqual(delay.p95);
    expect(delay.p95).toBeLessThanOrEqual(delay.p99);
    expect(delay.p99).toBeLessThanOrEqual(delay.max);
    // The commit comes before the mutation's answer: the delay from it is the longer.
    expect(run!.delayFromAnswerMs!.max).toBeLessThanOrEqual(delay.max);
    expect(Object.keys(run!.cpuMs.subgraphs)).toEqual(['identity', 'services', 'mandates', 'road-aid', 'notifications']);
    expect(run!.cpuMs.nats).toBeUndefined();
    expect(live.bus).toContain('PostgreSQL bus');
    expect(run!.stackCpuMsPerDelivery).toBeGreaterThan(0);
    expect(Number.isFinite(live.memory.rssKiBPerStream)).toBe(true);
    expect(Number.isFinite(live.memory.heapKiBPerStream)).toBe(true);
    expect(live.memory.open.rssMiB).toBeGreaterThan(0);
    expect(live.idle.stackCpuMsPerSecond).toBeGreaterThanOrEqual(0);
    expect(report.options.live).toEqual({ streams: STREAMS, eventsPerSecond: 4 });
  });

  it('R21: takes back the requests it filed, leaving their audit entries, their events and the inbox', async () => {
    const live = report.live!;
    const events = await query<{ id: string; subject: string }>(
      names.services,
      "select id, payload->'subject'->>'id' as subject from event_outbox where payload->>'type' = 'ACCESS_REQUEST_FILED'",
    );
    // The warm-up's events and the measured run's.
    expect(events.length).toBeGreaterThanOrEqual(live.measurements[0]!.eventsCommitted);
    const subjects = events.map((event) => event.subject);
    const inbox = await query<{ id: string }>(extra.notifications, 'select id from notification where id = any($1::uuid[])', [events.map((event) => event.id)]);
    expect(inbox).toHaveLength(events.length);
    const [requests] = await query<{ count: string }>(names.services, 'select count(*) from access_request where id = any($1::uuid[])', [subjects]);
    expect(Number(requests!.count)).toBe(0);
    const [audited] = await query<{ count: string }>(names.services, "select count(distinct target_id) from audit_event where target_type = 'AccessRequest' and target_id = any($1::uuid[])", [subjects]);
    expect(Number(audited!.count)).toBe(events.length);
  });
});
