import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventBusConfig } from '../events/bus';
import { Streams, type EventBus } from '../events/contract';
import { createJetStreamBus, streamIn } from '../events/jetstream-bus';
import { createPostgresBus } from '../events/postgres-bus';
import { startEmbeddedServer } from '../database/embedded-postgres';
import { createLogger } from '../logger';
import { createDatabaseOnServer } from './templates';

export interface TestEventBus {
  bus: EventBus;
  kind: 'jetstream' | 'postgresql';
  /** What a subgraph under test is configured with to open the same bus. */
  config: EventBusConfig;
  /** The same, as the variables of a process started by the test (a gateway, npm start). */
  variables: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The event bus of a test: JetStream at `TEST_NATS_URL` when set (CI's broker, shared by every
 * test file: each bus in a namespace of its own, its streams deleted by `close()`), else a
 * PostgreSQL bus in a database of its own on `TEST_DATABASE_URL`'s server (or an embedded one),
 * dropped by `close()`.
 */
export async function createTestEventBus(label: string, kind: 'jetstream' | 'postgresql' | 'default' = 'default'): Promise<TestEventBus> {
  const logger = createLogger(`${label}-bus`, process.env.TEST_LOG_LEVEL ?? 'silent');
  const natsUrl = process.env.TEST_NATS_URL;
  if (kind === 'jetstream' || (kind === 'default' && natsUrl)) {
    if (!natsUrl) throw new Error('TEST_NATS_URL is not set');
    const namespace = uniqueToken(label.replace(/[^A-Za-z0-9]/g, '').slice(0, 12));
    const bus = await createJetStreamBus(natsUrl, logger, namespace);
    return {
      bus,
      kind: 'jetstream',
      config: { natsUrl, namespace },
      variables: { NATS_URL: natsUrl, NATS_NAMESPACE: namespace },
      async close() {
        await bus.close();
        await deleteStreams(natsUrl, namespace);
      },
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  const server = adminUrl ? undefined : await startEmbeddedServer();
  const database = adminUrl ? await createDatabaseOnServer(adminUrl, `${label}_bus`) : { url: server!.urlOf(), drop: () => server!.stop() };
  const bus = await createPostgresBus(database.url, logger);
  return {
    bus,
    kind: 'postgresql',
    config: { databaseUrl: database.url },
    variables: { EVENT_BUS_DATABASE_URL: database.url },
    async close() {
      await bus.close();
      await database.drop();
    },
  };
}

/** The streams of a test's namespace , so that the shared broker does not keep them. */
async function deleteStreams(natsUrl: string, namespace: string): Promise<void> {
  const connection = await connect({ servers: natsUrl });
  try {
    const manager = await jetstreamManager(connection);
    for (const stream of Object.values(Streams)) await manager.streams.delete(streamIn(namespace, stream.name)).catch(() => undefined);
  } finally {
    await connection.close();
  }
}

/** A subject token (and durable name part) no other test file or run uses on a shared broker. */
export const uniqueToken = (prefix = 't'): string => `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
