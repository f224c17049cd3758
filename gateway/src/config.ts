import { availableParallelism } from 'node:os';
import path from 'node:path';
import { readTokenSettings, type TokenSettings } from './auth/token-settings';
import { ConfigurationError, configurationIssues, frenchValidationMessages, subgraphVariables } from '@pgamr/kit/environment';
import { z } from 'zod';
import { readHttpConfig, type HttpConfig } from './http/http-config';
import { readLiveConfig, type LiveConfig } from './live/config';
import { readGatewayLimits, type GatewayLimitsConfig } from './limits/config';
import { readPersistedOperations, type PersistedOperationsConfig } from './persisted/config';
import { readMetricsSettings, type MetricsSettings } from './observability/metrics-route';
import { readSubgraphCallSettings, type SubgraphCallSettings } from './subgraphs/subgraph-call-settings';

export interface GatewayConfig {
  host: string;
  port: number;
  /** The composed supergraph the gateway serves; watched for changes. */
  supergraphPath: string;
  /** Subgraph URLs that replace the supergraph's routing URLs (deployment), by environment key. */
  subgraphUrls: Record<string, string>;
  /** Subgraphs' own health URLs for readiness, by environment key; others get a GraphQL probe. */
  subgraphHealthUrls: Record<string, string>;
  logLevel: string;
  production: boolean;
  /** Apollo usage reporting, only when an operator turns it on explicitly (and sets APOLLO_KEY). */
  usageReporting: boolean;
  /** Whose access tokens the gateway accepts (identity's by default, another provider's, or none), and how. */
  tokens: TokenSettings;
  /** Least time between two refetches of the key set for an unknown key id. */
  jwksCooldownMs: number;
  /** Longest time a verified access token is trusted without a new signature check; 0: every request. */
  tokenCacheMs: number;
  /** Depth, aliases, root fields, tokens, cost; who may introspect. */
  limits: GatewayLimitsConfig;
  /** APQ, trusted documents or neither. */
  persistedOperations: PersistedOperationsConfig;
  /** The HTTP edge: rate limits, CORS, body size limit, trusted proxies. */
  http: HttpConfig;
  /** Time limits, retries, circuit breakers and connections of subgraph calls. */
  subgraphCalls: SubgraphCallSettings;
  /** Who may read `/metrics`. */
  metrics: MetricsSettings;
  /** Whether `/graphiql` serves the GraphiQL page (bundled at build time, no CDN). */
  graphiql: boolean;
  /** Gateway processes sharing the port (Node's cluster); 1: a single process, no primary. */
  workers: number;
  /** Live notifications: the event bus followed, and the limits of a stream. */
  live: LiveConfig;
}

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const SUBGRAPH_URL_VARIABLE = /^([A-Z][A-Z0-9_]*)_SUBGRAPH_URL$/;
const SUBGRAPH_HEALTH_URL_VARIABLE = /^([A-Z][A-Z0-9_]*)_SUBGRAPH_HEALTH_URL$/;

const environmentSchema = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  SUPERGRAPH_PATH: z.string().min(1).default(path.join(REPOSITORY_ROOT, 'supergraph.graphql')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APOLLO_USAGE_REPORTING: z.enum(['true', 'false']).default('false'),
  JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  TOKEN_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(60),
  GATEWAY_GRAPHIQL: z.enum(['on', 'off']).optional(),
});

/** Reads the gateway's configuration from the environment once, failing fast on any bad value. */
export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  frenchValidationMessages();
  const parsed = environmentSchema.safeParse(env);
  const issues = parsed.success ? [] : configurationIssues(parsed.error);

  const subgraphUrls = urlsByKey(env, SUBGRAPH_URL_VARIABLE, issues);
  const subgraphHealthUrls = urlsByKey(env, SUBGRAPH_HEALTH_URL_VARIABLE, issues);
  const subgraphCalls = readSubgraphCallSettings(env, issues);
  const metrics = readMetricsSettings(env, issues);
  const http = readHttpConfig(env, issues);
  const limits = readGatewayLimits(env, issues, env.NODE_ENV === 'production');
  const persistedOperations = readPersistedOperations(env, issues);
  const workers = readWorkers(env, http, issues);
  const tokens = readTokenSettings(env, issues);
  const live = readLiveConfig(env, issues, env.NODE_ENV === 'production');
  if (!parsed.success || issues.length > 0) {
    throw new ConfigurationError('de la passerelle', issues);
  }
  const config = parsed.data;
  if (config.APOLLO_USAGE_REPORTING === 'true' && !env.APOLLO_KEY) {
    throw new ConfigurationError('de la passerelle', ['APOLLO_USAGE_REPORTING=true exige APOLLO_KEY']);
  }
  return {
    host: config.HOST,
    port: config.GATEWAY_PORT,
    supergraphPath: path.resolve(config.SUPERGRAPH_PATH),
    subgraphUrls,
    subgraphHealthUrls,
    logLevel: config.LOG_LEVEL,
    production: config.NODE_ENV === 'production',
    usageReporting: config.APOLLO_USAGE_REPORTING === 'true',
    tokens,
    jwksCooldownMs: config.JWKS_COOLDOWN_MS,
    tokenCacheMs: config.TOKEN_CACHE_SECONDS * 1000,
    limits,
    persistedOperations,
    http,
    subgraphCalls,
    metrics,
    // An IDE for analysts exploring the schema: on where developers work, opt-in in production.
    graphiql: (config.GATEWAY_GRAPHIQL ?? (config.NODE_ENV === 'production' ? 'off' : 'on')) === 'on',
    workers,
    live,
  };
}

/** The http(s) URLs of the variables named like `pattern`, by the key it captures. */
function urlsByKey(env: NodeJS.ProcessEnv, pattern: RegExp, issues: string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const key = pattern.exec(name)?.[1];
    if (!key || !value) continue;
    if (!z.url({ protocol: /^https?$/ }).safeParse(value).success) issues.push(`${name}: URL http(s) attendue`);
    urls[key] = value;
  }
  return urls;
}

const WORKERS = /^(auto|[1-9][0-9]{0,2})$/;

/**
 * `GATEWAY_WORKERS`: a number of processes, or `auto` for one per CPU this process may use. In
 * production more than one needs `REDIS_URL`: without it each process counts rate limits on its
 * own, so a client would get one sign-in budget per process (R6). Checked for `auto` too, so a
 * configuration valid on a one-CPU staging machine is valid on a bigger one.
 */
function readWorkers(env: NodeJS.ProcessEnv, http: HttpConfig, issues: string[]): number {
  const value = env.GATEWAY_WORKERS?.trim() || '1';
  if (!WORKERS.test(value)) {
    issues.push('GATEWAY_WORKERS: un nombre de processus (entier de 1 à 999) ou auto attendu');
    return 1;
  }
  if (value !== '1' && env.NODE_ENV === 'production' && !http.rateLimit.redisUrl) {
    issues.push(
      `GATEWAY_WORKERS=${value} exige REDIS_URL en production : sans Redis, chaque processus compte les limites de débit à part et un client obtient autant de budgets que de processus`,
    );
  }
  return value === 'auto' ? availableParallelism() : Number(value);
}

/** The routing URL of a subgraph: `<NAME>_SUBGRAPH_URL` when set, else the supergraph's. */
export function subgraphUrl(config: GatewayConfig, name: string, supergraphUrl: string): string {
  return config.subgraphUrls[subgraphVariables(name).key] ?? supergraphUrl;
}

/** A subgraph's own health URL for readiness (`<NAME>_SUBGRAPH_HEALTH_URL`), if the operator gave one. */
export function subgraphHealthUrl(config: GatewayConfig, name: string): string | undefined {
  return config.subgraphHealthUrls[subgraphVariables(name).key];
}
