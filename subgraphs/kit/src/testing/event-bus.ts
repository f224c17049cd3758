import { randomBytes } from 'node:crypto';
import type { EventBus } from '../events/contract';
import { createJetStreamBus } from '../events/jetstream-bus';
import { createPostgresBus } from '../events/postgres-bus';
import { startEmbeddedServer } from '../database/embedded-postgres';
import { createLogger } from '../logger';
import { createDatabaseOnServer } from './templates';

export interface TestEventBus {
  bus: EventBus;
  kind: 'jetstream' | 'postgresql';
  /** What a subgraph under test is configured with to open the same bus. */
  config: { natsUrl?: string; databaseUrl?: string };
  close(): Promise<void>;
}

/**
 * The event bus of a test: JetStream at `TEST_NATS_URL` when set (CI's broker, shared: tests use
 * unique durable names and subjects, see uniqueToken), else a PostgreSQL bus in a database of
 * its own on `TEST_DATABASE_URL`'s server (or an embedded one), dropped by `close()`.
 */
export async function createTestEventBus(label: string, kind: 'jetstream' | 'postgresql' | 'default' = 'default'): Promise<TestEventBus> {
  const logger = createLogger(`${label}-bus`, process.env.TEST_LOG_LEVEL ?? 'silent');
  const natsUrl = process.env.TEST_NATS_URL;
  if (kind === 'jetstream' || (kind === 'default' && natsUrl)) {
    if (!natsUrl) throw new Error('TEST_NATS_URL is not set');
    const bus = await createJetStreamBus(natsUrl, logger);
    return { bus, kind: 'jetstream', config: { natsUrl }, close: () => bus.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  const server = adminUrl ? undefined : await startEmbeddedServer();
  const database = adminUrl ? await createDatabaseOnServer(adminUrl, `${label}_bus`) : { url: server!.urlOf(), drop: () => server!.stop() };
  const bus = await createPostgresBus(database.url, logger);
  return {
    bus,
    kind: 'postgresql',
    config: { databaseUrl: database.url },
    async close() {
      await bus.close();
      await database.drop();
    },
  };
}

/** A subject token (and durable name part) no other test file or run uses on a shared broker. */
export const uniqueToken = (prefix = 't'): string => `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
