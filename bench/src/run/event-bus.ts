import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Streams, Subjects } from '@pgamr/kit';
import { BENCH_DATABASE_URL, databaseUrl, withDatabase } from './databases';

/**
 * The databases beside a data set's (`pgamr_bench_identity` → `pgamr_bench_notifications`,
 * `pgamr_bench_bus`): the notifications subgraph's, and the PostgreSQL event bus's when no NATS
 * URL is given (as `npm start` makes `pgamr_bus`). Recreated by every bench, they hold only its own.
 */
export function eventDatabaseNames(identityDatabase: string): { notifications: string; bus: string } {
  const stem = identityDatabase.replace(/_?identity$/, '');
  return { notifications: `${stem}_notifications`, bus: `${stem}_bus` };
}

/**
 * The event bus and inbox the bench's stack runs with (issue 19): every process is given the bus,
 * as `npm start` does, since the subgraphs that raise events and the gateway refuse to start in
 * production without one.
 */
export interface BenchEventBus {
  kind: 'nats' | 'postgres';
  /** For the report: which broker, where. */
  description: string;
  /** NATS_URL or EVENT_BUS_DATABASE_URL, for every process of the stack. */
  env: Record<string, string>;
  notificationsDatabaseUrl: string;
  /** The databases on the bench server the stack's processes work in, besides the manifest's. */
  databaseNames: string[];
  /**
   * The inbox's durable consumer: on a broker others share (their `npm start`, the tests), a
   * name of this bench's own, from now on, so that no one else's consumer takes its events and
   * it does not replay theirs.
   */
  inboxConsumer: string;
  /** NATS only: starts watching the other durable consumers of every event (other stacks' inboxes); the answer names those that took some since. */
  watchOtherInboxes?: () => Promise<() => Promise<string[]>>;
  cleanup(): Promise<void>;
}

/** The NATS URL the bench is given: BENCH_NATS_URL, NATS_URL, then TEST_NATS_URL; none, the PostgreSQL bus. */
export function natsUrlFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.BENCH_NATS_URL || env.NATS_URL || env.TEST_NATS_URL || undefined;
}

async function recreateDatabase(name: string): Promise<string> {
  await withDatabase(BENCH_DATABASE_URL, async (client) => {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
  });
  return databaseUrl(name);
}

/** Recreates the inbox's database and, without a NATS URL, the bus's; names the inbox's durable. */
export async function prepareEventBus(identityDatabase: string, natsUrl = natsUrlFromEnvironment()): Promise<BenchEventBus> {
  const names = eventDatabaseNames(identityDatabase);
  const notificationsDatabaseUrl = await recreateDatabase(names.notifications);
  if (natsUrl) {
    const host = new URL(natsUrl).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) throw new Error(`the bench runs on loopback only; NATS URL ${natsUrl} is not`);
    const inboxConsumer = `bench-notifications-${randomBytes(4).toString('hex')}`;
    return {
      kind: 'nats',
      description: `NATS JetStream at ${natsUrl} (streams ${Streams.events.name}, ${Streams.live.name}; inbox durable ${inboxConsumer}, from the bench's start)`,
      env: { NATS_URL: natsUrl },
      notificationsDatabaseUrl,
      databaseNames: [names.notifications],
      inboxConsumer,
      watchOtherInboxes: async () => {
        const before = await consumerCursors(natsUrl, Streams.events.name, inboxConsumer);
        return async () => {
          const after = await consumerCursors(natsUrl, Streams.events.name, inboxConsumer);
          return [...after].filter(([name, seq]) => seq > (before.get(name) ?? 0)).map(([name]) => name);
        };
      },
      // The durable would otherwise stay on the shared broker, its cursor kept for nobody.
      cleanup: () => deleteConsumer(natsUrl, Streams.events.name, inboxConsumer),
    };
  }
  const busUrl = await recreateDatabase(names.bus);
  return {
    kind: 'postgres',
    description: `the PostgreSQL bus in \`${names.bus}\` on the bench server (no NATS URL given)`,
    env: { EVENT_BUS_DATABASE_URL: busUrl },
    notificationsDatabaseUrl,
    databaseNames: [names.notifications, names.bus],
    inboxConsumer: 'notifications-inbox',
    cleanup: async () => undefined,
  };
}

/** Where each durable consumer of `stream` other than `own`, filtering every event, stands now. */
async function consumerCursors(natsUrl: string, stream: string, own: string): Promise<Map<string, number>> {
  const connection = await connect({ servers: natsUrl, name: 'pgamr-bench' });
  try {
    const manager = await jetstreamManager(connection);
    const cursors = new Map<string, number>();
    for await (const consumer of manager.consumers.list(stream)) {
      if (consumer.name !== own && consumer.config.filter_subject === Subjects.allEvents) cursors.set(consumer.name, consumer.delivered.stream_seq);
    }
    return cursors;
  } finally {
    await connection.close();
  }
}

async function deleteConsumer(natsUrl: string, stream: string, durable: string): Promise<void> {
  const connection = await connect({ servers: natsUrl, name: 'pgamr-bench' });
  try {
    const manager = await jetstreamManager(connection);
    await manager.consumers.delete(stream, durable).catch(() => false);
  } finally {
    await connection.close();
  }
}
