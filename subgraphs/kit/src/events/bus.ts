import type { Logger } from 'pino';
import { z } from 'zod';
import type { EventBus } from './contract';
import { createJetStreamBus } from './jetstream-bus';
import { createPostgresBus } from './postgres-bus';

/** Where the bus is: NATS JetStream when `natsUrl` is given (many machines), else PostgreSQL (one machine). */
export interface EventBusConfig {
  natsUrl?: string;
  /**
   * With NATS: a name that keeps this deployment's subjects and streams apart from others on the
   * same broker (a staging beside a test, each test stack on CI's shared broker).
   */
  namespace?: string;
  databaseUrl?: string;
}

/**
 * The bus's variables, read alike by the subgraphs (config.ts) and the gateway (live/config.ts).
 * Empty counts as unset, as for a shell that clears a variable.
 */
export const eventBusEnvironment = {
  NATS_URL: z.preprocess((value) => value || undefined, z.url({ protocol: /^(nats|tls)$/, error: 'URL nats:// ou tls:// attendue' }).optional()),
  NATS_NAMESPACE: z.preprocess(
    (value) => value || undefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, '1 à 32 lettres, chiffres, « _ » ou « - » attendus')
      .optional(),
  ),
  EVENT_BUS_DATABASE_URL: z.preprocess(
    (value) => value || undefined,
    z.string().regex(/^postgres(ql)?:\/\//, 'doit commencer par postgres:// ou postgresql://').optional(),
  ),
};

/** The bus configured by eventBusEnvironment's variables, once parsed. */
export function eventBusConfigOf(settings: { NATS_URL?: string | undefined; NATS_NAMESPACE?: string | undefined; EVENT_BUS_DATABASE_URL?: string | undefined }): EventBusConfig {
  return {
    ...(settings.NATS_URL ? { natsUrl: settings.NATS_URL } : {}),
    ...(settings.NATS_URL && settings.NATS_NAMESPACE ? { namespace: settings.NATS_NAMESPACE } : {}),
    ...(settings.EVENT_BUS_DATABASE_URL ? { databaseUrl: settings.EVENT_BUS_DATABASE_URL } : {}),
  };
}

/** The process's event bus; JetStream wins when both are configured. Rejects when neither is. */
export function createEventBus(config: EventBusConfig, logger: Logger): Promise<EventBus> {
  if (config.natsUrl) return createJetStreamBus(config.natsUrl, logger, config.namespace);
  if (config.databaseUrl) return createPostgresBus(config.databaseUrl, logger);
  return Promise.reject(new Error('no event bus configured (NATS_URL or EVENT_BUS_DATABASE_URL)'));
}
