/*
 * Issue 19: the contract between the subgraphs that raise events, the notifications subgraph that
 * keeps each user's inbox, and the gateways that stream them live. Types and names only: the bus
 * (NATS JetStream, or PostgreSQL when no NATS_URL is configured) is in bus.ts, the outbox and its
 * relay in outbox.ts.
 */

/** What a subgraph changed that someone waits on (issue 19's « who gets what »). */
export const EventType = {
  /** services: a user asked for access to a service (R8: a first request goes to the owner direction). */
  AccessRequestFiled: 'ACCESS_REQUEST_FILED',
  /** services: the local manager (or deputy, or owner direction) granted or refused it. */
  AccessRequestDecided: 'ACCESS_REQUEST_DECIDED',
  AccessRightGranted: 'ACCESS_RIGHT_GRANTED',
  AccessRightRevoked: 'ACCESS_RIGHT_REVOKED',
  /** mandates (R15, R16). */
  MandateGranted: 'MANDATE_GRANTED',
  MandatePassedOn: 'MANDATE_PASSED_ON',
  MandateRevoked: 'MANDATE_REVOKED',
  /** mandates (R17). */
  DossierStatusChanged: 'DOSSIER_STATUS_CHANGED',
  /** mandates (R18): 30 days before 30 June, and the day after it, for a report not transmitted. */
  ReportDeadlineNear: 'REPORT_DEADLINE_NEAR',
  ReportDeadlinePassed: 'REPORT_DEADLINE_PASSED',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** The record an event is about, as the API names it (a federated entity: typename and id). */
export interface EventSubject {
  typename: 'AccessRequest' | 'AccessRight' | 'Mandate' | 'Dossier' | 'FinancialReport';
  id: string;
}

/**
 * Who gets an event, as the subgraph that raises it knows them. `userIds`: named in the same
 * transaction from its own rows (a requester, a right's holder, a local manager and deputies in
 * their period, a mandataire). The other audiences are groups another subgraph knows, expanded by
 * the notifications subgraph when it writes the inbox.
 */
export type Audience =
  | { kind: 'USERS'; userIds: string[] }
  /** R8: the staff of the direction that owns the service (identity knows staff by direction). */
  | { kind: 'OWNER_STAFF'; serviceId: string }
  /** R15: the RSÉ of a firm (identity). */
  | { kind: 'FIRM_RSE'; firmOrganizationId: string }
  /** R14, R17: the organization's users holding a right on the service now (services). */
  | { kind: 'SERVICE_USERS'; organizationId: string; serviceId: string }
  /** R13, R18: holders of these roles on PERFORM for the organization now (services). */
  | { kind: 'SERVICE_ROLES'; organizationId: string; serviceId: string; roles: string[] }
  /**
   * R13, R18: holders of these roles on the service for any organization other than these now
   * (services): the bodies a producer cannot name because it has no row of theirs (a PERFORM
   * report never opened), all others being told by their own notice or needing none.
   */
  | { kind: 'SERVICE_ROLES_EXCEPT'; serviceId: string; roles: string[]; exceptOrganizationIds: string[] };

/** An event as the outbox keeps it and the bus carries it (JSON). */
export interface DomainEvent {
  /** A UUID: the bus's de-duplication id, the inbox's idempotency key. */
  id: string;
  type: EventType;
  /** The subgraph that raised it: `services`, `mandates`, `identity`. */
  source: string;
  /** ISO 8601 instant of the change (the subgraph's clock). */
  occurredAt: string;
  /** Null for an event about no one organization (a deadline for every body without a report). */
  organizationId: string | null;
  serviceId: string | null;
  /** Null for an event about no record (a report a body has not opened). */
  subject: EventSubject | null;
  audiences: Audience[];
  /** A few facts a notification's text needs (statuses, a decision), never secrets. */
  data: Record<string, string | number | boolean | null>;
}

/** A session that must stop streaming (identity, on sign-out, suspension and password reset). */
export interface SessionEnded {
  userId: string;
  /** Null: every session of the user (a suspension). */
  sessionId: string | null;
  reason: 'SIGNED_OUT' | 'SUSPENDED' | 'PASSWORD_RESET';
}

/**
 * A notification written to the inbox, as the notifications subgraph tells the gateways (after its
 * commit, through its own outbox). Its audiences let a gateway skip the subscribers who cannot be
 * in them (another user, another organization) before it asks, with each remaining subscriber's
 * token, whether they may read it now.
 */
export interface NotificationDelivered {
  notificationId: string;
  eventId: string;
  type: EventType;
  organizationId: string | null;
  serviceId: string | null;
  audiences: Audience[];
}

/** The bus's subjects (NATS wildcards: `*` one token, `>` the rest). */
export const Subjects = {
  /** `pgamr.events.<source>.<type>`: every domain event. */
  event: (event: Pick<DomainEvent, 'source' | 'type'>) => `pgamr.events.${event.source}.${event.type}`,
  allEvents: 'pgamr.events.>',
  /** `pgamr.notifications.<type>`: a notification written to the inbox (NotificationDelivered). */
  notification: (type: EventType) => `pgamr.notifications.${type}`,
  allNotifications: 'pgamr.notifications.>',
  /** `pgamr.sessions.<userId>`: streams of that user to close. */
  sessionEnded: (userId: string) => `pgamr.sessions.${userId}`,
  allSessions: 'pgamr.sessions.>',
} as const;

/** The JetStream streams (and the PostgreSQL bus's equivalent), what they hold and for how long. */
export const Streams = {
  /** Domain events: the inbox consumes them; kept 7 days. */
  events: { name: 'PGAMR_EVENTS', subjects: ['pgamr.events.>'], maxAgeDays: 7 },
  /** Deliveries and session ends: every gateway replica follows them; kept 1 day. */
  live: { name: 'PGAMR_LIVE', subjects: ['pgamr.notifications.>', 'pgamr.sessions.>'], maxAgeDays: 1 },
} as const;

/** A message on the bus, and a row of a subgraph's outbox (the relay publishes it as it is). */
export interface BusMessage<T = unknown> {
  subject: string;
  /** Unique per message: publishing the same id twice keeps one (JetStream's Nats-Msg-Id). */
  id: string;
  payload: T;
}

/** Where a durable consumer starts the first time it is created (afterwards, where it left off). */
export interface ConsumeOptions {
  /**
   * `first` (the default): every message the stream still holds, so that nothing published before
   * the consumer's first start is missed. `new`: only what is published from then on (a test's
   * consumer on a broker other runs have filled).
   */
  startAt?: 'first' | 'new';
}

export interface Subscription {
  stop(): Promise<void>;
}

/**
 * The broker as the kit's code sees it, whichever it is. Delivery is at least once everywhere:
 * handlers are idempotent.
 */
export interface EventBus {
  /** Resolves once the broker has stored it; rejects when it cannot (the caller retries). */
  publish(message: BusMessage): Promise<void>;
  /**
   * A durable consumer named `durable` (one cursor shared by every replica that names it): each
   * message matching `filter` is handed to one of them; `handle` resolving acknowledges it, throwing
   * has it delivered again later. Survives restarts of the process and of the broker.
   */
  consume(durable: string, filter: string, handle: (message: BusMessage) => Promise<void>, options?: ConsumeOptions): Promise<Subscription>;
  /** Every message matching `filter` published from now on, in order, to this process (fan-out). */
  follow(filter: string, handle: (message: BusMessage) => void): Promise<Subscription>;
  close(): Promise<void>;
}
