import type { Logger } from './logger';

/**
 * The graceful stop of the gateway and of every subgraph, the same for each: on SIGTERM (an
 * orchestrator, a cluster's primary, `npm start`) or SIGINT (a terminal's Ctrl-C), `close` lets
 * requests in flight finish and releases what the process holds; the process then exits 0, or 1
 * when closing failed. A second signal while it closes changes nothing. Returns whether the stop
 * has begun, for background work that should give up with it.
 */
export function closeOnTerminationSignals(logger: Logger, close: () => Promise<void>): () => boolean {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal));
  return () => stopping;
}
