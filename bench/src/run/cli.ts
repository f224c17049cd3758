// `npm run bench`: our gateway, plain @apollo/gateway and Hive Gateway over the same subgraphs
// and data, and a direct client for the physical limit. See USAGE in options.ts.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { compareDataSets, prepareBaselineData, prepareBaselineTree, type BaselineTree } from './baseline';
import { databaseActivityProbe, postgresVersion } from './databases';
import { gitRevision, machineInfo, packageVersions } from './machine';
import { readManifest } from './manifest';
import { subgraphCallNotes, configurationLines, methodLines, progressLine } from './narrative';
import { estimatedSeconds, parseOptions, USAGE, type BenchOptions } from './options';
import { REPOSITORY_ROOT } from './processes';
import { runProtocol, type Measurement } from './protocol';
import { writeReport, type BaselineSummary, type BenchReport, type ScenarioSummary } from './report';
import { liveFailures, runLive, type LiveSummary } from './live';
import { CURRENT_MODULES, loadBenchModules, startSide, type BenchModules, type StartedSide } from './side';
import { measureStart } from './start-up';

/** Set on Ctrl-C: whatever fails afterwards is the interruption, not a finding. */
let interrupted = false;

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const manifest = await readManifest(options.manifest);
  const startedAt = new Date();
  const logDirectory = path.join(REPOSITORY_ROOT, 'bench', '.data', 'logs', startedAt.toISOString().replace(/[:.]/g, '-'));
  // Each side stops its own processes, then undoes what it wrote; the probe closes last.
  const stops: Array<() => Promise<void>> = [];
  const cleanups: Array<() => Promise<void>> = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await Promise.all(stops.map((stop) => stop()));
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          console.error(`cleanup: ${(error as Error).message}`);
        }
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\n${signal}: stopping every process the bench started…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  try {
    const estimate = estimatedSeconds(options);
    const revision = gitRevision();
    console.log(
      `bench: ${options.scenarios.length} scenarios × ${options.connections.join('/')} connections × ${options.targets.join(', ')}` +
        `${options.live ? `, live: ${options.live.streams} streams, ${options.live.eventsPerSecond} events/s` : ''}` +
        `${options.baseline ? `, current and baseline ${options.baseline}` : ''}; about ${Math.ceil(estimate / 60)} min of load`,
    );
    console.log(`logs: ${path.relative(process.cwd(), logDirectory)}`);

    // The baseline first: its install and data set may take minutes, which no token should wait through.
    let baselineSetup: { tree: BaselineTree; manifestPath: string; modules: BenchModules } | undefined;
    if (options.baseline) {
      const baselineLogs = path.join(logDirectory, 'baseline');
      mkdirSync(baselineLogs, { recursive: true });
      const tree = await prepareBaselineTree(options.baseline, baselineLogs, (line) => console.log(line));
      const manifestPath = await prepareBaselineData(tree, manifest, baselineLogs, (line) => console.log(line));
      baselineSetup = { tree, manifestPath, modules: await loadBenchModules(tree.root) };
    }

    // Before any stack of the bench runs: `npm start` measured alone, as on a fresh clone.
    let startUp: BenchReport['startUp'];
    if (options.start) {
      const log = (line: string) => console.log(line);
      const current = await measureStart(path.join(logDirectory, 'start'), { freshClone: true, log });
      const baselineRoot = baselineSetup?.tree.root;
      startUp = {
        current,
        ...(baselineRoot ? { baseline: await measureStart(path.join(logDirectory, 'baseline', 'start'), { root: baselineRoot, freshClone: true, log }) } : {}),
      };
    }

    const tokenLifetimeSeconds = estimate * 3 + 3600;
    const current = await startSide(
      { side: 'current', revision, modules: CURRENT_MODULES, manifestPath: options.manifest, logDirectory, options, tokenLifetimeSeconds },
      (stop) => stops.push(stop),
    );
    let baseline: StartedSide | undefined;
    if (baselineSetup) {
      baseline = await startSide(
        {
          side: 'baseline',
          revision: baselineSetup.tree.short,
          modules: baselineSetup.modules,
          manifestPath: baselineSetup.manifestPath,
          logDirectory: path.join(logDirectory, 'baseline'),
          options,
          tokenLifetimeSeconds,
        },
        (stop) => stops.push(stop),
      );
    }
    const sides = baseline ? [current, baseline] : [current];

    // One probe for both sides: a run starts only when neither stack has a statement in flight.
    const activity = await databaseActivityProbe(current.identityUrl, sides.flatMap((side) => side.databaseNames));
    cleanups.push(() => activity.close());
    const measurements = await runProtocol(
      sides.map((side) => ({
        runner: side.createRunner(activity.active, () => activity.serverPids(side.databaseNames)),
        prepared: side.prepared,
        targets: side.targets,
      })),
      options,
      (measurement, done, total) => console.log(progressLine(done, total, measurement)),
    );

    // Issue 19's live notifications, after the request scenarios: their figures owe nothing to open streams.
    let live: LiveSummary | undefined;
    if (current.live && options.live) {
      live = await runLive(
        current.live.stack(activity.active, () => activity.serverPids(current.databaseNames)),
        current.live.plan,
        { ...options.live, runs: options.runs, seconds: options.durationSeconds, warmupSeconds: options.warmupSeconds },
        (line) => console.log(line),
        (cleanup) => cleanups.push(cleanup),
      );
    }

    const notes = [...current.notes, ...(baseline?.notes ?? [])];
    const ofSide = (side: StartedSide) => measurements.filter((m) => (m.side ?? 'current') === side.side);
    notes.push(...subgraphCallNotes(current.prepared, ofSide(current)));
    if (baseline) notes.push(...subgraphCallNotes(baseline.prepared, ofSide(baseline)).map((note) => `${baseline.revision}: ${note}`));
    for (const side of sides) {
      for (const scenario of side.prepared.filter((p) => p.scenario.mutation)) {
        const shortened = ofSide(side).filter((m) => m.scenario === scenario.scenario.name && m.exhausted).length;
        if (shortened > 0) notes.push(`${side.side}: ${scenario.scenario.name}: the ${scenario.items.length} grants ran out before the end of ${shortened} runs, which were shortened (req/s is over the time actually run).`);
      }
    }
    const failures = measurements
      .filter((m) => m.errors > 0)
      .map((m: Measurement) => `${m.scenario}, ${m.connections} conn., ${m.target}${m.side === 'baseline' ? ` @ ${baseline?.revision}` : ''}, run ${m.run}: ${m.errors} of ${m.responses} answers wrong — ${m.errorSamples.join('; ')}`)
      .concat(live ? liveFailures(live) : []);
    const summaries = (side: StartedSide): ScenarioSummary[] =>
      side.prepared.map(({ scenario, planned, distinctUsers, items }) => ({
        name: scenario.name,
        title: scenario.title,
        operationName: scenario.operationName,
        query: scenario.query,
        planOutline: planned.outline,
        plannedFetches: planned.fetches,
        distinctUsers,
        requestsInPool: items.length,
      }));
    const dataSetOf = (side: StartedSide, manifestPath: string) => ({
      manifest: path.relative(REPOSITORY_ROOT, manifestPath),
      seed: side.manifest.seed,
      scale: side.manifest.scale,
      generatedAt: side.manifest.generatedAt,
      ...(side.manifest.digest ? { digest: side.manifest.digest } : {}),
      counts: side.manifest.counts,
    });
    let baselineSummary: BaselineSummary | undefined;
    if (baseline && baselineSetup) {
      baselineSummary = {
        requested: baselineSetup.tree.requested,
        commit: baselineSetup.tree.commit,
        revision: baselineSetup.tree.short,
        worktree: baselineSetup.tree.root,
        install: baselineSetup.tree.install,
        dataSet: { ...dataSetOf(baseline, baselineSetup.manifestPath), manifest: baselineSetup.manifestPath, databases: baseline.databaseNames },
        dataComparison: compareDataSets(current.manifest, baseline.manifest),
        scenarios: summaries(baseline),
        configuration: [
          baseline.rateLimitPoints === current.rateLimitPoints
            ? `Its gateway’s rate limit: ${baseline.rateLimitPoints} requests per user per minute, as the current one’s.`
            : `Its gateway’s rate limit: ${baseline.rateLimitPoints} requests per user per minute (current: ${current.rateLimitPoints}).`,
        ],
      };
    }
    const report: BenchReport = {
      generatedAt: startedAt.toISOString(),
      revision,
      label: options.label ?? revision,
      machine: machineInfo(),
      versions: packageVersions(),
      postgres: await postgresVersion(current.identityUrl),
      dataSet: dataSetOf(current, options.manifest),
      options: {
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        runs: options.runs,
        connections: options.connections,
        targets: options.targets,
        maxUsers: options.maxUsers,
        ...(options.live ? { live: options.live } : {}),
      },
      ...(baselineSummary ? { baseline: baselineSummary } : {}),
      configuration: configurationLines(current.rateLimitPoints, options.gatewayLogLevel),
      method: methodLines(options),
      notes,
      scenarios: summaries(current),
      measurements,
      failures,
      ...(startUp ? { startUp } : {}),
      ...(live ? { live } : {}),
    };
    const written = writeReport(options.outDirectory, report);
    console.log(`\nreport: ${path.relative(process.cwd(), written)} (and its .json, and the latest's)`);
    if (failures.length > 0) {
      console.error(`\nFAILED: ${failures.length} runs had wrong answers:\n- ${failures.join('\n- ')}`);
      return 1;
    }
    return 0;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(interrupted ? 130 : code),
  (error: unknown) => {
    if (!interrupted) console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(interrupted ? 130 : 1);
  },
);
