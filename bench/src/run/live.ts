// The `live` scenario (issue 19): N subscriptions held open over graphql-sse while real mutations
// raise events at a steady pace through the gateway; every delivery is matched with the event
// committed in the database, timed from the commit to the client, and the whole stack's CPU and
// the gateway's memory per stream are read from /proc and its metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { withDatabase } from './databases';
import type { LiveAnswer, LiveJob, Receipt } from './live-types';
import type { BenchManifest, Viewer } from './manifest';
import type { LiveOptions } from './options';
import { cpuMilliseconds, processTree, residentMemory } from './proc-stats';
import { REPOSITORY_ROOT, type ProcessGroup } from './processes';
import { postgresCpuDelta, type DatabaseActivity, type PostgresPids } from './protocol';

/** What each stream subscribes to: a notification with its subject, resolved by services and identity for the subscriber. */
export const LIVE_SUBSCRIPTION = `subscription LiveNotifications {
  notifications {
    id
    type
    occurredAt
    subject {
      __typename
      ... on AccessRequest { id kind requester { givenName familyName } service { code name } }
    }
  }
}`;

/** The mutation that raises each event: a user asks for access, which services tells the local manager and deputies in their period (R8, R10). */
export const LIVE_MUTATION = 'mutation LiveRequestAccess($serviceId: ID!) { requestAccess(input: { serviceId: $serviceId }) { accessRequest { id } } }';

/** How long the bench waits, after a window, for the deliveries it expects. */
const COLLECT_TIMEOUT_MS = 60_000;
/** And then, for any duplicate. */
const COLLECT_GRACE_MS = 1_000;
/** With the streams open and no event: what holding them costs the stack. */
const IDLE_SECONDS = 5;

/** Who holds the streams and who raises the events. */
export interface LivePlan {
  /** The user of each stream, by stream index. */
  streams: Viewer[];
  /** Distinct users holding them. */
  users: number;
  /** The most streams one of them holds: the gateway's LIVE_MAX_STREAMS_PER_USER must allow it. */
  streamsPerUser: number;
  /** The events to raise, in order: a requester asks for a service of their organization whose local manager holds a stream. */
  requests: Array<{ requester: Viewer; serviceId: string; managerUserId: string }>;
  /** Requesters, for their tokens. */
  requesters: Viewer[];
  notes: string[];
}

/**
 * The streams' users are local managers of the manifest's access grants (distinct users, one
 * stream each while there are enough of them); the events are their colleagues' access requests
 * on the services they manage, in turns across managers. A colleague who already works in the
 * service or already asked is left out, as the grant scenario's are: each request is filed once.
 */
export async function planLive(manifest: BenchManifest, servicesUrl: string, options: LiveOptions, eventsNeeded: number): Promise<LivePlan> {
  const managers = [...new Map(manifest.personas.accessGrants.map((grant) => [grant.manager.userId, grant.manager])).values()];
  if (managers.length === 0) throw new Error('live: the manifest lists no access grants; run `npm run bench:data` again');
  const chosen = managers.slice(0, options.streams);
  const streams = Array.from({ length: options.streams }, (_, index) => chosen[index % chosen.length]!);
  const streamsPerUser = Math.ceil(options.streams / chosen.length);
  const chosenIds = new Set(chosen.map((manager) => manager.userId));
  const grants = manifest.personas.accessGrants.filter((grant) => chosenIds.has(grant.manager.userId));
  const taken = await withDatabase(servicesUrl, async (client) => {
    const { rows } = await client.query<{ user_id: string; service_id: string }>(
      `select user_id, service_id from access_right where revoked_at is null and role <> 'LOCAL_MANAGER' and user_id = any($1::uuid[])
       union select user_id, service_id from access_request where status = 'PENDING' and user_id = any($1::uuid[])`,
      [[...new Set(grants.map((grant) => grant.targetUserId))]],
    );
    return new Set(rows.map((row) => `${row.user_id}|${row.service_id}`));
  });
  const byManager = new Map<string, typeof grants>();
  for (const grant of grants) {
    const key = `${grant.targetUserId}|${grant.serviceId}`;
    if (taken.has(key)) continue;
    taken.add(key);
    byManager.set(grant.manager.userId, [...(byManager.get(grant.manager.userId) ?? []), grant]);
  }
  // In turns: consecutive events go to different managers, so that they spread over the streams.
  const queues = chosen.map((manager) => byManager.get(manager.userId) ?? []);
  const requests: LivePlan['requests'] = [];
  for (let round = 0; requests.length < eventsNeeded && queues.some((queue) => queue.length > round); round += 1) {
    for (const queue of queues) {
      const grant = queue[round];
      if (!grant || requests.length >= eventsNeeded) continue;
      requests.push({
        requester: { userId: grant.targetUserId, organizationId: grant.manager.organizationId, roles: [] },
        serviceId: grant.serviceId,
        managerUserId: grant.manager.userId,
      });
    }
  }
  const notes: string[] = [];
  if (chosen.length < options.streams) notes.push(`only ${chosen.length} distinct local managers in the manifest's grants: up to ${streamsPerUser} streams each.`);
  if (requests.length < eventsNeeded) notes.push(`only ${requests.length} access requests available for the ${eventsNeeded} events planned: windows end when they run out.`);
  const requesters = [...new Map(requests.map((request) => [request.requester.userId, request.requester])).values()];
  return { streams, users: chosen.length, streamsPerUser, requests, requesters, notes };
}

/** The orchestrator's handle on the live worker process (bench/src/run/live-worker.ts). */
export class LiveWorker {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (answer: LiveAnswer) => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (answer: LiveAnswer) => {
      if (answer.type === 'ready') return;
      const waiter = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if (answer.type === 'failed') waiter?.reject(new Error(`live worker: ${answer.message}`));
      else waiter?.resolve(answer);
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`live worker exited (${signal ?? `code ${code}`})`));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(group: ProcessGroup, logDirectory: string): Promise<LiveWorker> {
    const log = openSync(path.join(logDirectory, 'live-worker.log'), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'live-worker.ts')], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', log, log, 'ipc'],
      serialization: 'advanced',
    });
    closeSync(log);
    group.adopt('live-worker', child);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (answer: LiveAnswer) => {
        if (answer.type !== 'ready') return;
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', () => reject(new Error('live worker exited before it was ready')));
    });
    return new LiveWorker(child);
  }

  run<T extends LiveAnswer['type']>(job: DistributiveOmit<LiveJob, 'id'>): Promise<Extract<LiveAnswer, { type: T }>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (answer: LiveAnswer) => void, reject });
      this.child.send({ ...job, id });
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Percentiles of a list of durations, in ms. */
export interface DelaySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): DelaySummary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1]!, mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length };
}

/** One window of the live scenario: events raised for `seconds`, then every expected delivery awaited. */
export interface LiveMeasurement {
  /** 0: the warm-up, not reported. */
  run: number;
  seconds: number;
  /** Mutations sent, and those refused or failed. */
  mutations: number;
  mutationErrors: number;
  mutationErrorSamples: string[];
  /** Events the database holds for the mutations that answered (services' outbox rows). */
  eventsCommitted: number;
  /** Committed events over the window's time actually driven. */
  eventsPerSecond: number;
  /** (event, stream) pairs whose stream's user is in the event's audiences. */
  expectedDeliveries: number;
  /** Expected pairs received (once or more). */
  delivered: number;
  /** Expected pairs not received. */
  missing: number;
  /**
   * Missing pairs whose stream received, instead, an event without a notification: the gateway
   * could not judge one (SERVICE_UNAVAILABLE, README « Live notifications »), which tells the
   * client to read its inbox again. Those are answered, not lost.
   */
  answeredUnavailable: number;
  /** Missing pairs not so answered: lost. */
  lost: number;
  /** A few missing pairs, as `event id → user id (stream n)`, to look for in the logs and the inbox. */
  missingSamples: string[];
  /** Receipts beyond the first of an expected pair. */
  duplicates: number;
  /** Receipts of an event on a stream outside its audiences, or of an event the window did not commit. */
  unexpected: number;
  /** `next` messages with errors or without a notification (SERVICE_UNAVAILABLE). */
  errorEvents: number;
  errorEventSamples: string[];
  /** Events whose audiences lacked the local manager the bench filed them for (the producer's rule, R8, R10). */
  audienceMismatches: number;
  /** Deliveries over the time from the first commit to the last delivery. */
  deliveriesPerSecond: number;
  /** From the outbox row's `created_at` (written in the transaction) to the client's parsing of `next`. */
  delayMs?: DelaySummary;
  /** From the mutation's answer at the client (after the commit) to the same: a lower bound of the delay. */
  delayFromAnswerMs?: DelaySummary;
  /** How long the bench waited for the expected deliveries after the window. */
  tailMs: number;
  /** Streams that had ended by the end of the window (none should). */
  streamsEnded: number;
  /** CPU ms over the window and its tail, process by process. */
  cpuMs: { gateway: number; subgraphs: Record<string, number>; postgres: number; nats?: number };
  /** The time those CPU readings span: the window, its tail and the settling after it. */
  cpuWindowMs: number;
  /** Stack CPU per delivery less what the stack spends idle with the streams open over the same time (see `LiveSummary.idle`). */
  netStackCpuMsPerDelivery?: number;
  /** Stack CPU (gateway + subgraphs + PostgreSQL, + nats-server when the bus is NATS) per delivery and per committed event. */
  stackCpuMsPerDelivery?: number;
  stackCpuMsPerEvent?: number;
}

/** The gateway's memory, from /proc (its process tree) and its own metrics. */
export interface GatewayMemory {
  rssMiB: number;
  heapUsedMiB: number;
}

export interface LiveSummary {
  streams: number;
  users: number;
  streamsPerUser: number;
  eventsPerSecondTarget: number;
  bus: string;
  subscription: string;
  mutation: string;
  /** How long opening every stream took (the first request to the gateway counting the last). */
  openMs: number;
  refused: number;
  refusedSamples: string[];
  memory: { before: GatewayMemory; open: GatewayMemory; rssKiBPerStream: number; heapKiBPerStream: number; after?: GatewayMemory };
  /** The stack's CPU with the streams open and no event (heartbeats, the relays' polls), per second, over `seconds`. */
  idle: { seconds: number; stackCpuMsPerSecond: number; gatewayCpuMsPerSecond: number };
  measurements: LiveMeasurement[];
  notes: string[];
}

/** The processes and probes a live run reads. */
export interface LiveStack {
  worker: LiveWorker;
  group: { assertAlive(): void };
  gateway: { url: string; pid: number; metricsUrl: string };
  subgraphs: ReadonlyArray<{ name: string; pid: number }>;
  metricsToken: string;
  servicesUrl: string;
  activity: DatabaseActivity;
  postgresPids: PostgresPids;
  /** nats-server's processes when the bus is NATS (it serves other work too: the figure is an upper bound). */
  natsPids?: () => number[];
  bus: string;
  tokenOf: (userId: string) => string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function gatewayMetric(stack: LiveStack, name: string): Promise<number> {
  const response = await fetch(stack.gateway.metricsUrl, { headers: { authorization: `Bearer ${stack.metricsToken}` }, signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`));
  return Number(line?.slice(line.lastIndexOf(' ') + 1) ?? Number.NaN);
}

/**
 * The gateway's memory, sampled for two seconds: the heap's lowest reading (the closest to what
 * lives after a collection) and the resident set's median.
 */
async function gatewayMemory(stack: LiveStack): Promise<GatewayMemory> {
  const heaps: number[] = [];
  const rss: number[] = [];
  for (let sample = 0; sample < 10; sample += 1) {
    heaps.push(await gatewayMetric(stack, 'nodejs_heap_size_used_bytes'));
    rss.push(residentMemory(processTree(stack.gateway.pid)).currentMiB);
    await sleep(200);
  }
  rss.sort((a, b) => a - b);
  return { rssMiB: rss[Math.floor(rss.length / 2)]!, heapUsedMiB: Math.min(...heaps) / 1_048_576 };
}

/** Waits until the gateway, the subgraphs and PostgreSQL are idle: what a window left in flight is counted in it. */
async function settle(stack: LiveStack): Promise<void> {
  const pids = [...processTree(stack.gateway.pid), ...stack.subgraphs.map((subgraph) => subgraph.pid)];
  const deadline = Date.now() + 60_000;
  let quiet = 0;
  let cpu = cpuMilliseconds(pids);
  while (quiet < 3 && Date.now() < deadline) {
    await sleep(100);
    const now = cpuMilliseconds(pids);
    // Heartbeats and the relays' polls keep a process from ever being at zero.
    quiet = now - cpu <= 2 * pids.length && (await stack.activity()) === 0 ? quiet + 1 : 0;
    cpu = now;
  }
}

interface CpuReading {
  at: number;
  gateway: number;
  subgraphs: number[];
  postgres: Map<number, number>;
  nats?: number;
}

async function readCpu(stack: LiveStack, postgresBefore?: Map<number, number>): Promise<CpuReading> {
  const postgresPids = [...(postgresBefore?.keys() ?? []), ...(await stack.postgresPids())];
  return {
    at: Date.now(),
    gateway: cpuMilliseconds(processTree(stack.gateway.pid)),
    subgraphs: stack.subgraphs.map((subgraph) => cpuMilliseconds([subgraph.pid])),
    postgres: new Map([...new Set(postgresPids)].map((pid) => [pid, cpuMilliseconds([pid])])),
    ...(stack.natsPids ? { nats: cpuMilliseconds(stack.natsPids()) } : {}),
  };
}

type CpuMs = LiveMeasurement['cpuMs'];

/** What each process spent between two readings. */
function cpuTotals(before: CpuReading, after: CpuReading, subgraphs: ReadonlyArray<{ name: string }> = []): { cpuMs: CpuMs; elapsedMs: number } {
  const names = subgraphs.length > 0 ? subgraphs.map((subgraph) => subgraph.name) : before.subgraphs.map((_, index) => String(index));
  return {
    cpuMs: {
      gateway: after.gateway - before.gateway,
      subgraphs: Object.fromEntries(names.map((name, index) => [name, after.subgraphs[index]! - before.subgraphs[index]!])),
      postgres: postgresCpuDelta(before.postgres, after.postgres),
      ...(after.nats !== undefined && before.nats !== undefined ? { nats: after.nats - before.nats } : {}),
    },
    elapsedMs: after.at - before.at,
  };
}

/** Gateway + subgraphs + PostgreSQL (+ nats-server). */
export function stackTotal(cpu: CpuMs): number {
  return cpu.gateway + Object.values(cpu.subgraphs).reduce((sum, value) => sum + value, 0) + cpu.postgres + (cpu.nats ?? 0);
}

/** The outbox rows of the requests a window filed: each event's id, its commit time and who it is for. */
async function committedEvents(servicesUrl: string, subjectIds: readonly string[]) {
  return withDatabase(servicesUrl, async (client) => {
    const { rows } = await client.query<{ id: string; created_ms: number; subject_id: string; audiences: Array<{ kind: string; userIds?: string[] }> }>(
      `select id, extract(epoch from created_at) * 1000 as created_ms, payload->'subject'->>'id' as subject_id, payload->'audiences' as audiences
         from event_outbox where payload->>'type' = 'ACCESS_REQUEST_FILED' and payload->'subject'->>'id' = any($1::text[])`,
      [subjectIds],
    );
    return rows.map((row) => ({ ...row, created_ms: Number(row.created_ms) }));
  });
}

/**
 * Runs the live scenario: opens the streams (the gateway's memory read before and after), a
 * warm-up window, then `runs` measured windows of `seconds`, each followed by its tail (every
 * expected delivery awaited). The requests filed are deleted by the cleanup given to `onCleanup`.
 */
export async function runLive(
  stack: LiveStack,
  plan: LivePlan,
  options: LiveOptions & { runs: number; seconds: number; warmupSeconds: number },
  log: (line: string) => void,
  onCleanup: (cleanup: () => Promise<void>) => void,
): Promise<LiveSummary> {
  const filedIds: string[] = [];
  // Its audit entries and events stay (append-only, and the outbox deletes its own rows).
  onCleanup(() =>
    withDatabase(stack.servicesUrl, async (client) => {
      await client.query('delete from access_request where id = any($1::uuid[])', [filedIds]);
    }),
  );
  const streamUrl = stack.gateway.url.replace(/\/graphql$/, '/graphql/stream');
  const streamsOf = new Map<string, number[]>();
  plan.streams.forEach((viewer, index) => streamsOf.set(viewer.userId, [...(streamsOf.get(viewer.userId) ?? []), index]));

  await settle(stack);
  const before = await gatewayMemory(stack);
  const openStarted = Date.now();
  const opened = await stack.worker.run<'opened'>({ type: 'open', streamUrl, query: LIVE_SUBSCRIPTION, tokens: plan.streams.map((viewer) => stack.tokenOf(viewer.userId)) });
  const deadline = Date.now() + 60_000;
  while ((await gatewayMetric(stack, 'gateway_live_streams')) < opened.opened && Date.now() < deadline) await sleep(100);
  const openMs = Date.now() - openStarted;
  log(`live: ${opened.opened} of ${plan.streams.length} streams open in ${(openMs / 1000).toFixed(1)} s${opened.refused.length ? `, ${opened.refused.length} refused: ${opened.refused.filter(Boolean).join('; ')}` : ''}`);
  await settle(stack);
  await sleep(2000);
  const open = await gatewayMemory(stack);
  const count = Math.max(1, opened.opened);
  const idleBefore = await readCpu(stack);
  await sleep(IDLE_SECONDS * 1000);
  const idleCpu = cpuTotals(idleBefore, await readCpu(stack, idleBefore.postgres));
  const idle = {
    seconds: IDLE_SECONDS,
    stackCpuMsPerSecond: stackTotal(idleCpu.cpuMs) / (idleCpu.elapsedMs / 1000),
    gatewayCpuMsPerSecond: idleCpu.cpuMs.gateway / (idleCpu.elapsedMs / 1000),
  };
  log(`live: idle with the streams open, the stack spends ${idle.stackCpuMsPerSecond.toFixed(1)} ms CPU per second (the gateway ${idle.gatewayCpuMsPerSecond.toFixed(1)})`);

  let nextRequest = 0;
  const measurements: LiveMeasurement[] = [];
  for (let run = 0; run <= options.runs; run += 1) {
    const seconds = run === 0 ? options.warmupSeconds : options.seconds;
    stack.group.assertAlive();
    await settle(stack);
    const cpuBefore = await readCpu(stack);
    const slice = plan.requests.slice(nextRequest, nextRequest + Math.round(options.eventsPerSecond * seconds));
    nextRequest += slice.length;
    const driven = await stack.worker.run<'driven'>({
      type: 'drive',
      url: stack.gateway.url,
      query: LIVE_MUTATION,
      requests: slice.map((request) => ({ token: stack.tokenOf(request.requester.userId), variables: { serviceId: request.serviceId } })),
      eventsPerSecond: options.eventsPerSecond,
      seconds,
    });
    const filed = driven.filed.filter((one) => one.subjectId !== undefined);
    filedIds.push(...filed.map((one) => one.subjectId!));
    const events = await committedEvents(stack.servicesUrl, filed.map((one) => one.subjectId!));
    const answeredAt = new Map(filed.map((one) => [one.subjectId!, one.answeredAt]));
    const managerOf = new Map(filed.map((one) => [one.subjectId!, slice[one.index]!.managerUserId]));
    const expected: Array<[string, number]> = [];
    const expectedKeys = new Set<string>();
    let audienceMismatches = 0;
    for (const event of events) {
      const users = new Set(event.audiences.flatMap((audience) => (audience.kind === 'USERS' ? (audience.userIds ?? []) : [])));
      if (!users.has(managerOf.get(event.subject_id)!)) audienceMismatches += 1;
      for (const userId of users) {
        for (const stream of streamsOf.get(userId) ?? []) {
          expected.push([event.id, stream]);
          expectedKeys.add(`${event.id}|${stream}`);
        }
      }
    }
    const collected = await stack.worker.run<'collected'>({ type: 'collect', expected, timeoutMs: COLLECT_TIMEOUT_MS, graceMs: COLLECT_GRACE_MS });
    await settle(stack);
    const cpuAfter = await readCpu(stack, cpuBefore.postgres);

    const measurement = measure(run, seconds, driven, events, expectedKeys, collected.receipts, answeredAt, stack, cpuBefore, cpuAfter, idle.stackCpuMsPerSecond);
    measurement.audienceMismatches = audienceMismatches;
    const errorsByStream = new Map(collected.errorsByStream);
    measurement.errorEvents = [...errorsByStream.values()].reduce((sum, count) => sum + count, 0);
    const missingByStream = new Map<number, number>();
    for (const key of measurement.missingKeys) {
      const stream = Number(key.slice(key.lastIndexOf('|') + 1));
      missingByStream.set(stream, (missingByStream.get(stream) ?? 0) + 1);
    }
    measurement.answeredUnavailable = [...missingByStream].reduce((sum, [stream, count]) => sum + Math.min(count, errorsByStream.get(stream) ?? 0), 0);
    measurement.lost = measurement.missing - measurement.answeredUnavailable;
    measurement.missingSamples = measurement.missingKeys.slice(0, 10);
    delete (measurement as Partial<typeof measurement>).missingKeys;
    measurement.errorEventSamples = collected.errorEvents.slice(0, 3);
    measurement.streamsEnded = collected.ended;
    measurement.tailMs = collected.waitedMs;
    if (run > 0) measurements.push(measurement);
    log(
      `live ${run === 0 ? 'warm-up' : `run ${run}/${options.runs}`}: ${measurement.eventsCommitted} events (${measurement.eventsPerSecond.toFixed(1)}/s), ` +
        `${measurement.delivered}/${measurement.expectedDeliveries} delivered (${measurement.deliveriesPerSecond.toFixed(1)}/s), missing ${measurement.missing} ` +
        `(${measurement.answeredUnavailable} answered SERVICE_UNAVAILABLE, ${measurement.lost} lost), duplicates ${measurement.duplicates}, ` +
        `delay p50 ${measurement.delayMs?.p50.toFixed(1) ?? 'n/a'} p99 ${measurement.delayMs?.p99.toFixed(1) ?? 'n/a'} ms, ` +
        `stack ${measurement.stackCpuMsPerDelivery?.toFixed(2) ?? 'n/a'} ms CPU per delivery`,
    );
  }
  const after = await gatewayMemory(stack);
  await stack.worker.run<'closed'>({ type: 'close' });
  const notes = [...plan.notes];

  const summary: LiveSummary = {
    streams: plan.streams.length,
    users: plan.users,
    streamsPerUser: plan.streamsPerUser,
    eventsPerSecondTarget: options.eventsPerSecond,
    bus: stack.bus,
    subscription: LIVE_SUBSCRIPTION,
    mutation: LIVE_MUTATION,
    openMs,
    refused: opened.refused.length,
    refusedSamples: opened.refused.filter(Boolean),
    memory: {
      before,
      open,
      rssKiBPerStream: ((open.rssMiB - before.rssMiB) * 1024) / count,
      heapKiBPerStream: ((open.heapUsedMiB - before.heapUsedMiB) * 1024) / count,
      after,
    },
    idle,
    measurements,
    notes,
  };
  return summary;
}

function measure(
  run: number,
  seconds: number,
  driven: Extract<LiveAnswer, { type: 'driven' }>,
  events: Awaited<ReturnType<typeof committedEvents>>,
  expectedKeys: ReadonlySet<string>,
  receipts: readonly Receipt[],
  answeredAt: ReadonlyMap<string, number>,
  stack: LiveStack,
  before: CpuReading,
  after: CpuReading,
  idleCpuMsPerSecond: number,
): LiveMeasurement & { missingKeys: string[] } {
  const committedAt = new Map(events.map((event) => [event.id, event.created_ms]));
  const subjectOf = new Map(events.map((event) => [event.id, event.subject_id]));
  const counts = new Map<string, number>();
  let unexpected = 0;
  const delays: number[] = [];
  const fromAnswer: number[] = [];
  let lastDelivery = 0;
  for (const receipt of receipts) {
    const key = `${receipt.eventId}|${receipt.stream}`;
    if (!expectedKeys.has(key)) {
      unexpected += 1;
      continue;
    }
    const seen = (counts.get(key) ?? 0) + 1;
    counts.set(key, seen);
    if (seen > 1) continue;
    delays.push(receipt.at - committedAt.get(receipt.eventId)!);
    const answered = answeredAt.get(subjectOf.get(receipt.eventId)!);
    if (answered !== undefined) fromAnswer.push(receipt.at - answered);
    lastDelivery = Math.max(lastDelivery, receipt.at);
  }
  const delivered = counts.size;
  const duplicates = [...counts.values()].reduce((sum, seen) => sum + seen - 1, 0);
  const firstCommit = Math.min(...events.map((event) => event.created_ms));
  const mutationErrors = driven.filed.filter((one) => one.problem !== undefined);
  const { cpuMs, elapsedMs } = cpuTotals(before, after, stack.subgraphs);
  const stackCpu = stackTotal(cpuMs);
  const netStackCpu = stackCpu - (idleCpuMsPerSecond * elapsedMs) / 1000;
  const drivenSeconds = driven.elapsedMs / 1000;
  return {
    run,
    seconds,
    mutations: driven.filed.length,
    mutationErrors: mutationErrors.length,
    mutationErrorSamples: [...new Set(mutationErrors.map((one) => one.problem!))].slice(0, 3),
    eventsCommitted: events.length,
    eventsPerSecond: drivenSeconds > 0 ? events.length / drivenSeconds : 0,
    expectedDeliveries: expectedKeys.size,
    delivered,
    missing: expectedKeys.size - delivered,
    answeredUnavailable: 0,
    lost: expectedKeys.size - delivered,
    missingKeys: [...expectedKeys].filter((key) => !counts.has(key)),
    missingSamples: [],
    duplicates,
    unexpected,
    errorEvents: 0,
    errorEventSamples: [],
    audienceMismatches: 0,
    deliveriesPerSecond: delivered > 0 && lastDelivery > firstCommit ? (delivered * 1000) / (lastDelivery - firstCommit) : 0,
    ...(summarize(delays) ? { delayMs: summarize(delays)! } : {}),
    ...(summarize(fromAnswer) ? { delayFromAnswerMs: summarize(fromAnswer)! } : {}),
    tailMs: 0,
    streamsEnded: 0,
    cpuMs,
    cpuWindowMs: elapsedMs,
    ...(delivered > 0 ? { stackCpuMsPerDelivery: stackCpu / delivered, netStackCpuMsPerDelivery: netStackCpu / delivered } : {}),
    ...(events.length > 0 ? { stackCpuMsPerEvent: stackCpu / events.length } : {}),
  };
}

/** Whether a window lost, duplicated or misdirected anything: the bench fails on it, as on a wrong answer. */
export function liveFailures(summary: LiveSummary): string[] {
  const failures: string[] = [];
  if (summary.refused > 0) failures.push(`live: ${summary.refused} of ${summary.streams} streams refused — ${summary.refusedSamples.join('; ')}`);
  for (const m of summary.measurements) {
    const problems = [
      m.eventsCommitted === 0 ? 'no event committed' : '',
      m.lost > 0 ? `${m.lost} of ${m.expectedDeliveries} deliveries lost (event|stream: ${m.missingSamples.join(', ')})` : '',
      m.duplicates > 0 ? `${m.duplicates} duplicates` : '',
      m.unexpected > 0 ? `${m.unexpected} deliveries outside the audiences` : '',
      m.mutationErrors > 0 ? `${m.mutationErrors} of ${m.mutations} mutations failed (${m.mutationErrorSamples.join('; ')})` : '',
      m.audienceMismatches > 0 ? `${m.audienceMismatches} events without their local manager in the audiences` : '',
      m.streamsEnded > 0 ? `${m.streamsEnded} streams ended` : '',
    ].filter(Boolean);
    if (problems.length > 0) failures.push(`live, run ${m.run}: ${problems.join(', ')}`);
  }
  return failures;
}
