import { disableApolloTelemetry } from './no-telemetry';
import { listenOn } from '@pgamr/kit/http';
import { createLogger, type Logger } from '@pgamr/kit/logger';
import { closeOnTerminationSignals } from '@pgamr/kit/shutdown';
import { startTracing } from '@pgamr/kit/tracing';
import { joinCluster, reportStartFailure, superviseWorkers, type ClusterWorker } from './cluster';
import { readGatewayConfig, type GatewayConfig } from './config';

const SUBGRAPH_WAIT_MS = 120_000;

async function main(): Promise<void> {
  // Before anything else, in every mode: cluster workers inherit it and set it again themselves.
  disableApolloTelemetry();
  // Read in the primary too: a bad value stops the start with one message, before any fork.
  const config = readGatewayConfig();
  const logger = createLogger('gateway', config.logLevel);
  const worker = joinCluster();
  if (!worker && config.workers > 1) {
    // Production refuses this in config.ts; elsewhere it is a laptop trying workers out.
    if (!config.http.rateLimit.redisUrl) {
      logger.warn({ workers: config.workers }, 'no REDIS_URL: each worker counts rate limits on its own, so a client gets one budget per worker');
    }
    superviseWorkers({ workers: config.workers, logger });
    return;
  }
  await serve(config, worker ? logger.child({ worker: worker.slot }) : logger, worker);
}

/** Builds the gateway and listens: the whole process, or one worker of a cluster. */
async function serve(config: GatewayConfig, logger: Logger, worker: ClusterWorker | undefined): Promise<void> {
  // Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing('gateway');
  // Loaded here rather than at the top: a cluster's primary never builds a gateway, so it need not load Apollo.
  const { buildGateway } = await import('./server.js');
  const { waitForSubgraphs } = await import('./supergraph/subgraph-readiness.js');
  const gateway = await buildGateway(config, logger);
  worker?.attach(gateway.app, gateway.metrics.registry);
  const address = await listenOn(gateway.app, { host: config.host, port: config.port, variable: 'GATEWAY_PORT' });
  logger.info({ url: `${address}/graphql`, supergraph: config.supergraphPath }, 'gateway listening');
  worker?.listening(`${address}/graphql`);
  // The gateway listens while it reads a provider's discovery document (retried while the provider
  // is down); a document that names another issuer is a configuration error, found only now.
  gateway.tokens.settled.catch(startFailed);

  // In a cluster, the primary forwards SIGTERM; a terminal's Ctrl-C reaches every process of the group.
  const stopping = closeOnTerminationSignals(logger, async () => {
    // Stops taking connections, lets requests in flight finish, then stops Apollo and the gateway.
    await gateway.close();
    await tracing?.shutdown();
  });

  // One report per cluster is enough (every worker reaches the same subgraphs).
  if (worker && worker.slot !== 1) return;
  // The gateway serves as soon as it listens; this only tells the operator when every subgraph answers.
  const ready = await waitForSubgraphs(() => gateway.subgraphs(), logger, { deadlineMs: SUBGRAPH_WAIT_MS, stopped: stopping });
  if (ready) logger.info({ url: `${address}/graphql` }, 'gateway ready: every subgraph answers');
}

/** Stops the process on what prevents the gateway from starting, with its reason in French. */
function startFailed(error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  // A worker leaves the message to the primary, which prints it once for the whole cluster.
  if (joinCluster()) return reportStartFailure(reason);
  console.error(`[gateway] démarrage impossible : ${reason}`);
  process.exit(1);
}

main().catch(startFailed);
