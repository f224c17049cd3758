import { parseOptions, type BenchOptions } from '../bench/src/run/options';
import { renderMarkdown, type BenchReport } from '../bench/src/run/report';
import { phasesFromLog, startMarkdown, type StartMeasurement } from '../bench/src/run/start-up';

// The start-and-memory measurement (issue 16): how it reads the subgraphs' phases and how the report shows it.
const measurement: StartMeasurement = {
  settings: { root: '/repo', freshClone: true, dataDirectory: '/tmp/pgamr-start-x', settleSeconds: 5, timeoutSeconds: 300, ports: { identity: 4700, gateway: 4704 } },
  runs: [
    {
      kind: 'first',
      readyAfterMs: 9500,
      buildMs: 2000,
      processes: [
        { name: 'launcher', spawnedAtMs: 10, cpuUntilReadyMs: 900, rssAtReadyMiB: 60, peakRssMiB: 90, rssSettledMiB: 60 },
        { name: 'identity', spawnedAtMs: 2100, readyAfterMs: 2900, cpuUntilReadyMs: 2500, rssAtReadyMiB: 230, peakRssMiB: 260, rssSettledMiB: 231, phases: { modules: 700, seeds: 300 } },
      ],
      rssSumAtReadyMiB: 290,
      rssSumPeakMiB: 350,
      rssSumSettledMiB: 291,
    },
  ],
};

describe('start and memory', () => {
  it('reads each subgraph’s phases from a JSON line or from pino-pretty’s block, behind the launcher’s prefix', () => {
    const output = [
      '\x1b[36m[identity]\x1b[0m {"level":30,"msg":"subgraph ready","startupMs":{"modules":812,"seeds":40,"total":2900}}',
      '\x1b[35m[services]\x1b[0m [03:15:51] INFO: subgraph ready',
      '\x1b[35m[services]\x1b[0m     startupMs: {',
      '\x1b[35m[services]\x1b[0m       "modules": 790,',
      '\x1b[33m[mandates]\x1b[0m [03:15:51] INFO: something else',
      '\x1b[35m[services]\x1b[0m       "total": 3100',
      '\x1b[35m[services]\x1b[0m     }',
    ].join('\n');
    const phases = phasesFromLog(output);
    expect(phases.get('identity')).toEqual({ modules: 812, seeds: 40, total: 2900 });
    expect(phases.get('services')).toEqual({ modules: 790, total: 3100 });
    expect(phases.has('mandates')).toBe(false);
  });

  it('gives each process’s spawn → ready, its CPU and its memory, the whole stack’s ready time and memory', () => {
    const markdown = startMarkdown(measurement).join('\n');
    expect(markdown).toContain('### First start as on a fresh clone');
    expect(markdown).toContain("ready (spawn of `npm start` → gateway's `/ready` 200): **9.50 s** (of which building: 2.00 s)");
    expect(markdown).toContain('**290 MiB** when ready, 350 MiB at the peak while starting, 291 MiB settled');
    expect(markdown).toContain('| identity | 2.10 | 2.90 | 2.50 | 230 | 260 | 231 |');
    expect(markdown).toContain('| launcher | 0.01 | – | 0.90 | 60 | 90 | 60 |');
    expect(markdown).toContain('| identity | 0.70 | 0.30 |');
  });

  it('is a section of the full report with --start, and nothing without', () => {
    const options: BenchOptions | 'help' = parseOptions(['--start']);
    expect(options !== 'help' && options.start).toBe(true);
    const without = parseOptions([]);
    expect(without !== 'help' && without.start).toBeUndefined();
    const report: BenchReport = {
      generatedAt: '2026-12-07T01:00:00.000Z',
      revision: 'abc1234',
      label: 'abc1234',
      machine: { cpuModel: 'test', cpuCount: 2, memoryGiB: 1, kernel: 'Linux', node: 'v20', loadAverageAtStart: [0, 0, 0] },
      versions: {},
      postgres: '15',
      dataSet: { manifest: 'm.json', seed: 1, scale: 1, generatedAt: '2026-11-22T00:00:00.000Z', counts: {} },
      options: { durationSeconds: 1, warmupSeconds: 1, runs: 1, connections: [1], targets: ['ours'], maxUsers: 1 },
      configuration: [],
      method: [],
      notes: [],
      scenarios: [],
      measurements: [],
      failures: [],
    };
    expect(renderMarkdown(report)).not.toContain('## Start and memory');
    expect(renderMarkdown({ ...report, startUp: { current: measurement } })).toContain('## Start and memory');
  });
});
