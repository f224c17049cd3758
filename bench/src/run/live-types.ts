/** The live worker's jobs (orchestrator → worker) and answers, over IPC. */

/** Opens one graphql-sse subscription per token, all on `streamUrl`; answers once each is open or refused. */
export interface OpenJob {
  type: 'open';
  id: number;
  streamUrl: string;
  query: string;
  tokens: string[];
}

/** One event to raise: a mutation sent as `token`, its variables. */
export interface DriveRequest {
  token: string;
  variables: Record<string, unknown>;
}

/**
 * Sends `requests` through the gateway at `eventsPerSecond`, open loop (each at its time, whether
 * or not the previous answered), until they run out or `seconds` have passed.
 */
export interface DriveJob {
  type: 'drive';
  id: number;
  url: string;
  query: string;
  requests: DriveRequest[];
  eventsPerSecond: number;
  seconds: number;
}

/** Waits until every expected (event, stream) pair has arrived or `timeoutMs` passed, then `graceMs` more for duplicates. */
export interface CollectJob {
  type: 'collect';
  id: number;
  /** [event id, stream index]. */
  expected: Array<[string, number]>;
  timeoutMs: number;
  graceMs: number;
}

export interface CloseJob {
  type: 'close';
  id: number;
}

export type LiveJob = OpenJob | DriveJob | CollectJob | CloseJob;

/** One mutation sent: when (ms since the epoch, the machine's clock), and what it filed. */
export interface Filed {
  index: number;
  sentAt: number;
  answeredAt: number;
  /** The record the mutation created (its event's subject); absent when it failed. */
  subjectId?: string;
  problem?: string;
}

/** One `next` message parsed by a stream's client. */
export interface Receipt {
  eventId: string;
  stream: number;
  /** ms since the epoch when the client had parsed it. */
  at: number;
}

export type LiveAnswer =
  | { type: 'ready' }
  | { type: 'opened'; id: number; opened: number; refused: string[] }
  | { type: 'driven'; id: number; filed: Filed[]; elapsedMs: number }
  | { type: 'collected'; id: number; receipts: Receipt[]; errorEvents: string[]; errorsByStream: Array<[number, number]>; ended: number; waitedMs: number }
  | { type: 'closed'; id: number }
  | { type: 'failed'; id: number; message: string };

/** Milliseconds since the epoch with the monotonic clock's resolution: receipts and database times compare on one machine. */
export const epochMs = (): number => performance.timeOrigin + performance.now();
