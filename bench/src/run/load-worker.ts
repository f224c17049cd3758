// The load generator, in a process of its own so that its CPU never counts as the orchestrator's
// and its event loop is not shared with metric scraping. It takes jobs over IPC, one at a time.
import { loadDirect } from './direct-load';
import { loadGateway } from './gateway-load';
import type { LoadJob, WorkerMessage } from './load-types';

function reply(message: WorkerMessage): void {
  process.send?.(message);
}

process.on('message', (job: LoadJob) => {
  const run = job.target.kind === 'gateway' ? loadGateway(job, job.target.url) : loadDirect(job, job.target.plan, job.target.subgraphUrls);
  run.then(
    (result) => reply({ type: 'result', result }),
    (error: unknown) => reply({ type: 'failed', id: job.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});

// The orchestrator going away ends the worker too.
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
