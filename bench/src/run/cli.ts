// `npm run bench`: our gateway, plain @apollo/gateway and Hive Gateway over the same subgraphs
// and data, and a direct client for the physical limit. See USAGE in options.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { databaseActivityProbe, databaseUrls, postgresVersion } from './databases';
import { GrantState } from './grants';
import { LoadWorker } from './load-client';
import { gitRevision, machineInfo, packageVersions } from './machine';
import { readManifest } from './manifest';
import { subgraphCallNotes, configurationLines, methodLines, progressLine, rateLimitFor } from './narrative';
import { estimatedSeconds, parseOptions, USAGE, type BenchOptions } from './options';
import { ProcessGroup, REPOSITORY_ROOT } from './processes';
import { Runner, runProtocol, type PreparedScenario, type Target } from './protocol';
import { createPlanner } from './query-plan';
import { writeReport, type BenchReport } from './report';
import { buildScenarios, grantPool, queryPool, toLoadItems, type RequestPool } from './scenarios';
import { smokeTest } from './smoke';
import { METRICS_TOKEN, startGateways, startSubgraphs, writePeerSupergraph, type GatewayName } from './stack';
import { mintTokens } from './tokens';
import { benchSupergraphSdl } from '../peers/supergraph';

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
  const urls = databaseUrls(manifest);
  const startedAt = new Date();
  const logDirectory = path.join(REPOSITORY_ROOT, 'bench', '.data', 'logs', startedAt.toISOString().replace(/[:.]/g, '-'));
  const group = new ProcessGroup(logDirectory);
  // Undone in reverse order, once every process is stopped: no request may still be writing.
  const cleanups: Array<() => Promise<void>> = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await group.stopAll();
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
    console.log(`bench: ${options.scenarios.length} scenarios × ${options.connections.join('/')} connections × ${options.targets.join(', ')}; about ${Math.ceil(estimate / 60)} min of load`);
    console.log(`logs: ${path.relative(process.cwd(), logDirectory)}`);

    const subgraphs = await startSubgraphs(group, urls);
    const subgraphUrls = Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.graphqlUrl]));
    const peerSdl = benchSupergraphSdl(readFileSync(path.join(REPOSITORY_ROOT, 'supergraph.graphql'), 'utf8'), subgraphUrls);
    const peerSupergraphPath = writePeerSupergraph(logDirectory, peerSdl);
    const scenarios = buildScenarios();
    const notes: string[] = [];
    const selected = scenarios.filter((scenario) => options.scenarios.includes(scenario.name));
    const plan = createPlanner(peerSdl);

    let grants: GrantState | undefined;
    if (selected.some((scenario) => scenario.mutation)) {
      grants = await GrantState.prepare(urls.services, manifest.personas.accessGrants);
      cleanups.push(() => grants!.cleanup());
      if (grants.skipped > 0) notes.push(`${grants.skipped} grants of the manifest skipped: their user already works in the service or already asked.`);
    }
    const pools = new Map<string, RequestPool>(
      selected.map((scenario) => [scenario.name, scenario.mutation ? grantPool(grants!.grants) : queryPool(scenario, manifest, options.maxUsers)]),
    );
    const viewers = [...new Map([...pools.values()].flatMap((pool) => pool.viewers).map((viewer) => [viewer.userId, viewer])).values()];
    const minted = await mintTokens(urls.identity, viewers, estimate * 3 + 3600);
    cleanups.push(() => minted.revoke());
    const tokenOf = (userId: string) => minted.tokens.get(userId)!.token;

    const prepared: PreparedScenario[] = selected.map((scenario) => {
      const pool = pools.get(scenario.name)!;
      return {
        scenario,
        ...toLoadItems(pool, tokenOf),
        distinctUsers: pool.viewers.length,
        planned: plan(scenario.query, scenario.operationName),
      };
    });
    const fewestUsers = Math.min(...prepared.map((p) => p.distinctUsers));
    const rateLimitPoints = rateLimitFor(fewestUsers);
    for (const { scenario, distinctUsers, items } of prepared) {
      if (distinctUsers < 1000) notes.push(`${scenario.name}: only ${distinctUsers} distinct users in the manifest (${items.length} requests prepared); tokens repeat within a run.`);
    }

    const gatewayNames = options.targets.filter((target): target is GatewayName => target !== 'direct');
    const gateways = await startGateways(group, gatewayNames, subgraphs, {
      peerSupergraphPath,
      rateLimitPoints,
      logLevel: options.gatewayLogLevel,
      probeToken: prepared[0]!.tokens[0]!,
    });
    const worker = await LoadWorker.start(group, logDirectory);
    const targets: Target[] = options.targets.map((name) => {
      if (name === 'direct') return { name, subgraphUrls };
      const gateway = gateways.find((candidate) => candidate.name === name)!;
      return { name, url: gateway.url, pid: gateway.process.pid };
    });

    console.log('smoke test: every scenario through every target, answers checked and compared…');
    await smokeTest(prepared, gateways, worker, options.targets.includes('direct') ? subgraphUrls : undefined, grants);

    const activity = await databaseActivityProbe(urls.identity, Object.values(urls).map((url) => decodeURIComponent(new URL(url).pathname.slice(1))));
    cleanups.push(() => activity.close());
    const runner = new Runner(
      worker,
      group,
      subgraphs.map((subgraph) => subgraph.metricsUrl),
      subgraphs.map((subgraph) => subgraph.process.pid),
      METRICS_TOKEN,
      activity.active,
      grants,
    );
    const measurements = await runProtocol(runner, prepared, targets, options, (measurement, done, total) =>
      console.log(progressLine(done, total, measurement)),
    );

    notes.push(...subgraphCallNotes(prepared, measurements));
    for (const scenario of prepared.filter((p) => p.scenario.mutation)) {
      const shortened = measurements.filter((m) => m.scenario === scenario.scenario.name && m.exhausted).length;
      if (shortened > 0) notes.push(`${scenario.scenario.name}: the ${scenario.items.length} grants ran out before the end of ${shortened} runs, which were shortened (req/s is over the time actually run).`);
    }
    const failures = measurements
      .filter((m) => m.errors > 0)
      .map((m) => `${m.scenario}, ${m.connections} conn., ${m.target}, run ${m.run}: ${m.errors} of ${m.responses} answers wrong — ${m.errorSamples.join('; ')}`);
    const report: BenchReport = {
      generatedAt: startedAt.toISOString(),
      revision: gitRevision(),
      label: options.label ?? gitRevision(),
      machine: machineInfo(),
      versions: packageVersions(),
      postgres: await postgresVersion(urls.identity),
      dataSet: {
        manifest: path.relative(REPOSITORY_ROOT, options.manifest),
        seed: manifest.seed,
        scale: manifest.scale,
        generatedAt: manifest.generatedAt,
        counts: manifest.counts,
      },
      options: {
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        runs: options.runs,
        connections: options.connections,
        targets: options.targets,
        maxUsers: options.maxUsers,
      },
      configuration: configurationLines(rateLimitPoints, options.gatewayLogLevel),
      method: methodLines(options),
      notes,
      scenarios: prepared.map(({ scenario, planned, distinctUsers, items }) => ({
        name: scenario.name,
        title: scenario.title,
        operationName: scenario.operationName,
        query: scenario.query,
        planOutline: planned.outline,
        plannedFetches: planned.fetches,
        distinctUsers,
        requestsInPool: items.length,
      })),
      measurements,
      failures,
    };
    const written = writeReport(options.outDirectory, report);
    console.log(`\nreport: ${path.relative(process.cwd(), written)} (and latest.md, latest.json)`);
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
