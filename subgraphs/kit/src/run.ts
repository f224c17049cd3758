import { readSubgraphConfig, type SubgraphConfig } from './config';
import type { PeerClientName } from './context';
import { isDatabaseUnavailable } from './errors';
import { createEventBus } from './events/bus';
import type { EventBus } from './events/contract';
import { listenOn } from './http';
import { createLogger, type Logger } from './logger';
import { closeOnTerminationSignals } from './shutdown';
import { buildSubgraph, type BuiltSubgraph, type SubgraphDefinition } from './subgraph';
import { startTracing } from './tracing';

/**
 * The whole of a subgraph's `index.ts`: reads its configuration, builds it, listens, and shuts
 * down gracefully on SIGTERM/SIGINT (in-flight requests finish, then the database closes).
 */
export function runSubgraph<TLoaders, TServices, TClients extends PeerClientName = never>(
  definition: SubgraphDefinition<TLoaders, TServices, TClients>,
  defaultPort: number,
): void {
  start(definition, defaultPort).catch((error: unknown) => {
    // Configuration and start-up failures end the process with a readable reason, not a stack.
    console.error(`[${definition.name}] démarrage impossible : ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

async function start<TLoaders, TServices, TClients extends PeerClientName = never>(
  definition: SubgraphDefinition<TLoaders, TServices, TClients>,
  defaultPort: number,
): Promise<void> {
  const config = readSubgraphConfig(definition.name, defaultPort, process.env, definition.clients, Boolean(definition.events || definition.consumesEvents));
  const logger = createLogger(definition.name, config.logLevel);
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing(definition.name);
  logger.info(
    { database: config.database.kind === 'embedded' ? `embarquée (${config.database.dataDir})` : 'postgresql' },
    'starting',
  );
  // What the process took before this line: loading its bundle (Node's start, then every module).
  const loadedAfterMs = Math.round(performance.now());
  const eventBus = await eventBusOf(definition, config, logger);
  const subgraph = await buildWhenDatabaseAnswers(definition, config, logger, eventBus);
  const address = await listenOn(subgraph.app, { host: config.host, port: config.port, variable: config.variables.port });
  // Where a start's time goes, phase by phase; the bench's start measurement reads it (issue 16).
  const startupMs = { modules: loadedAfterMs, ...subgraph.builtInMs, total: Math.round(performance.now()) };
  logger.info({ url: `${address}/graphql`, startupMs }, 'subgraph ready');

  closeOnTerminationSignals(logger, async () => {
    await subgraph.close();
    await eventBus?.close();
    await tracing?.shutdown();
  });
}

/**
 * The process's event bus, for a subgraph that raises or consumes events and has one configured;
 * a broker that does not answer yet is waited for like the database (the client reconnects by
 * itself once connected).
 */
async function eventBusOf<TLoaders, TServices, TClients extends PeerClientName = never>(
  definition: SubgraphDefinition<TLoaders, TServices, TClients>,
  config: SubgraphConfig,
  logger: Logger,
): Promise<EventBus | undefined> {
  if (!definition.events && !definition.consumesEvents) return undefined;
  if (!config.eventBus.natsUrl && !config.eventBus.databaseUrl) return undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await createEventBus(config.eventBus, logger);
    } catch (error) {
      const delayMs = Math.min(MAX_DATABASE_RETRY_MS, 1000 * 2 ** (attempt - 1));
      logger.warn({ attempt, retryInMs: delayMs, err: error }, `event bus (${config.eventBus.natsUrl ? 'NATS_URL' : 'EVENT_BUS_DATABASE_URL'}) does not answer; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** The longest wait between two attempts to reach a database that does not answer. */
const MAX_DATABASE_RETRY_MS = 30_000;

/**
 * Builds the subgraph, waiting for its database as long as it does not answer (down, starting,
 * unreachable for now): attempts spaced 1 s, 2 s, 4 s… up to 30 s, each logged, so that a
 * subgraph started before its database comes up by itself. Any other database failure (refused
 * password, missing database, unknown host) stops the start with the variable to correct.
 */
async function buildWhenDatabaseAnswers<TLoaders, TServices, TClients extends PeerClientName = never>(
  definition: SubgraphDefinition<TLoaders, TServices, TClients>,
  config: SubgraphConfig,
  logger: Logger,
  eventBus: EventBus | undefined,
): Promise<BuiltSubgraph> {
  const options = {
    ...(eventBus ? { eventBus } : {}),
    database: config.database,
    logger,
    seedDemoData: config.seedDemoData,
    jwksUrl: config.jwksUrl,
    sessionsUrl: config.sessionsUrl,
    ...(config.sessionAssertionSecret ? { sessionAssertionSecret: config.sessionAssertionSecret } : {}),
    jwksCooldownMs: config.jwksCooldownMs,
    tokenCacheMs: config.tokenCacheMs,
    rightsUrl: config.rightsUrl,
    ...(config.directoryUrl ? { directoryUrl: config.directoryUrl } : {}),
    ...(config.mandatesUrl ? { mandatesUrl: config.mandatesUrl } : {}),
    catalogUrl: config.catalogUrl,
    ...(config.catalogToken ? { catalogToken: config.catalogToken } : {}),
    production: config.production,
    limits: config.limits,
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await buildSubgraph(definition, options);
    } catch (error) {
      if (config.database.kind !== 'postgresql') throw error;
      const where = `${config.variables.databaseUrl} (${describeDatabase(config.database.url)})`;
      const reason = fatalDatabaseReason(error);
      if (reason) throw new Error(`la base de données de ${where} refuse la connexion : ${reason}.`, { cause: error });
      if (!isDatabaseUnavailable(error)) throw error;
      const delayMs = Math.min(MAX_DATABASE_RETRY_MS, 1000 * 2 ** (attempt - 1));
      logger.warn({ attempt, retryInMs: delayMs, database: where, err: error }, `database ${where} does not answer; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Host, port and database of a URL, without its password. */
function describeDatabase(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** A database failure no wait will cure, in French: the operator must correct the URL. */
function fatalDatabaseReason(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const code = 'code' in current ? current.code : undefined;
    if (code === '28P01' || code === '28000') return "l'utilisateur ou le mot de passe est refusé";
    if (code === '3D000') return "cette base de données n'existe pas";
    if (code === 'ENOTFOUND') return "l'hôte est introuvable";
    current = ('cause' in current ? current.cause : undefined) ?? ('originalError' in current ? current.originalError : undefined);
  }
  return undefined;
}
