import { z } from 'zod';
import { eventBusConfigOf, eventBusEnvironment, type EventBusConfig } from './events/bus';
import { ConfigurationError, configurationIssues, frenchValidationMessages, subgraphVariables } from './environment';
import { readSessionAssertionSecret } from './auth/session-assertion';
import { embeddedDatabaseName, embeddedDataDir } from './database/embedded-postgres';
import { SESSION_STATUS_PATH } from './auth/session-status';
import type { PeerClientName } from './context';
import { readOperationLimits, SUBGRAPH_LIMITS, type OperationLimitsConfig } from './limits/config';

/** Where a subgraph keeps its data: a real PostgreSQL, or an embedded one for development. */
export type DatabaseTarget =
  | { kind: 'postgresql'; url: string }
  | { kind: 'embedded'; dataDir: string; database: string };

export interface SubgraphConfig {
  name: string;
  /** The names of this subgraph's own variables, for messages that tell an operator what to fix. */
  variables: { port: string; databaseUrl: string };
  host: string;
  port: number;
  database: DatabaseTarget;
  seedDemoData: boolean;
  logLevel: string;
  production: boolean;
  /** Where the identity subgraph publishes the keys access tokens are signed with. */
  jwksUrl: string;
  /** Least time between two refetches of the key set for an unknown key id. */
  jwksCooldownMs: number;
  /** Identity's session state, asked on every request whether the token's session is live. */
  sessionsUrl: string;
  /** `SESSION_ASSERTION_SECRET`: the gateway's assertions that a request's session was just found live (see auth/session-assertion.ts). */
  sessionAssertionSecret?: Buffer;
  /** Longest time a verified access token is trusted without a new signature check; 0: every request. */
  tokenCacheMs: number;
  /** The services subgraph's authorization decision point. */
  rightsUrl: string;
  /** The identity subgraph's directory of firm users (its members are asked on the same origin); read only for a subgraph that names the `directory` client. */
  directoryUrl?: string;
  /** The mandates subgraph's decision point on mandates in force; read only for a subgraph that names the `mandates` client. */
  mandatesUrl?: string;
  /** The services subgraph's catalog registrations, where a subgraph declares its online services (R23). */
  catalogUrl: string;
  /** Bearer token of catalog registrations (sent by subgraphs, asked by services); unset: open in development, off in production. */
  catalogToken?: string;
  /** Bearer token `/metrics` asks for; unset: open in development, not served in production. */
  metricsToken?: string;
  /** What an operation may ask of this subgraph (`SUBGRAPH_MAX_DEPTH`…, on SUBGRAPH_LIMITS). */
  limits: OperationLimitsConfig;
  /** The event bus (issue 19): `NATS_URL` (JetStream), else `EVENT_BUS_DATABASE_URL` (PostgreSQL, one machine); neither, none. */
  eventBus: EventBusConfig;
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const environmentSchema = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  SEED_DEMO_DATA: booleanFlag.optional(),
  IDENTITY_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4001/.well-known/jwks.json'),
  IDENTITY_SESSIONS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(60),
  SERVICES_RIGHTS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4002/authz/v1/rights'),
  SERVICES_CATALOG_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4002/catalog/v1/registrations'),
  // One token per deployment, like METRICS_TOKEN: the subgraphs send it, services asks for it.
  CATALOG_REGISTRATION_TOKEN: z
    .string()
    .optional()
    .refine((token) => !token || token.length >= 16, 'au moins 16 caractères attendus'),
  // The gateway's variable and rule (empty counts as unset): one token guards every /metrics of a deployment.
  METRICS_TOKEN: z
    .string()
    .optional()
    .refine((token) => !token || token.length >= 16, 'au moins 16 caractères attendus'),
  ...eventBusEnvironment,
});

/** The variables of the clients of other subgraphs, each read only by the subgraphs that name the client. */
const clientSchemas = {
  directory: z.object({ IDENTITY_DIRECTORY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4001/directory/v1/firm-users') }),
  mandates: z.object({ MANDATES_DECISION_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4003/authz/v1/mandates') }),
} as const satisfies Record<PeerClientName, z.ZodType>;

const portSchema = z.coerce.number().int().min(0).max(65535);
const postgresUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// ou postgresql://');

/**
 * Reads a subgraph's configuration from the environment once, at start-up, and fails fast with
 * every problem listed. Variables are prefixed by the subgraph's name (`IDENTITY_PORT`,
 * `IDENTITY_DATABASE_URL`) so that one shell can run every subgraph. The URL of another
 * subgraph's client is read only for the `clients` the subgraph names.
 */
export function readSubgraphConfig(
  name: string,
  defaultPort: number,
  env: NodeJS.ProcessEnv = process.env,
  clients: readonly PeerClientName[] = [],
  /** Whether the subgraph raises or consumes events: production then needs a bus. */
  usesEvents = false,
): SubgraphConfig {
  const variables = subgraphVariables(name);
  const issues: string[] = [];
  frenchValidationMessages();
  const common = environmentSchema.safeParse(env);
  if (!common.success) issues.push(...configurationIssues(common.error));

  const portVariable = variables.port;
  const port = portSchema.safeParse(env[portVariable] ?? defaultPort);
  if (!port.success) issues.push(`${portVariable}: un numéro de port entre 0 et 65535 est attendu`);

  const urlVariable = variables.databaseUrl;
  const rawUrl = env[urlVariable];
  const url = rawUrl ? postgresUrlSchema.safeParse(rawUrl) : undefined;
  if (url && !url.success) issues.push(`${urlVariable}: ${url.error.issues[0]?.message}`);

  const named = new Set(clients);
  const directory = named.has('directory') ? clientSchemas.directory.safeParse(env) : undefined;
  const mandates = named.has('mandates') ? clientSchemas.mandates.safeParse(env) : undefined;
  for (const client of [directory, mandates]) if (client && !client.success) issues.push(...configurationIssues(client.error));

  const limits = readOperationLimits(env, 'SUBGRAPH', SUBGRAPH_LIMITS, issues);
  const sessionAssertionSecret = readSessionAssertionSecret(env, issues);

  const production = common.success && common.data.NODE_ENV === 'production';
  if (production && !rawUrl) {
    issues.push(`${urlVariable}: obligatoire en production (la base embarquée sert au développement)`);
  }
  if (production && usesEvents && !common.data.NATS_URL && !common.data.EVENT_BUS_DATABASE_URL) {
    issues.push('NATS_URL: obligatoire en production pour les événements (ou EVENT_BUS_DATABASE_URL sur une seule machine)');
  }
  if (issues.length > 0 || !common.success || !port.success) {
    throw new ConfigurationError(`du sous-graphe ${name}`, issues);
  }

  const database: DatabaseTarget = url?.success
    ? { kind: 'postgresql', url: url.data }
    : { kind: 'embedded', dataDir: embeddedDataDir(common.data.DATA_DIR), database: embeddedDatabaseName(name) };

  return {
    name,
    variables: { port: portVariable, databaseUrl: urlVariable },
    host: common.data.HOST,
    port: port.data,
    database,
    seedDemoData: common.data.SEED_DEMO_DATA ?? !production,
    logLevel: common.data.LOG_LEVEL,
    production,
    jwksUrl: common.data.IDENTITY_JWKS_URL,
    sessionsUrl: common.data.IDENTITY_SESSIONS_URL ?? new URL(SESSION_STATUS_PATH, common.data.IDENTITY_JWKS_URL).toString(),
    jwksCooldownMs: common.data.JWKS_COOLDOWN_MS,
    ...(sessionAssertionSecret ? { sessionAssertionSecret } : {}),
    tokenCacheMs: common.data.TOKEN_CACHE_SECONDS * 1000,
    rightsUrl: common.data.SERVICES_RIGHTS_URL,
    ...(directory?.success ? { directoryUrl: directory.data.IDENTITY_DIRECTORY_URL } : {}),
    ...(mandates?.success ? { mandatesUrl: mandates.data.MANDATES_DECISION_URL } : {}),
    catalogUrl: common.data.SERVICES_CATALOG_URL,
    ...(common.data.CATALOG_REGISTRATION_TOKEN ? { catalogToken: common.data.CATALOG_REGISTRATION_TOKEN } : {}),
    ...(common.data.METRICS_TOKEN ? { metricsToken: common.data.METRICS_TOKEN } : {}),
    limits,
    eventBus: eventBusConfigOf(common.data),
  };
}
