// One tree under test, set up the way `npm run bench` sets it up: the current tree, or with
// `--baseline` a revision's own worktree, whose own bench modules start its own stack.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as databasesModule from './databases';
import * as grantsModule from './grants';
import * as loadClientModule from './load-client';
import * as manifestModule from './manifest';
import * as narrativeModule from './narrative';
import * as processesModule from './processes';
import { Runner, type DatabaseActivity, type PostgresPids, type PreparedScenario, type SideName, type Target } from './protocol';
import * as queryPlanModule from './query-plan';
import * as scenariosModule from './scenarios';
import * as smokeModule from './smoke';
import * as stackModule from './stack';
import * as tokensModule from './tokens';
import * as supergraphModule from '../peers/supergraph';
import { prepareEventBus } from './event-bus';
import { processesNamed } from './proc-stats';
import { LiveWorker, planLive, type LivePlan, type LiveStack } from './live';
import type { BenchOptions } from './options';
import type { GatewayName } from './stack';

/**
 * The bench modules a side is set up with. The baseline's are its own files, loaded from its
 * worktree: they start its processes with the environment its code reads, build its scenarios'
 * queries on its schema and check answers with its own rules. Their shapes are today's (the
 * protocol between the orchestrator and these modules has not changed since the bench began);
 * `loadBenchModules` checks that every function is there.
 */
export interface BenchModules {
  databases: Pick<typeof databasesModule, 'databaseUrls'>;
  grants: Pick<typeof grantsModule, 'GrantState'>;
  loadClient: Pick<typeof loadClientModule, 'LoadWorker'>;
  manifest: Pick<typeof manifestModule, 'readManifest'>;
  narrative: Pick<typeof narrativeModule, 'rateLimitFor'>;
  processes: Pick<typeof processesModule, 'ProcessGroup' | 'REPOSITORY_ROOT'>;
  queryPlan: Pick<typeof queryPlanModule, 'createPlanner'>;
  scenarios: Pick<typeof scenariosModule, 'buildScenarios' | 'grantPool' | 'queryPool' | 'toLoadItems'>;
  smoke: Pick<typeof smokeModule, 'smokeTest'>;
  stack: Pick<typeof stackModule, 'METRICS_TOKEN' | 'startGateways' | 'startSubgraphs' | 'writePeerSupergraph'>;
  tokens: Pick<typeof tokensModule, 'mintTokens'>;
  supergraph: Pick<typeof supergraphModule, 'benchSupergraphSdl'>;
}

/** This tree's own modules. */
export const CURRENT_MODULES: BenchModules = {
  databases: databasesModule,
  grants: grantsModule,
  loadClient: loadClientModule,
  manifest: manifestModule,
  narrative: narrativeModule,
  processes: processesModule,
  queryPlan: queryPlanModule,
  scenarios: scenariosModule,
  smoke: smokeModule,
  stack: stackModule,
  tokens: tokensModule,
  supergraph: supergraphModule,
};

const MODULE_FILES: Record<keyof BenchModules, { file: string; exports: string[] }> = {
  databases: { file: 'bench/src/run/databases.ts', exports: ['databaseUrls'] },
  grants: { file: 'bench/src/run/grants.ts', exports: ['GrantState'] },
  loadClient: { file: 'bench/src/run/load-client.ts', exports: ['LoadWorker'] },
  manifest: { file: 'bench/src/run/manifest.ts', exports: ['readManifest'] },
  narrative: { file: 'bench/src/run/narrative.ts', exports: ['rateLimitFor'] },
  processes: { file: 'bench/src/run/processes.ts', exports: ['ProcessGroup', 'REPOSITORY_ROOT'] },
  queryPlan: { file: 'bench/src/run/query-plan.ts', exports: ['createPlanner'] },
  scenarios: { file: 'bench/src/run/scenarios.ts', exports: ['buildScenarios', 'grantPool', 'queryPool', 'toLoadItems'] },
  smoke: { file: 'bench/src/run/smoke.ts', exports: ['smokeTest'] },
  stack: { file: 'bench/src/run/stack.ts', exports: ['METRICS_TOKEN', 'startGateways', 'startSubgraphs', 'writePeerSupergraph'] },
  tokens: { file: 'bench/src/run/tokens.ts', exports: ['mintTokens'] },
  supergraph: { file: 'bench/src/peers/supergraph.ts', exports: ['benchSupergraphSdl'] },
};

/**
 * Loads another worktree's bench modules into this process. Each resolves its imports from its
 * own tree (its kit, its graphql, its node_modules): nothing of this tree leaks into them.
 */
export async function loadBenchModules(root: string): Promise<BenchModules> {
  const loaded: Partial<Record<keyof BenchModules, unknown>> = {};
  const missing: string[] = [];
  for (const key of Object.keys(MODULE_FILES) as Array<keyof BenchModules>) {
    const { file, exports } = MODULE_FILES[key];
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(pathToFileURL(path.join(root, file)).href)) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`baseline: cannot load ${file}: ${(error as Error).message}`);
    }
    // A CommonJS module seen from import(): its exports, or the same under `default`.
    const exported = (name: string) => namespace[name] ?? (namespace.default as Record<string, unknown> | undefined)?.[name];
    for (const name of exports) if (exported(name) === undefined) missing.push(`${file}: ${name}`);
    loaded[key] = Object.fromEntries(exports.map((name) => [name, exported(name)]));
  }
  if (missing.length > 0) throw new Error(`baseline: its bench lacks what this one drives:\n- ${missing.join('\n- ')}`);
  return loaded as unknown as BenchModules;
}

/** A side whose stack runs and whose scenarios are prepared; `runner` once the probe exists. */
export interface StartedSide {
  side: SideName;
  revision: string;
  root: string;
  manifest: manifestModule.BenchManifest;
  databaseNames: string[];
  identityUrl: string;
  prepared: PreparedScenario[];
  targets: Target[];
  notes: string[];
  rateLimitPoints: number;
  /** The live scenario's parts (current tree only), when it is selected and our gateway runs. */
  live?: { plan: LivePlan; stack: (activity: DatabaseActivity, postgresPids: PostgresPids) => LiveStack };
  createRunner(activity: DatabaseActivity, postgresPids: PostgresPids): Runner;
  /** Stops its processes (first), then undoes what it wrote in its databases. */
  stop(): Promise<void>;
}

export interface SideSetup {
  side: SideName;
  revision: string;
  modules: BenchModules;
  manifestPath: string;
  logDirectory: string;
  options: BenchOptions;
  /** The token lifetime: the whole bench, both sides, with room to spare. */
  tokenLifetimeSeconds: number;
}

/**
 * Starts a side's subgraphs on its databases, prepares its scenarios (pools, grants, tokens,
 * query plans), starts its gateways and load worker, and smoke-tests every target. Whatever it
 * started is stopped by `stop`, which `onStarted` receives before anything can fail.
 */
export async function startSide(setup: SideSetup, onStarted: (stop: () => Promise<void>) => void): Promise<StartedSide> {
  const { modules, options, side } = setup;
  const manifest = await modules.manifest.readManifest(setup.manifestPath);
  const urls = modules.databases.databaseUrls(manifest);
  const group = new modules.processes.ProcessGroup(setup.logDirectory);
  const cleanups: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await group.stopAll();
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          console.error(`cleanup (${side}): ${(error as Error).message}`);
        }
      }
    })());
  onStarted(stop);

  // The current tree's stack runs with an event bus and the notifications subgraph (issue 19); a
  // baseline's own bench starts what its revision has.
  const databaseName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
  const events = side === 'current' ? await prepareEventBus(databaseName(urls.identity)) : undefined;
  if (events) cleanups.push(() => events.cleanup());
  const subgraphs = await modules.stack.startSubgraphs(group, urls, events ? { events } : {});
  const subgraphUrls = Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.graphqlUrl]));
  const root = modules.processes.REPOSITORY_ROOT;
  const peerSdl = modules.supergraph.benchSupergraphSdl(readFileSync(path.join(root, 'supergraph.graphql'), 'utf8'), subgraphUrls);
  const peerSupergraphPath = modules.stack.writePeerSupergraph(setup.logDirectory, peerSdl);
  const notes: string[] = [];
  if (events) notes.push(`${side}: every process is given the event bus, ${events.description}, and the notifications subgraph keeps the inbox (issue 19).`);
  const scenarios = modules.scenarios.buildScenarios();
  const selected = scenarios.filter((scenario) => options.scenarios.includes(scenario.name));
  const absent = options.scenarios.filter((name) => !selected.some((scenario) => scenario.name === name));
  if (absent.length > 0) notes.push(`${side} (${setup.revision}) has no scenario ${absent.join(', ')}: not measured there.`);
  const plan = modules.queryPlan.createPlanner(peerSdl);

  const liveWanted = options.live && side === 'current' && options.targets.includes('ours') ? options.live : undefined;
  if (options.live && side === 'current' && !liveWanted) notes.push('live: measured through our gateway only (--gateways must name ours): not measured.');
  if (options.live && side !== 'current') notes.push(`${side} (${setup.revision}): the live scenario is measured on the current tree only.`);
  // Before the grant scenario files its requests: the live scenario's are its own, left out of the grants.
  const livePlan = liveWanted
    ? await planLive(manifest, urls.services, liveWanted, Math.round(liveWanted.eventsPerSecond * (options.warmupSeconds + options.runs * options.durationSeconds)))
    : undefined;
  const reserved = new Set(livePlan?.requests.map((request) => `${request.requester.userId}|${request.serviceId}`));
  let grants: grantsModule.GrantState | undefined;
  if (selected.some((scenario) => scenario.mutation)) {
    const candidates = manifest.personas.accessGrants.filter((grant) => !reserved.has(`${grant.targetUserId}|${grant.serviceId}`));
    const prepared = await modules.grants.GrantState.prepare(urls.services, candidates);
    grants = prepared;
    cleanups.push(() => prepared.cleanup());
    if (prepared.skipped > 0) notes.push(`${side}: ${prepared.skipped} grants of the manifest skipped: their user already works in the service or already asked.`);
  }
  const pools = new Map(
    selected.map((scenario) => [
      scenario.name,
      scenario.mutation ? modules.scenarios.grantPool(grants!.grants) : modules.scenarios.queryPool(scenario, manifest, options.maxUsers),
    ]),
  );
  const viewers = [
    ...new Map(
      [...[...pools.values()].flatMap((pool) => pool.viewers), ...(livePlan ? [...livePlan.streams, ...livePlan.requesters] : [])].map((viewer) => [viewer.userId, viewer]),
    ).values(),
  ];
  const minted = await modules.tokens.mintTokens(urls.identity, viewers, setup.tokenLifetimeSeconds);
  cleanups.push(() => minted.revoke());
  const tokenOf = (userId: string) => minted.tokens.get(userId)!.token;

  const prepared: PreparedScenario[] = selected.map((scenario) => {
    const pool = pools.get(scenario.name)!;
    return {
      scenario,
      ...modules.scenarios.toLoadItems(pool, tokenOf),
      distinctUsers: pool.viewers.length,
      planned: plan(scenario.query, scenario.operationName),
    };
  });
  const fewestUsers = prepared.length > 0 ? Math.min(...prepared.map((p) => p.distinctUsers)) : Number.POSITIVE_INFINITY;
  const rateLimitPoints = modules.narrative.rateLimitFor(fewestUsers);
  for (const { scenario, distinctUsers, items } of prepared) {
    if (distinctUsers < 1000) notes.push(`${side}: ${scenario.name}: only ${distinctUsers} distinct users in the manifest (${items.length} requests prepared); tokens repeat within a run.`);
  }

  const gatewayNames = options.targets.filter((target): target is GatewayName => target !== 'direct');
  const gateways = await modules.stack.startGateways(group, gatewayNames, subgraphs, {
    peerSupergraphPath,
    rateLimitPoints,
    logLevel: options.gatewayLogLevel,
    probeToken: prepared[0]?.tokens[0] ?? tokenOf(viewers[0]!.userId),
    ...(events ? { events } : {}),
    ...(livePlan && livePlan.streamsPerUser > 5 ? { maxStreamsPerUser: livePlan.streamsPerUser } : {}),
  });
  const worker = await modules.loadClient.LoadWorker.start(group, setup.logDirectory);
  const liveWorker = livePlan ? await LiveWorker.start(group, setup.logDirectory) : undefined;
  const targets: Target[] = options.targets.map((name) => {
    if (name === 'direct') return { name, subgraphUrls };
    const gateway = gateways.find((candidate) => candidate.name === name)!;
    return { name, url: gateway.url, pid: gateway.process.pid };
  });

  console.log(`smoke test (${side}, ${setup.revision}): every scenario through every target, answers checked and compared…`);
  await modules.smoke.smokeTest(prepared, gateways, worker, options.targets.includes('direct') ? subgraphUrls : undefined, grants);

  const measured = subgraphs.map((subgraph) => ({ name: subgraph.name, pid: subgraph.process.pid, metricsUrl: subgraph.metricsUrl }));
  const ours = gateways.find((gateway) => gateway.name === 'ours');
  const live =
    livePlan && liveWorker && ours && events
      ? {
          plan: livePlan,
          stack: (activity: DatabaseActivity, postgresPids: PostgresPids): LiveStack => ({
            worker: liveWorker,
            group,
            gateway: { url: ours.url, pid: ours.process.pid, metricsUrl: ours.url.replace(/\/graphql$/, '/metrics') },
            subgraphs: measured,
            metricsToken: modules.stack.METRICS_TOKEN,
            servicesUrl: urls.services,
            activity,
            postgresPids,
            ...(events.kind === 'nats' ? { natsPids: () => processesNamed('nats-server') } : {}),
            bus: events.description,
            tokenOf,
          }),
        }
      : undefined;
  return {
    side,
    revision: setup.revision,
    root,
    manifest,
    databaseNames: [...Object.values(urls).map(databaseName), ...(events?.databaseNames ?? [])],
    identityUrl: urls.identity,
    prepared,
    targets,
    notes,
    rateLimitPoints,
    ...(live ? { live } : {}),
    createRunner: (activity, postgresPids) => new Runner(worker, group, measured, modules.stack.METRICS_TOKEN, activity, postgresPids, grants, side),
    stop,
  };
}
