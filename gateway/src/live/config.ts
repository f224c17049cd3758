import { eventBusConfigOf, eventBusEnvironment, type EventBusConfig } from '@pgamr/kit';
import { z } from 'zod';

/** Live notifications (issue 19): where the events come from, and what one stream may cost. */
export interface LiveConfig {
  /** The kit's event bus, configured as the subgraphs' is: NATS JetStream, else the PostgreSQL bus. */
  bus: EventBusConfig;
  /** Streams one user may hold open on one gateway process; one more is refused (TOO_MANY_STREAMS). */
  maxStreamsPerUser: number;
  /** Between two heartbeats: an SSE comment, a WebSocket ping. */
  heartbeatMs: number;
  /** A stream that delivers nothing for this long is closed (the client opens a new one). */
  idleTimeoutMs: number;
  /** Notifications waiting for a client that does not read; one more closes its stream. */
  queueLimit: number;
}

const positiveInteger = z.coerce.number().int().min(1);

const environmentSchema = z.object({
  // As the subgraphs read them (the kit's config.ts).
  ...eventBusEnvironment,
  LIVE_MAX_STREAMS_PER_USER: positiveInteger.max(100).default(5),
  LIVE_HEARTBEAT_SECONDS: positiveInteger.max(300).default(15),
  LIVE_IDLE_TIMEOUT_SECONDS: positiveInteger.default(3_600),
  LIVE_QUEUE_LIMIT: positiveInteger.max(10_000).default(100),
});

/**
 * Reads the live settings; every problem goes to `issues`. Without a bus (neither `NATS_URL` nor
 * `EVENT_BUS_DATABASE_URL`) streams still open but receive nothing: production refuses that.
 */
export function readLiveConfig(env: NodeJS.ProcessEnv, issues: string[], production: boolean): LiveConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) issues.push(...parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`));
  const settings = parsed.success ? parsed.data : environmentSchema.parse({});
  if (production && !settings.NATS_URL && !settings.EVENT_BUS_DATABASE_URL) {
    issues.push('NATS_URL ou EVENT_BUS_DATABASE_URL: requis en production (les notifications en direct suivent le bus d’événements)');
  }
  return {
    bus: eventBusConfigOf(settings),
    maxStreamsPerUser: settings.LIVE_MAX_STREAMS_PER_USER,
    heartbeatMs: settings.LIVE_HEARTBEAT_SECONDS * 1000,
    idleTimeoutMs: settings.LIVE_IDLE_TIMEOUT_SECONDS * 1000,
    queueLimit: settings.LIVE_QUEUE_LIMIT,
  };
}
