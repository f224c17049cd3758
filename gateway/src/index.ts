import { disableApolloTelemetry } from './no-telemetry';
import { createLogger } from '@pgamr/kit/logger';
import { startTracing } from '@pgamr/kit/tracing';
import { readGatewayConfig } from './config';
import { buildGateway } from './server';
import { checkSubgraphs } from './supergraph/subgraph-readiness';

const SUBGRAPH_WAIT_MS = 120_000;

async function main(): Promise<void> {
  disableApolloTelemetry();
  const config = readGatewayConfig();
  const logger = createLogger('gateway', config.logLevel);
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = startTracing('gateway');
  const gateway = await buildGateway(config, logger);
  const address = await gateway.app.listen({ host: config.host, port: config.port });
  logger.info({ url: `${address}/graphql`, supergraph: config.supergraphPath }, 'gateway listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await gateway.close();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  // The gateway serves as soon as it listens; this only tells the operator when every subgraph answers.
  const deadline = Date.now() + SUBGRAPH_WAIT_MS;
  while (!stopping && Date.now() < deadline) {
    const states = await checkSubgraphs(gateway.subgraphs());
    if (states.every((state) => state.ready)) {
      logger.info({ url: `${address}/graphql` }, 'gateway ready: every subgraph answers');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!stopping) logger.warn('some subgraphs are still not ready; the gateway serves what it can');
}

main().catch((error: unknown) => {
  console.error(`[gateway] démarrage impossible : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
