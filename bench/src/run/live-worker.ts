// The live scenario's clients (issue 19), in a process of their own, not the gateway's: the
// subscriptions, each over graphql-sse's own client in distinct connections mode as a front end
// holds one, and the mutations that raise the events, at a steady pace. A delivery counts when
// the client has parsed its `next` message.
import { createClient, type Client } from 'graphql-sse';
import { epochMs, type CollectJob, type DriveJob, type Filed, type LiveAnswer, type LiveJob, type OpenJob, type Receipt } from './live-types';

interface Held {
  client: Client;
  dispose: () => void;
  ended: boolean;
}

const held: Held[] = [];
let receipts: Receipt[] = [];
let errorEvents: string[] = [];
/** `next` messages without a notification (SERVICE_UNAVAILABLE: the gateway could not judge one), per stream. */
let errorsByStream = new Map<number, number>();
/** Pairs seen, as `eventId|stream`, to tell when every expected one has come. */
const seen = new Set<string>();

const reply = (answer: LiveAnswer) => process.send?.(answer);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stream neither open nor refused by then is reported as refused, rather than the bench waiting for ever. */
const OPEN_TIMEOUT_MS = 120_000;

function open(job: OpenJob): Promise<Extract<LiveAnswer, { type: 'opened' }>> {
  return new Promise((resolve) => {
    let settled = 0;
    let opened = 0;
    const refused: string[] = [];
    const timer = setTimeout(() => {
      refused.push(`${job.tokens.length - settled} streams neither open nor refused after ${OPEN_TIMEOUT_MS / 1000} s`);
      resolve({ type: 'opened', id: job.id, opened, refused });
    }, OPEN_TIMEOUT_MS);
    const settle = () => {
      settled += 1;
      if (settled === job.tokens.length) {
        clearTimeout(timer);
        resolve({ type: 'opened', id: job.id, opened, refused });
      }
    };
    if (job.tokens.length === 0) {
      clearTimeout(timer);
      resolve({ type: 'opened', id: job.id, opened, refused });
    }
    job.tokens.forEach((token, offset) => {
      const stream = held.length;
      const client = createClient({ url: job.streamUrl, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
      let counted = false;
      const entry: Held = { client, dispose: () => undefined, ended: false };
      entry.dispose = client.subscribe<{ notifications?: { id?: string } }>(
        { query: job.query },
        {
          next: (value) => {
            const eventId = value.data?.notifications?.id;
            if (value.errors || typeof eventId !== 'string') {
              errorsByStream.set(stream, (errorsByStream.get(stream) ?? 0) + 1);
              if (errorEvents.length < 5) errorEvents.push(JSON.stringify(value).slice(0, 300));
              return;
            }
            receipts.push({ eventId, stream, at: epochMs() });
            seen.add(`${eventId}|${stream}`);
          },
          error: (error: unknown) => {
            entry.ended = true;
            if (!counted) {
              counted = true;
              if (refused.length < 5) refused.push(`stream ${offset}: ${error instanceof Error ? error.message : JSON.stringify(error)}`.slice(0, 300));
              else refused.push('');
              settle();
            }
          },
          complete: () => {
            entry.ended = true;
          },
        },
        {
          connected: () => {
            if (counted) return;
            counted = true;
            opened += 1;
            settle();
          },
        },
      );
      held.push(entry);
    });
  });
}

async function drive(job: DriveJob): Promise<Extract<LiveAnswer, { type: 'driven' }>> {
  const count = Math.min(job.requests.length, Math.round(job.eventsPerSecond * job.seconds));
  const intervalMs = 1000 / job.eventsPerSecond;
  const started = epochMs();
  const sends: Array<Promise<Filed>> = [];
  for (let index = 0; index < count; index += 1) {
    const due = started + index * intervalMs;
    const wait = due - epochMs();
    if (wait > 0) await sleep(wait);
    sends.push(send(job, index));
  }
  const filed = await Promise.all(sends);
  return { type: 'driven', id: job.id, filed, elapsedMs: epochMs() - started };
}

async function send(job: DriveJob, index: number): Promise<Filed> {
  const request = job.requests[index]!;
  const sentAt = epochMs();
  try {
    const response = await fetch(job.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}` },
      body: JSON.stringify({ query: job.query, variables: request.variables }),
    });
    const body = (await response.json()) as { data?: Record<string, { accessRequest?: { id?: string } } | null>; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    const answeredAt = epochMs();
    const payload = body.data ? Object.values(body.data)[0] : undefined;
    const subjectId = payload?.accessRequest?.id;
    if (!response.ok || body.errors || typeof subjectId !== 'string') {
      const problem = body.errors?.map((error) => `${error.extensions?.code ?? '?'}: ${error.message}`).join('; ') ?? `HTTP ${response.status}`;
      return { index, sentAt, answeredAt, problem };
    }
    return { index, sentAt, answeredAt, subjectId };
  } catch (error) {
    return { index, sentAt, answeredAt: epochMs(), problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether every expected pair has come, or its stream received an event without a notification for it. */
function accountedFor(expected: CollectJob['expected']): boolean {
  const unexplained = new Map<number, number>();
  for (const [eventId, stream] of expected) if (!seen.has(`${eventId}|${stream}`)) unexplained.set(stream, (unexplained.get(stream) ?? 0) + 1);
  return [...unexplained].every(([stream, count]) => (errorsByStream.get(stream) ?? 0) >= count);
}

async function collect(job: CollectJob): Promise<Extract<LiveAnswer, { type: 'collected' }>> {
  const started = epochMs();
  while (epochMs() - started < job.timeoutMs && !accountedFor(job.expected)) await sleep(50);
  const waitedMs = epochMs() - started;
  await sleep(job.graceMs);
  const answer = {
    type: 'collected' as const,
    id: job.id,
    receipts,
    errorEvents,
    errorsByStream: [...errorsByStream],
    ended: held.filter((entry) => entry.ended).length,
    waitedMs,
  };
  receipts = [];
  errorEvents = [];
  errorsByStream = new Map();
  seen.clear();
  return answer;
}

function close(): void {
  for (const entry of held.splice(0)) {
    entry.dispose();
    entry.client.dispose();
  }
}

process.on('message', (job: LiveJob) => {
  const run = async (): Promise<LiveAnswer> => {
    switch (job.type) {
      case 'open':
        return open(job);
      case 'drive':
        return drive(job);
      case 'collect':
        return collect(job);
      case 'close':
        close();
        return { type: 'closed', id: job.id };
    }
  };
  run().then(reply, (error: unknown) => reply({ type: 'failed', id: job.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});

// The orchestrator going away ends the worker, and its streams, too.
process.on('disconnect', () => {
  close();
  process.exit(0);
});
reply({ type: 'ready' });
