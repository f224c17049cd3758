import { readSubgraphConfig } from './config';
import { createLogger } from './logger';
import { buildSubgraph, type SubgraphDefinition } from './subgraph';
import { startTracing } from './tracing';

/**
 * The whole of a subgraph's `index.ts`: reads its configuration, builds it, listens, and shuts
 * down gracefully on SIGTERM/SIGINT (in-flight requests finish, then the database closes).
 */
export function runSubgraph<TLoaders, TServices>(
  definition: SubgraphDefinition<TLoaders, TServices>,
  defaultPort: number,
): void {
  start(definition, defaultPort).catch((error: unknown) => {
    // Configuration and start-up failures end the process with a readable reason, not a stack.
    console.error(`[${definition.name}] démarrage impossible : ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

async function start<TLoaders, TServices>(
  definition: SubgraphDefinition<TLoaders, TServices>,
  defaultPort: number,
): Promise<void> {
  const config = readSubgraphConfig(definition.name, defaultPort);
  const logger = createLogger(definition.name, config.logLevel);
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = startTracing(definition.name);
  logger.info(
    { database: config.database.kind === 'embedded' ? `embarquée (${config.database.dataDir})` : 'postgresql' },
    'starting',
  );
  const subgraph = await buildSubgraph(definition, {
    database: config.database,
    logger,
    seedDemoData: config.seedDemoData,
    jwksUrl: config.jwksUrl,
    sessionsUrl: config.sessionsUrl,
    jwksCooldownMs: config.jwksCooldownMs,
    tokenCacheMs: config.tokenCacheMs,
    rightsUrl: config.rightsUrl,
    directoryUrl: config.directoryUrl,
    mandatesUrl: config.mandatesUrl,
    production: config.production,
    limits: config.limits,
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
  });
  const address = await subgraph.app.listen({ host: config.host, port: config.port });
  logger.info({ url: `${address}/graphql` }, 'subgraph ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await subgraph.close();
      await tracing?.shutdown();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
