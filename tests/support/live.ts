import { waitFor } from '@pgamr/kit/testing';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

/** One event as a client receives it. */
export interface LiveEventSeen {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** A subscription held by a test, as a front end would: every event it receives, and how it ended. */
export interface LiveSubscriber {
  events: LiveEventSeen[];
  /** Set when the stream ended: `complete`, or the error (a refused stream, a closed socket). */
  ended: { how: 'complete' } | { how: 'error'; error: unknown } | undefined;
  /** graphql-ws only: the socket's close code, once closed. */
  closeCode?: number;
  /** Waits until `count` events have arrived. */
  received(count: number, description: string): Promise<LiveEventSeen[]>;
  /** Waits until the stream has ended. */
  endedBy(description: string): Promise<NonNullable<LiveSubscriber['ended']>>;
  close(): void;
}

function subscriber(): LiveSubscriber & { sink: { next(value: unknown): void; error(error: unknown): void; complete(): void } } {
  const seen: LiveSubscriber & { sink: { next(value: unknown): void; error(error: unknown): void; complete(): void } } = {
    events: [],
    ended: undefined,
    async received(count, description) {
      await waitFor(() => seen.events.length >= count || seen.ended !== undefined, { timeoutMs: 60_000, description });
      if (seen.events.length < count) throw new Error(`${description}: the stream ended (${JSON.stringify(seen.ended)}) after ${JSON.stringify(seen.events)}`);
      return seen.events;
    },
    async endedBy(description) {
      await waitFor(() => seen.ended !== undefined, { timeoutMs: 60_000, description });
      return seen.ended!;
    },
    close: () => undefined,
    sink: {
      next: (value) => void seen.events.push(value as LiveEventSeen),
      error: (error) => (seen.ended ??= { how: 'error', error }),
      complete: () => (seen.ended ??= { how: 'complete' }),
    },
  };
  return seen;
}

/** A subscription over graphql-sse's own client (distinct connections mode) on `POST /graphql/stream`. */
export function subscribeSse(gatewayUrl: string, authorization: string, query: string, variables: Record<string, unknown> = {}): LiveSubscriber {
  const seen = subscriber();
  const client = createSseClient({ url: gatewayUrl.replace(/\/graphql$/, '/graphql/stream'), headers: { authorization }, retryAttempts: 0 });
  const dispose = client.subscribe({ query, variables }, seen.sink);
  seen.close = () => {
    dispose();
    client.dispose();
  };
  return seen;
}

/** A subscription over graphql-ws's own client on the gateway's `/graphql` WebSocket. */
export function subscribeWs(gatewayUrl: string, authorization: string, query: string, variables: Record<string, unknown> = {}): LiveSubscriber {
  const seen = subscriber();
  const client = createWsClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => void (seen.closeCode = (event as { code: number }).code) },
    // A close the test expects (4401, 1013) is in closeCode and `ended`, not printed to the console.
    onNonLazyError: () => undefined,
  });
  const dispose = client.subscribe({ query, variables }, seen.sink);
  seen.close = () => {
    dispose();
    void client.dispose();
  };
  return seen;
}

/** Whether the gateway has opened the user's streams: it answers the stream limit only once they count. */
export const opened = (subscribers: LiveSubscriber[]) => subscribers.every((one) => one.ended === undefined);
