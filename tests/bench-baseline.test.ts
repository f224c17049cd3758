import { parseOptions, type BenchOptions } from '../bench/src/run/options';
import { plannedRuns, postgresCpuDelta, type Measurement, type PreparedScenario, type ProtocolSide, type Runner, type Target } from '../bench/src/run/protocol';
import { renderMarkdown, type BenchReport } from '../bench/src/run/report';

// The bench's `--baseline` (issue 16): the options it reads, the order it measures both trees
// in, and the report's whole-stack figures and ratios. The processes themselves are exercised
// by `npm run bench`, not here.

describe('bench options', () => {
  it('keeps every option of before and reads --baseline', () => {
    const options = parseOptions([
      '--scenarios',
      'dashboard,grant-access',
      '--gateways',
      'ours',
      '--connections',
      '20',
      '--runs',
      '2',
      '--duration',
      '10',
      '--warmup',
      '3',
      '--out',
      '/tmp/out',
      '--baseline',
      '8fcd92e',
    ]) as BenchOptions;
    expect(options).toMatchObject({
      scenarios: ['dashboard', 'grant-access'],
      targets: ['ours'],
      connections: [20],
      runs: 2,
      durationSeconds: 10,
      warmupSeconds: 3,
      outDirectory: '/tmp/out',
      baseline: '8fcd92e',
    });
    expect((parseOptions([]) as BenchOptions).baseline).toBeUndefined();
  });

  it('refuses a baseline git could read as an option', () => {
    expect(() => parseOptions(['--baseline', '--upload-pack=x'])).toThrow(/--baseline/);
  });
});

const scenario = (name: string) => ({ scenario: { name, mutation: false } }) as unknown as PreparedScenario;
const side = (name: 'current' | 'baseline', targets: Target[]): ProtocolSide => ({
  runner: { side: name } as Runner,
  prepared: [scenario('my-services'), scenario('dashboard')],
  targets,
});
const ours: Target = { name: 'ours', url: 'http://127.0.0.1:1/graphql', pid: 1 };
const apollo: Target = { name: 'apollo', url: 'http://127.0.0.1:2/graphql', pid: 2 };

describe('bench protocol with a baseline', () => {
  it('warms every target of both sides up, then measures each target on both sides back to back, alternating which goes first', () => {
    const runs = plannedRuns([side('current', [ours, apollo]), side('baseline', [ours, apollo])], {
      connections: [20],
      runs: 2,
      durationSeconds: 1,
      warmupSeconds: 1,
    });
    const dashboard = runs
      .filter((run) => run.prepared.scenario.name === 'dashboard')
      .map((run) => `${run.run}:${run.target.name}:${(run.side.runner as { side: string }).side}`);
    expect(dashboard).toEqual([
      '0:ours:current',
      '0:ours:baseline',
      '0:apollo:current',
      '0:apollo:baseline',
      '1:ours:current',
      '1:ours:baseline',
      '1:apollo:current',
      '1:apollo:baseline',
      '2:ours:baseline',
      '2:ours:current',
      '2:apollo:baseline',
      '2:apollo:current',
    ]);
    expect(runs.filter((run) => run.run > 0)).toHaveLength(2 * 2 * 2 * 2);
  });

  it('is today’s order without a baseline', () => {
    const runs = plannedRuns([side('current', [ours, apollo])], { connections: [1, 50], runs: 2, durationSeconds: 1, warmupSeconds: 1 });
    expect(runs.filter((run) => run.prepared.scenario.name === 'my-services' && run.connections === 1).map((run) => `${run.run}:${run.target.name}`)).toEqual([
      '0:ours',
      '0:apollo',
      '1:ours',
      '1:apollo',
      '2:ours',
      '2:apollo',
    ]);
  });
});

function measurement(side: 'current' | 'baseline', run: number, gateway: number, subgraphs: Record<string, number>, postgres: number): Measurement {
  return {
    side,
    target: 'ours',
    scenario: 'dashboard',
    connections: 20,
    run,
    requestsPerSecond: 100,
    latencyMs: { p50: 10, p99: 20, mean: 11, max: 30 },
    sent: 1000,
    responses: 1000,
    errors: 0,
    errorSamples: [],
    empty: 0,
    exhausted: false,
    elapsedMs: 10_000,
    gatewayCpuMsPerRequest: gateway,
    subgraphsCpuMsPerRequest: Object.values(subgraphs).reduce((sum, value) => sum + value, 0),
    subgraphCpuMsPerRequest: subgraphs,
    postgresCpuMsPerRequest: postgres,
  };
}

describe('bench report', () => {
  const summary = {
    name: 'dashboard' as const,
    title: 'Dashboard',
    operationName: 'Dashboard',
    query: 'query Dashboard { __typename }',
    planOutline: 'services',
    plannedFetches: 1,
    distinctUsers: 2000,
    requestsInPool: 2000,
  };
  const dataSet = { manifest: 'bench/.data/manifest.json', seed: 1, scale: 1, generatedAt: '2026-11-22T00:00:00.000Z', counts: { 'identity.app_user': 10 } };
  const report: BenchReport = {
    generatedAt: '2026-12-07T01:00:00.000Z',
    revision: 'abc1234',
    label: 'abc1234',
    machine: { cpuModel: 'test', cpuCount: 2, memoryGiB: 1, kernel: 'Linux', node: 'v20', loadAverageAtStart: [0, 0, 0] },
    versions: {},
    postgres: '15',
    dataSet,
    options: { durationSeconds: 10, warmupSeconds: 3, runs: 2, connections: [20], targets: ['ours'], maxUsers: 2000 },
    baseline: {
      requested: '8fcd92e',
      commit: '8fcd92e'.padEnd(40, '0'),
      revision: '8fcd92e',
      worktree: '/tmp/baseline',
      install: 'npm ci',
      dataSet: { ...dataSet, databases: ['pgamr_bench_b8fcd92e_identity'] },
      dataComparison: ['Rows: the same count in each of the 1 tables.'],
      scenarios: [summary],
      configuration: [],
    },
    configuration: [],
    method: [],
    notes: [],
    scenarios: [summary],
    measurements: [
      measurement('current', 1, 1, { identity: 0.5, services: 0.5, mandates: 1, 'road-aid': 0 }, 1),
      measurement('baseline', 1, 2, { identity: 1, services: 1, mandates: 2, 'road-aid': 0 }, 2),
      measurement('baseline', 2, 2, { identity: 1, services: 1, mandates: 2, 'road-aid': 0 }, 2),
      measurement('current', 2, 1, { identity: 0.5, services: 0.5, mandates: 1, 'road-aid': 0 }, 1),
    ],
    failures: [],
  };

  it('gives the stack’s CPU per request of both trees, their ratio and the ratio of the stack to PostgreSQL’s share', () => {
    const markdown = renderMarkdown(report);
    // Current: 1 + 2 + 1 = 4 ms, of which PostgreSQL 1 ms; baseline: 2 + 4 + 2 = 8 ms, of which 2.
    expect(markdown).toContain('| dashboard | 20 | ours (PGAMR gateway, production profile) | 4.000 | 8.000 | 0.50× | 0.50× | 0.50× | 0.50× | 4.00× | 4.00× | 1.00× | 1.00× |');
    expect(markdown).toContain('| gateway | identity | services | mandates | road-aid | PostgreSQL | stack | stack ÷ PostgreSQL |');
    expect(markdown).toContain('| 20 | ours (PGAMR gateway, production profile) @ 8fcd92e | 2.000 | 1.000 | 1.000 | 2.000 | 0.000 | 2.000 | 8.000 | 4.00× |');
  });

  it('renders a report of before the baseline (no side, no subgraph breakdown) as before', () => {
    const { baseline: _baseline, ...old } = report;
    const markdown = renderMarkdown({
      ...old,
      measurements: report.measurements
        .filter((m) => m.side === 'current')
        .map(({ side: _side, subgraphCpuMsPerRequest: _subgraphs, ...rest }) => rest),
    });
    expect(markdown).not.toContain('@ 8fcd92e');
    expect(markdown).toContain('| dashboard | 20 | ours (PGAMR gateway, production profile) | 1.000 | 2.000 | 1.000 | 4.000 | 4.00× |');
  });
});

describe('PostgreSQL’s CPU between two readings', () => {
  it('counts a backend started meanwhile from zero and one that ended as nothing, never less', () => {
    const before = new Map([
      [10, 1000],
      [11, 500],
      [12, 12_000],
    ]);
    // 12 ended during the run (reads 0), 13 started.
    const after = new Map([
      [10, 1300],
      [11, 500],
      [12, 0],
      [13, 40],
    ]);
    expect(postgresCpuDelta(before, after)).toBe(340);
  });
});
