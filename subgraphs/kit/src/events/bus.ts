import type { Logger } from 'pino';
import type { EventBus } from './contract';
import { createJetStreamBus } from './jetstream-bus';
import { createPostgresBus } from './postgres-bus';

/** Where the bus is: NATS JetStream when `natsUrl` is given (many machines), else PostgreSQL (one machine). */
export interface EventBusConfig {
  natsUrl?: string;
  databaseUrl?: string;
}

/** The process's event bus; JetStream wins when both are configured. Rejects when neither is. */
export function createEventBus(config: EventBusConfig, logger: Logger): Promise<EventBus> {
  if (config.natsUrl) return createJetStreamBus(config.natsUrl, logger);
  if (config.databaseUrl) return createPostgresBus(config.databaseUrl, logger);
  return Promise.reject(new Error('no event bus configured (NATS_URL or EVENT_BUS_DATABASE_URL)'));
}
