import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { subgraphVariables } from '@pgamr/kit/environment';
import type { SubgraphKey } from './databases';
import { answersOk, freePort, REPOSITORY_ROOT, waitFor, type ManagedProcess, type ProcessGroup } from './processes';

export interface SubgraphEndpoint {
  /** The name in supergraph.yaml. */
  name: string;
  key: SubgraphKey | 'notifications';
  graphqlUrl: string;
  metricsUrl: string;
  process: ManagedProcess;
}

export type GatewayName = 'ours' | 'apollo' | 'hive';

export interface GatewayEndpoint {
  name: GatewayName;
  url: string;
  process: ManagedProcess;
}

export const GATEWAY_TITLES: Record<GatewayName | 'direct', string> = {
  ours: 'ours (PGAMR gateway, production profile)',
  apollo: 'plain @apollo/gateway',
  hive: 'Hive Gateway',
  direct: 'direct (physical limit)',
};

const SUBGRAPHS: ReadonlyArray<{ name: string; key: SubgraphKey | 'notifications' }> = [
  { name: 'identity', key: 'identity' },
  { name: 'services', key: 'services' },
  { name: 'mandates', key: 'mandates' },
  { name: 'road-aid', key: 'roadAid' },
  // Issue 19: the inbox the live streams are fed from.
  { name: 'notifications', key: 'notifications' },
];

/**
 * The event bus and the inbox's database the stack runs with (`prepareEventBus`): the subgraphs
 * that raise events and the gateway refuse production without a bus, as `npm start` gives one.
 */
export interface StackEvents {
  /** NATS_URL and NATS_NAMESPACE, or EVENT_BUS_DATABASE_URL. */
  env: Record<string, string>;
  notificationsDatabaseUrl: string;
}

/** A secret for every `/metrics` the bench reads (production serves them only behind one). */
export const METRICS_TOKEN = randomBytes(24).toString('hex');

/**
 * Shared by our gateway and the subgraphs, as `npm start` does: a request's subgraph calls do not
 * ask identity about its session again. The shell's value wins; set empty, every hop asks, to
 * measure what the assertion saves.
 */
const SESSION_ASSERTION_SECRET = process.env.SESSION_ASSERTION_SECRET ?? randomBytes(32).toString('base64url');

/**
 * The shell's environment without what would change what is measured: another deployment's
 * URLs, ports and limits, tracing, or Node options.
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const dropped = /^(OTEL_|NODE_OPTIONS$|NODE_ENV$|LOG_|RATE_LIMIT_|SIGN_IN_RATE_LIMIT_|REDIS_URL$|GATEWAY_|SUBGRAPH_|SUPERGRAPH_PATH$|METRICS_TOKEN$|CATALOG_REGISTRATION_TOKEN$|SEED_DEMO_DATA$|HOST$|APOLLO_|LIVE_|NATS_URL$|NATS_NAMESPACE$|TEST_NATS_URL$|BENCH_)|_(DATABASE_URL|PORT|SUBGRAPH_URL|SUBGRAPH_TIMEOUT_MS|JWKS_URL|RIGHTS_URL|CATALOG_URL|DIRECTORY_URL)$/;
  for (const [name, value] of Object.entries(process.env)) if (!dropped.test(name)) env[name] = value;
  return { ...env, APOLLO_TELEMETRY_DISABLED: 'true', HOST: '127.0.0.1' };
}

/**
 * Starts the subgraphs on the bench databases, as `npm start` would in production, and waits
 * until each is ready: the four of the data set, and with `events` the notifications subgraph on
 * its own database, every one given the bus.
 */
export async function startSubgraphs(
  group: ProcessGroup,
  databaseUrls: Record<SubgraphKey, string>,
  options: { seedDemoData?: boolean; events?: StackEvents } = {},
): Promise<SubgraphEndpoint[]> {
  const { events } = options;
  const started = SUBGRAPHS.filter(({ key }) => key !== 'notifications' || events);
  const ports = new Map<string, number>();
  for (const { name } of started) ports.set(name, await freePort());
  const origin = (name: string) => `http://127.0.0.1:${ports.get(name)}`;
  const env: NodeJS.ProcessEnv = {
    ...cleanEnvironment(),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SEED_DEMO_DATA: options.seedDemoData ? 'true' : 'false',
    METRICS_TOKEN,
    SESSION_ASSERTION_SECRET,
    IDENTITY_JWKS_URL: `${origin('identity')}/.well-known/jwks.json`,
    SERVICES_RIGHTS_URL: `${origin('services')}/authz/v1/rights`,
    IDENTITY_DIRECTORY_URL: `${origin('identity')}/directory/v1/firm-users`,
    MANDATES_DECISION_URL: `${origin('mandates')}/authz/v1/mandates`,
    ...events?.env,
  };
  for (const { name, key } of started) {
    env[subgraphVariables(name).databaseUrl] = key === 'notifications' ? events!.notificationsDatabaseUrl : databaseUrls[key];
    env[subgraphVariables(name).port] = String(ports.get(name));
  }
  const endpoints = started.map(({ name, key }) => ({
    name,
    key,
    graphqlUrl: `${origin(name)}/graphql`,
    metricsUrl: `${origin(name)}/metrics`,
    process: group.startNode(name, path.join('subgraphs', name, 'src', 'index.ts'), env),
  }));
  await Promise.all(endpoints.map((endpoint) => waitFor(`subgraph ${endpoint.name}`, () => answersOk(`${origin(endpoint.name)}/ready`), group)));
  return endpoints;
}

export interface GatewayOptions {
  /** The stripped supergraph with the bench's routing URLs, for the peers. */
  peerSupergraphPath: string;
  /** Our gateway's general rate limit (requests per user per minute). */
  rateLimitPoints: number;
  /** Our gateway's log level, written to its log file. */
  logLevel: string;
  /** A token any gateway accepts, to probe readiness with a real request. */
  probeToken: string;
  /** Our gateway's bus (NATS_URL or EVENT_BUS_DATABASE_URL), which its live streams follow. */
  events?: Pick<StackEvents, 'env'>;
  /** Our gateway's LIVE_MAX_STREAMS_PER_USER, when the live scenario needs more than the default. */
  maxStreamsPerUser?: number;
}

/** Starts each gateway in its own process over the same subgraphs, and waits until each answers GraphQL. */
export async function startGateways(
  group: ProcessGroup,
  names: readonly GatewayName[],
  subgraphs: readonly SubgraphEndpoint[],
  options: GatewayOptions,
): Promise<GatewayEndpoint[]> {
  const identity = subgraphs.find((subgraph) => subgraph.name === 'identity')!;
  const base = { ...cleanEnvironment(), NODE_ENV: 'production' };
  const gateways: GatewayEndpoint[] = [];
  for (const name of names) {
    const port = await freePort();
    let managed: ManagedProcess;
    if (name === 'ours') {
      const env: NodeJS.ProcessEnv = {
        ...base,
        GATEWAY_PORT: String(port),
        LOG_LEVEL: options.logLevel,
        SUPERGRAPH_PATH: path.join(REPOSITORY_ROOT, 'supergraph.graphql'),
        IDENTITY_JWKS_URL: new URL('/.well-known/jwks.json', identity.graphqlUrl).toString(),
        METRICS_TOKEN,
        SESSION_ASSERTION_SECRET,
        RATE_LIMIT_POINTS: String(options.rateLimitPoints),
        ...options.events?.env,
        ...(options.maxStreamsPerUser ? { LIVE_MAX_STREAMS_PER_USER: String(options.maxStreamsPerUser) } : {}),
      };
      for (const subgraph of subgraphs) env[subgraphVariables(subgraph.name).subgraphUrl] = subgraph.graphqlUrl;
      managed = group.startNode('gateway-ours', path.join('gateway', 'src', 'index.ts'), env);
    } else {
      const env = { ...base, PORT: String(port), BENCH_SUPERGRAPH_PATH: options.peerSupergraphPath };
      const entry = path.join('bench', 'src', 'peers', name === 'apollo' ? 'apollo-gateway.ts' : 'hive-gateway.ts');
      managed = group.startNode(`gateway-${name}`, entry, env);
    }
    gateways.push({ name, url: `http://127.0.0.1:${port}/graphql`, process: managed });
  }
  await Promise.all(
    gateways.map((gateway) =>
      waitFor(
        `gateway ${gateway.name}`,
        () =>
          answersOk(gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${options.probeToken}` },
            body: JSON.stringify({ query: '{ __typename }' }),
          }),
        group,
      ),
    ),
  );
  return gateways;
}

/** Writes the peers' supergraph where their processes read it. */
export function writePeerSupergraph(directory: string, sdl: string): string {
  const file = path.join(directory, 'supergraph.bench.graphql');
  writeFileSync(file, sdl);
  return file;
}
