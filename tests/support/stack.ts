import type { AddressInfo } from 'node:net';
import { buildGateway, type BuiltGateway } from '@pgamr/gateway';
import { readGatewayConfig } from '@pgamr/gateway/config';
import { identitySubgraph, JWKS_PATH, type IdentityLoaders, type IdentityServices } from '@pgamr/identity';
import { CATALOG_REGISTRATION_PATH, FIRM_USERS_PATH, generateSessionAssertionSecret, MANDATES_DECISION_PATH, RIGHTS_PATH, type Clock, type SubgraphDefinition } from '@pgamr/kit';
import { createLogger } from '@pgamr/kit/logger';
import { createTestDatabaseServer, createTestEventBus, startTestSubgraph, templateKeyOf, uniqueToken, type TestEventBus, type TestSubgraph } from '@pgamr/kit/testing';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { freePort } from './ports';
import { STACK_START_TIMEOUT_MS } from './timeouts';
import { mandatesSubgraph } from '@pgamr/mandates';
import { notificationsSubgraph, notificationsSubgraphWith } from '@pgamr/notifications';
import { roadAidSubgraph } from '@pgamr/road-aid';
import { servicesSubgraph } from '@pgamr/services';

export interface Stack {
  gatewayUrl: string;
  /** The environment the gateway was configured from, to start replicas of it. */
  gatewayEnv: Record<string, string>;
  gateway: BuiltGateway;
  /** The test clock the stack was started with, if any: replicas read it too. */
  clock: Clock | undefined;
  subgraphs: Record<SubgraphName, TestSubgraph>;
  /** Stops one subgraph, as an outage would; the gateway keeps running. */
  stopSubgraph(name: SubgraphName): Promise<void>;
  /**
   * Starts a stopped subgraph again on the same port, with the same settings, on a fresh seeded
   * database (demo data has stable ids, so the same records come back). Not for identity, whose
   * signing keys would change.
   */
  restartSubgraph(name: Exclude<SubgraphName, 'identity'>): Promise<void>;
  /** With `faults: true`: a proxy in front of each dependency, to cut it or slow it down. */
  faults: StackFaults | undefined;
  /**
   * The event bus every process of the stack is given (issue 19): JetStream at TEST_NATS_URL when
   * set, else a PostgreSQL bus of its own. A test consumes from it with unique durable names.
   */
  eventBus: TestEventBus;
  close(): Promise<void>;
}

export type SubgraphName = 'identity' | 'services' | 'mandates' | 'road-aid' | 'notifications';

/**
 * Every dependency of the stack behind a fault proxy, each on its own so that one can fail while
 * the others answer: identity's key set and session state (asked by the gateway and the other
 * subgraphs), identity's directory (mandates), services' decision point (the other subgraphs),
 * each subgraph's database, and the gateway's routes to each subgraph.
 */
export interface StackFaults {
  identityKeysAndSessions: FaultProxy;
  identityDirectory: FaultProxy;
  decisionPoint: FaultProxy;
  databases: Record<SubgraphName, FaultProxy>;
  routes: Record<SubgraphName, FaultProxy>;
}

const SUBGRAPH_NAMES: readonly SubgraphName[] = ['identity', 'services', 'mandates', 'road-aid', 'notifications'];

/** What startStack accepts. */
export interface StackOptions {
  supergraphPath?: string;
  gatewayLogLines?: string[];
  /** A differently configured identity subgraph (shorter token lifetimes…). */
  identity?: SubgraphDefinition<IdentityLoaders, IdentityServices>;
  jwksCooldownMs?: number;
  /** More gateway environment (rate limits, CORS…), over the stack's own. */
  gatewayEnv?: Record<string, string>;
  /** Collects each named subgraph's JSON log lines. */
  subgraphLogLines?: Partial<Record<SubgraphName, string[]>>;
  /** Puts every dependency behind a fault proxy (see StackFaults). */
  faults?: boolean;
  /**
   * What every subgraph and the gateway read as now (a test clock, see `offsetClock`): a test
   * of a period or an expiry moves it instead of sleeping. By default the system clock.
   */
  clock?: Clock;
}

/**
 * Every subgraph on its own fresh, seeded database and the gateway in front, all on free
 * loopback ports; the gateway routes to them through `<NAME>_SUBGRAPH_URL`, as in deployment.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // A stack that fails half-way (a port taken, a subgraph that does not start) closes what it had
  // started, so that the failing test file ends instead of keeping Jest alive. One that is too
  // slow fails before the file's beforeAll would time out, naming what it still waits for; what
  // finishes starting after that is closed as it arrives.
  const started: Array<{ close(): Promise<unknown> }> = [];
  const done: string[] = [];
  const waiting = new Set<string>();
  let abandoned = false;
  const steps: StartSteps = {
    async wait(what, work) {
      waiting.add(what);
      const result = await work;
      waiting.delete(what);
      if (abandoned) throw new Error(`${what} ended after the stack was abandoned`);
      done.push(what);
      return result;
    },
    async open(what, starting) {
      const part = await steps.wait(what, starting).catch(async (error: unknown) => {
        // Abandoned while it started: it is closed as it arrives (a rejection is not).
        if (abandoned) await starting.then((late) => late.close()).catch(() => undefined);
        throw error;
      });
      started.push(part);
      return part;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      abandoned = true;
      const seconds = Math.round(STACK_START_TIMEOUT_MS / 1000);
      const pending = [...waiting].join(', ') || 'nothing (between two steps)';
      reject(new Error(`startStack: not started after ${seconds} s; waiting for ${pending}; started: ${done.join(', ') || 'nothing'}`));
    }, STACK_START_TIMEOUT_MS);
  });
  try {
    return await Promise.race([assembleStack(options, steps), deadline]);
  } catch (error) {
    abandoned = true;
    await Promise.allSettled(started.reverse().map((part) => part.close()));
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The steps of a stack's start, each named for a slow start's error. */
interface StartSteps {
  /** Waits for `work`. */
  wait<T>(what: string, work: Promise<T>): Promise<T>;
  /** Waits for a part of the stack to start, and keeps it to close if the stack does not start. */
  open<T extends { close(): Promise<unknown> }>(what: string, starting: Promise<T>): Promise<T>;
}

async function assembleStack(options: StackOptions, steps: StartSteps): Promise<Stack> {
  const logLines = (name: SubgraphName) => {
    const lines = options.subgraphLogLines?.[name];
    return lines ? { logLines: lines } : {};
  };
  const faultyDatabases = options.faults ? await steps.open('the databases behind fault proxies', databasesBehindProxies(options.identity ?? identitySubgraph)) : undefined;
  const clock = options.clock ? { clock: options.clock } : {};
  const eventBus = await steps.open('the event bus', createTestEventBus('stack'));
  // As npm start does: the gateway asserts each request's session check to the subgraphs.
  const assertionSecret = generateSessionAssertionSecret();
  const databaseOf = (name: SubgraphName) => ({
    ...clock,
    eventBus: eventBus.bus,
    sessionAssertionSecret: Buffer.from(assertionSecret, 'base64url'),
    ...(faultyDatabases ? { database: faultyDatabases.connections[name] } : {}),
  });
  // Identity first: the others verify tokens against the keys it publishes. It asks services'
  // decision point too, so services' port is chosen now; services asks mandates' (R13), so
  // mandates' port too.
  const servicesPort = await freePort();
  const mandatesPort = await freePort();
  const decisionPoint = options.faults ? await steps.open('the fault proxy of the decision point', startFaultProxy({ host: '127.0.0.1', port: servicesPort })) : undefined;
  const rightsUrl = through(decisionPoint, `http://127.0.0.1:${servicesPort}${RIGHTS_PATH}`);
  const mandatesUrl = `http://127.0.0.1:${mandatesPort}${MANDATES_DECISION_PATH}`;
  const identity = await steps.open('identity', startTestSubgraph(options.identity ?? identitySubgraph, { rightsUrl, ...logLines('identity'), ...databaseOf('identity') }));
  const identityKeysAndSessions = options.faults ? await steps.open("the fault proxy of identity's keys", startFaultProxy(identity.origin)) : undefined;
  const identityDirectory = options.faults ? await steps.open("the fault proxy of identity's directory", startFaultProxy(identity.origin)) : undefined;
  const jwksUrl = through(identityKeysAndSessions, `${identity.origin}${JWKS_PATH}`);
  const jwks = { jwksUrl, ...(options.jwksCooldownMs === undefined ? {} : { jwksCooldownMs: options.jwksCooldownMs }) };
  // Services next: mandates asks its decision point. Services checks grantees in identity's
  // directory and asks mandates about external auditors' mandates (R13).
  const directoryUrl = through(identityDirectory, `${identity.origin}${FIRM_USERS_PATH}`);
  const servicesOptions = { ...jwks, port: servicesPort, directoryUrl, mandatesUrl, ...logLines('services'), ...databaseOf('services') };
  const services = await steps.open('services', startTestSubgraph(servicesSubgraph, servicesOptions));
  const mandatesOptions = { ...jwks, port: mandatesPort, rightsUrl, directoryUrl, ...logLines('mandates'), ...databaseOf('mandates') };
  const mandates = await steps.open('mandates', startTestSubgraph(mandatesSubgraph, mandatesOptions));
  // R23: another ministry's subgraph, on the same kit and decision point; it registers its
  // catalog declaration (PAVL, its direction, Marc's demo right) with services as it starts.
  const catalogUrl = `${services.origin}${CATALOG_REGISTRATION_PATH}`;
  const roadAidOptions = { ...jwks, rightsUrl, catalogUrl, ...logLines('road-aid'), ...databaseOf('road-aid') };
  const roadAid = await steps.open('road-aid', startTestSubgraph(roadAidSubgraph, roadAidOptions));
  await steps.wait("road-aid's catalog registration with services", expectRegistered(roadAid));
  // Issue 19: the inbox, on the same kit and decision point; it owns no online service.
  // Its inbox consumer's durable is the stack's own: on a shared broker, another stack's would take its events.
  // Its own durable, from now on: the shared test broker holds other runs' events, which this stack's inbox has no use for.
  const inbox = notificationsSubgraphWith({ inboxConsumer: uniqueToken('notifications-inbox'), inboxStartsAt: 'new' });
  const notificationsOptions = { ...jwks, rightsUrl, ...logLines('notifications'), ...databaseOf('notifications') };
  const notifications = await steps.open('notifications', startTestSubgraph(inbox, notificationsOptions));
  const started = { identity, services, mandates, 'road-aid': roadAid, notifications };
  const routes = options.faults ? (await steps.open('the fault proxies of the routes', proxiesInFrontOf(started))).proxies : undefined;
  const routeOf = (name: SubgraphName) => through(routes?.[name], started[name].url);
  const faults: StackFaults | undefined =
    faultyDatabases && routes && identityKeysAndSessions && identityDirectory && decisionPoint
      ? { identityKeysAndSessions, identityDirectory, decisionPoint, databases: faultyDatabases.proxies, routes }
      : undefined;
  const gatewayEnv: Record<string, string> = {
    NODE_ENV: 'test',
    GATEWAY_PORT: '0',
    IDENTITY_SUBGRAPH_URL: routeOf('identity'),
    SERVICES_SUBGRAPH_URL: routeOf('services'),
    MANDATES_SUBGRAPH_URL: routeOf('mandates'),
    ROAD_AID_SUBGRAPH_URL: routeOf('road-aid'),
    NOTIFICATIONS_SUBGRAPH_URL: routeOf('notifications'),
    IDENTITY_JWKS_URL: jwksUrl,
    SESSION_ASSERTION_SECRET: assertionSecret,
    // The gateway follows the bus the subgraphs publish on.
    ...eventBus.variables,
    ...(options.jwksCooldownMs === undefined ? {} : { JWKS_COOLDOWN_MS: String(options.jwksCooldownMs) }),
    ...(options.supergraphPath ? { SUPERGRAPH_PATH: options.supergraphPath } : {}),
    ...options.gatewayEnv,
  };
  const config = readGatewayConfig(gatewayEnv);
  const lines = options.gatewayLogLines;
  const logger = lines
    ? createLogger('gateway', 'info', 'json', { write: (line: string) => void lines.push(line) })
    : createLogger('gateway', process.env.TEST_LOG_LEVEL ?? 'silent');
  const gateway = await steps.open('the gateway', buildGateway(config, logger, clock));
  await steps.wait('the gateway to listen', gateway.app.listen({ host: '127.0.0.1', port: 0 }));
  const { port } = gateway.app.server.address() as AddressInfo;
  const subgraphs = started;
  const stopped = new Set<SubgraphName>();
  const restarts = {
    services: () => startTestSubgraph(servicesSubgraph, servicesOptions),
    mandates: () => startTestSubgraph(mandatesSubgraph, mandatesOptions),
    'road-aid': () =>
      startTestSubgraph(roadAidSubgraph, { ...roadAidOptions, port: Number(new URL(subgraphs['road-aid'].origin).port) }),
    notifications: () =>
      startTestSubgraph(inbox, { ...notificationsOptions, port: Number(new URL(subgraphs.notifications.origin).port) }),
  };
  return {
    gatewayUrl: `http://127.0.0.1:${port}/graphql`,
    gatewayEnv,
    gateway,
    clock: options.clock,
    subgraphs,
    async stopSubgraph(name) {
      stopped.add(name);
      await subgraphs[name].close();
    },
    async restartSubgraph(name) {
      subgraphs[name] = await restarts[name]();
      stopped.delete(name);
    },
    faults,
    eventBus,
    async close() {
      await gateway.close();
      const running = (Object.keys(subgraphs) as SubgraphName[]).filter((name) => !stopped.has(name));
      await Promise.all(running.map((name) => subgraphs[name].close()));
      if (faults) {
        const proxies = [faults.identityKeysAndSessions, faults.identityDirectory, faults.decisionPoint, ...Object.values(faults.routes)];
        await Promise.all(proxies.map((proxy) => proxy.close()));
        await faultyDatabases?.close();
      }
      await eventBus.close();
    },
  };
}

/** Waits for a subgraph's catalog registration with services, which every stack's test takes as done. */
async function expectRegistered(subgraph: TestSubgraph): Promise<void> {
  const outcome = await subgraph.catalogRegistration;
  if (outcome?.status !== 'registered') throw new Error(`catalog registration failed: ${JSON.stringify(outcome)}`);
}

/** `url`, or the same through `proxy` when there is one. */
const through = (proxy: FaultProxy | undefined, url: string) => (proxy ? proxy.rewrite(url) : url);

/** A fresh database per subgraph (a copy of its prepared template), each reached through a fault proxy. */
async function databasesBehindProxies(identity: SubgraphDefinition<IdentityLoaders, IdentityServices>) {
  const definitions = { identity, services: servicesSubgraph, mandates: mandatesSubgraph, 'road-aid': roadAidSubgraph, notifications: notificationsSubgraph };
  const servers = await Promise.all(SUBGRAPH_NAMES.map((name) => createTestDatabaseServer(name, templateKeyOf(definitions[name], true))));
  const proxies = await Promise.all(servers.map((server) => startFaultProxy(server.url)));
  const byName = <T>(values: T[]) => Object.fromEntries(SUBGRAPH_NAMES.map((name, index) => [name, values[index]!])) as Record<SubgraphName, T>;
  return {
    proxies: byName(proxies),
    connections: byName(
      servers.map((server, index) => ({ kind: 'postgresql' as const, url: proxies[index]!.rewrite(server.url) })),
    ),
    async close() {
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await Promise.all(servers.map((server) => server.drop()));
    },
  };
}

async function proxiesInFrontOf(subgraphs: Record<SubgraphName, TestSubgraph>): Promise<{ proxies: Record<SubgraphName, FaultProxy>; close(): Promise<void> }> {
  const proxies = await Promise.all(SUBGRAPH_NAMES.map((name) => startFaultProxy(subgraphs[name].origin)));
  return {
    proxies: Object.fromEntries(SUBGRAPH_NAMES.map((name, index) => [name, proxies[index]!])) as Record<SubgraphName, FaultProxy>,
    close: () => Promise.all(proxies.map((proxy) => proxy.close())).then(() => undefined),
  };
}

/** Another gateway instance in front of the stack's subgraphs, configured from its environment plus `env`. */
export async function startGatewayReplica(
  stack: Stack,
  env: Record<string, string> = {},
  /** Collects the replica's JSON log lines. */
  logLines?: string[],
  /** What the replica reads as now (its tokens' expiry), if not the stack's. */
  clock: Clock | undefined = stack.clock,
): Promise<{ url: string; close(): Promise<void> }> {
  const logger = logLines
    ? createLogger('gateway', 'info', 'json', { write: (line: string) => void logLines.push(line) })
    : createLogger('gateway', process.env.TEST_LOG_LEVEL ?? 'silent');
  const replica = await buildGateway(readGatewayConfig({ ...stack.gatewayEnv, ...env }), logger, clock ? { clock } : {});
  await replica.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = replica.app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, close: () => replica.close() };
}
