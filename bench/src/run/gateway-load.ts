import autocannon from 'autocannon';
import { checkResponse } from './checks';
import { ErrorLog, ItemCursor, LatencyRecorder, type LoadJob, type LoadResult } from './load-types';

interface RequestContext {
  index?: number;
}

/**
 * One autocannon run against a gateway. Every request takes the next item across all
 * connections (a different user each time), and every answer is checked against the scenario.
 */
export function loadGateway(job: LoadJob, url: string): Promise<LoadResult> {
  const bodies = job.items.map((item) => JSON.stringify({ operationName: job.operationName, query: job.query, variables: item.variables }));
  const headers = job.tokens.map((token) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` }));
  const cursor = new ItemCursor(job.items.length, job.once);
  const latencies = new LatencyRecorder();
  const errors = new ErrorLog();
  let responses = 0;
  let empty = 0;

  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url,
        connections: job.connections,
        pipelining: 1,
        duration: job.durationSeconds,
        timeout: 30,
        // A `once` run may not send more requests than it has items.
        ...(job.once ? { maxOverallRequests: job.items.length } : {}),
        requests: [
          {
            method: 'POST',
            setupRequest: (request, context: RequestContext) => {
              const index = cursor.take();
              if (index === undefined) errors.add('more requests than items in a once-only run');
              context.index = index ?? 0;
              const item = job.items[context.index]!;
              return { ...request, headers: headers[item.token], body: bodies[context.index] };
            },
            onResponse: (status, body, context: RequestContext) => {
              responses += 1;
              const item = job.items[context.index ?? 0]!;
              const result = checkResponse(job.scenario, status, body, item.meta);
              if (result.problem) errors.add(result.problem);
              else if (result.empty) empty += 1;
            },
          },
        ],
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error('autocannon failed'));
        const elapsedMs = performance.now() - started;
        // Connection errors and time-outs (counted in `errors`) never reach onResponse.
        for (let i = 0; i < result.errors; i += 1) errors.add('connection error or time-out');
        resolve({
          id: job.id,
          sent: cursor.taken,
          responses,
          elapsedMs,
          latencyMs: latencies.summary(),
          errors: errors.count,
          errorSamples: errors.samples,
          empty,
          exhausted: cursor.exhausted,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.record(responseTime));
  });
}
