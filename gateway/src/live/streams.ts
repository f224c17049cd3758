import { randomUUID } from 'node:crypto';
import { IdentityRole, unauthenticated, type Authentication, type VerifyAuthorization, type Viewer } from '@pgamr/kit/auth';
import { systemClock, type Clock } from '@pgamr/kit/clock';
import { domainError, ErrorCode, serviceUnavailable } from '@pgamr/kit/errors';
import { catalogEntry, isCatalogCode } from '@pgamr/kit/error-catalog';
import type { Audience, NotificationDelivered, SessionEnded } from '@pgamr/kit';
import { decodeJwt } from 'jose';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from '../auth/gateway-context';
import type { LiveConfig } from './config';
import { publicError } from './gate';
import type { LiveOperation } from './operation';

/** One event of a stream, as the client receives it: the subscription's answer for one notification. */
export interface LiveEvent {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * Why a stream ended. The transports tell the client: `session-ended` and `token-expired` close
 * with UNAUTHENTICATED (WebSocket 4401), `overflow` as a client too slow to read, `idle` and
 * `shutdown` as a plain end, `client` when the client went away.
 */
export type EndReason = 'session-ended' | 'token-expired' | 'overflow' | 'idle' | 'shutdown' | 'client';

/** Who holds a stream: a verified token's viewer, and what the gateway forwards for them. */
export interface LiveSubscriber {
  viewer: Viewer;
  /** The Authorization header the stream was opened with (re-verified for every event). */
  authorization: string;
  /** The verified token (its expiry ends the stream). */
  token: string;
  clientAddress: string;
}

/** Runs one notification's query through Apollo Server, with the subscriber's context. */
export type RunQuery = (operation: LiveOperation, notificationId: string, context: GatewayContext) => Promise<LiveEvent>;

export interface LiveHubDependencies {
  config: Pick<LiveConfig, 'maxStreamsPerUser' | 'idleTimeoutMs' | 'queueLimit'>;
  /** The gateway's own verification: signature, dates and identity's session state. */
  verify: VerifyAuthorization;
  assertSession?: (viewer: Viewer, requestId: string) => string;
  runQuery: RunQuery;
  logger: Logger;
  clock?: Clock;
}

/** A stream as its transport sees it: the events to send, in order, until it ends. */
export interface LiveStream extends AsyncIterableIterator<LiveEvent> {
  readonly subscriber: LiveSubscriber;
  /** Why it ended; undefined while it lives. */
  readonly endedBy: EndReason | undefined;
  end(reason: EndReason): void;
  /** The client went away (or stopped the subscription): the stream ends. */
  return(): Promise<IteratorResult<LiveEvent>>;
  /** As `return`: graphql-ws stops an operation through either. */
  throw(error?: unknown): Promise<IteratorResult<LiveEvent>>;
}

/** setTimeout's longest delay; a later token expiry is checked again then. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The live streams of one gateway process. Every replica follows the bus (`deliver`,
 * `endSessions`) and serves its own streams: a notification raised through any replica reaches
 * the subscribers of all. A notification is offered to the streams whose subscriber its
 * audiences can include (a cheap pre-selection on the token's claims); whether they may read it
 * is decided when it is delivered, by the notifications subgraph's rules, through the query the
 * gateway runs with their token.
 */
export class LiveHub {
  private readonly streams = new Set<Stream>();
  private readonly byUser = new Map<string, Set<Stream>>();
  private readonly clock: Clock;

  constructor(private readonly dependencies: LiveHubDependencies) {
    this.clock = dependencies.clock ?? systemClock;
  }

  /** Streams open now (the metrics and the bench read it). */
  get size(): number {
    return this.streams.size;
  }

  /** Opens a stream, or throws TOO_MANY_STREAMS when this user holds the most allowed on this process. */
  open(subscriber: LiveSubscriber, operation: LiveOperation, onEnd: (reason: EndReason) => void = () => undefined): LiveStream {
    const userId = subscriber.viewer.userId;
    const held = this.byUser.get(userId) ?? new Set<Stream>();
    const { maxStreamsPerUser } = this.dependencies.config;
    if (held.size >= maxStreamsPerUser) throw tooManyStreams(maxStreamsPerUser);
    const stream = new Stream(subscriber, operation, this.dependencies, this.clock, (ended, reason) => {
      this.streams.delete(ended);
      const streams = this.byUser.get(userId);
      streams?.delete(ended);
      if (streams?.size === 0) this.byUser.delete(userId);
      onEnd(reason);
    });
    this.streams.add(stream);
    this.byUser.set(userId, held.add(stream));
    return stream;
  }

  /** A notification written to the inbox: offered to each local stream whose subscriber its audiences can include. */
  deliver(notification: NotificationDelivered): void {
    const candidates = onlyUsers(notification.audiences)
      ? notification.audiences.flatMap((audience) => (audience.kind === 'USERS' ? audience.userIds.flatMap((id) => [...(this.byUser.get(id) ?? [])]) : []))
      : [...this.streams].filter((stream) => notification.audiences.some((audience) => mayInclude(audience, stream.subscriber.viewer)));
    for (const stream of new Set(candidates)) stream.push(notification.notificationId);
  }

  /** R2, R6: a session signed out (or every session of a suspended user) ends its streams now. */
  endSessions(ended: SessionEnded): void {
    for (const stream of [...(this.byUser.get(ended.userId) ?? [])]) {
      if (ended.sessionId === null || stream.subscriber.viewer.sessionId === ended.sessionId) stream.end('session-ended');
    }
  }

  /** Ends every stream (the gateway is stopping). */
  close(): void {
    for (const stream of [...this.streams]) stream.end('shutdown');
  }
}

/** Whether every audience names its users: then only their streams are looked at. */
const onlyUsers = (audiences: readonly Audience[]) => audiences.every((audience) => audience.kind === 'USERS');

const isStaff = (viewer: Viewer) => viewer.roles.includes(IdentityRole.MinistryStaff) && viewer.direction !== undefined;

/**
 * Whether `viewer` can be in `audience` at all, from their token alone. Never the decision (the
 * notifications subgraph's rules are): only who is not worth asking.
 */
export function mayInclude(audience: Audience, viewer: Viewer): boolean {
  switch (audience.kind) {
    case 'USERS':
      return audience.userIds.includes(viewer.userId);
    case 'FIRM_RSE':
      return viewer.roles.includes(IdentityRole.Rse) && viewer.organizationId === audience.firmOrganizationId;
    case 'OWNER_STAFF':
      return isStaff(viewer);
    case 'SERVICE_USERS':
    case 'SERVICE_ROLES':
      return viewer.organizationId === audience.organizationId || isStaff(viewer);
    case 'SERVICE_ROLES_EXCEPT':
      // R13, R18: roles held for any organization but a few, which the token does not tell (a
      // mandataire holds roles for the bodies of their mandates): every subscriber is asked. It
      // goes to every stream twice a year (the PERFORM deadline's notices).
      return true;
  }
}

export function tooManyStreams(limit: number): GraphQLError {
  return domainError(
    ErrorCode.TooManyStreams,
    `Vous avez déjà ${limit} flux de notifications ouverts, le maximum permis : fermez-en un avant d'en ouvrir un autre.`,
    { limit, http: { status: 429 } },
  );
}

/**
 * One subscription's stream: notification ids wait in a bounded queue; each is turned into an
 * event only when the transport asks for the next one (so a notification is judged when it is
 * delivered, and a slow client costs a queue of ids, never of answers). A client that lets the
 * queue fill up gets its stream closed rather than the gateway's memory growing.
 */
class Stream implements LiveStream {
  private readonly pending: string[] = [];
  private wake: (() => void) | undefined;
  private final: LiveEvent | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  endedBy: EndReason | undefined;

  constructor(
    readonly subscriber: LiveSubscriber,
    private readonly operation: LiveOperation,
    private readonly dependencies: LiveHubDependencies,
    private readonly clock: Clock,
    private readonly onEnd: (stream: Stream, reason: EndReason) => void,
  ) {
    this.armIdle();
    this.armExpiry();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  push(notificationId: string): void {
    if (this.endedBy) return;
    if (this.pending.length >= this.dependencies.config.queueLimit) {
      this.dependencies.logger.warn({ userId: this.subscriber.viewer.userId, queued: this.pending.length }, 'live stream closed: its client does not read');
      this.end('overflow');
      return;
    }
    this.pending.push(notificationId);
    this.wakeUp();
  }

  end(reason: EndReason): void {
    if (this.endedBy) return;
    this.endedBy = reason;
    this.pending.length = 0;
    clearTimeout(this.idleTimer);
    clearTimeout(this.expiryTimer);
    if (reason === 'session-ended') this.final = { errors: [formatted(unauthenticated({ status: 'rejected', reason: 'ended' }))] };
    if (reason === 'token-expired') this.final = { errors: [formatted(unauthenticated({ status: 'rejected', reason: 'expired' }))] };
    this.wakeUp();
    this.onEnd(this, reason);
  }

  async next(): Promise<IteratorResult<LiveEvent>> {
    for (;;) {
      if (this.endedBy) {
        const final = this.final;
        this.final = undefined;
        return final ? { value: final, done: false } : { value: undefined, done: true };
      }
      const notificationId = this.pending.shift();
      if (notificationId === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const event = await this.evaluate(notificationId);
      if (event && !this.endedBy) {
        this.armIdle();
        return { value: event, done: false };
      }
    }
  }

  async return(): Promise<IteratorResult<LiveEvent>> {
    this.end('client');
    this.final = undefined;
    return { value: undefined, done: true };
  }

  async throw(): Promise<IteratorResult<LiveEvent>> {
    return this.return();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /**
   * The event for one notification, or undefined when this subscriber may not read it now. The
   * session is asked of identity again (as for every request), then the query runs through the
   * gateway's pipeline with the subscriber's token: the notifications subgraph answers null for
   * a notification whose audiences do not include them now, and nothing is sent.
   */
  private async evaluate(notificationId: string): Promise<LiveEvent | undefined> {
    const { verify, assertSession, logger } = this.dependencies;
    let auth: Authentication;
    try {
      auth = await verify(this.subscriber.authorization);
    } catch (error) {
      logger.warn({ err: error }, 'live stream: the token could not be checked');
      auth = { status: 'unavailable' };
    }
    if (auth.status === 'rejected' || auth.status === 'anonymous') {
      this.end(auth.status === 'rejected' && auth.reason === 'expired' ? 'token-expired' : 'session-ended');
      return undefined;
    }
    // Whether this subscriber may read it cannot be told now: they are told to read their inbox again later.
    if (auth.status === 'unavailable') return { data: null, errors: [formatted(unauthenticated(auth))] };
    const requestId = randomUUID();
    const context: GatewayContext & { clientAddress: string } = {
      requestId,
      auth,
      authorization: this.subscriber.authorization,
      clientAddress: this.subscriber.clientAddress,
      ...(assertSession ? { sessionAssertion: assertSession(auth.viewer, requestId) } : {}),
    };
    let event: LiveEvent;
    try {
      event = await this.dependencies.runQuery(this.operation, notificationId, context);
    } catch (error) {
      logger.error({ err: error, requestId }, 'live stream: a notification could not be evaluated');
      return { data: null, errors: [formatted(serviceUnavailable())] };
    }
    const key = Object.keys(event.data ?? {})[0];
    const notification = key === undefined ? undefined : event.data?.[key];
    if (notification !== null && notification !== undefined) return event;
    // Null because it could not be judged (an outage, an unexpected error): the client is told
    // to read its inbox again rather than lose the event without a word. Null otherwise: the
    // rules say this subscriber may not read it now (R20), and nothing is sent.
    const retryable = event.errors?.filter(isRetryable) ?? [];
    return retryable.length > 0 ? { data: null, errors: retryable } : undefined;
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.end('idle'), Math.min(this.dependencies.config.idleTimeoutMs, MAX_TIMER_MS));
    this.idleTimer.unref();
  }

  /** The token's expiry ends the stream: the client opens another with a fresh token. */
  private armExpiry(): void {
    const { exp } = decodeJwt(this.subscriber.token);
    if (typeof exp !== 'number') return;
    const remainingMs = exp * 1000 - this.clock.now().getTime();
    if (remainingMs <= 0) {
      queueMicrotask(() => this.end('token-expired'));
      return;
    }
    this.expiryTimer = setTimeout(() => (remainingMs > MAX_TIMER_MS ? this.armExpiry() : this.end('token-expired')), Math.min(remainingMs, MAX_TIMER_MS));
    this.expiryTimer.unref();
  }
}

const formatted = (error: GraphQLError): GraphQLFormattedError => publicError(error);

/** Whether an error says « try again » (the catalog's SERVICE_UNAVAILABLE, INTERNAL_SERVER_ERROR…), never a refusal. */
function isRetryable(error: GraphQLFormattedError): boolean {
  const code = error.extensions?.code;
  if (typeof code !== 'string' || !isCatalogCode(code)) return false;
  const { retry } = catalogEntry(code);
  return retry === 'later' || retry === 'perhaps';
}
