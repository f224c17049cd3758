import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Streams, streamIn } from '@pgamr/kit';
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
  /** NATS_URL and NATS_NAMESPACE, or EVENT_BUS_DATABASE_URL, for every process of the stack. */
  env: Record<string, string>;
  notificationsDatabaseUrl: string;
  /** The databases on the bench server the stack's processes work in, besides the manifest's. */
  databaseNames: string[];
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
    // A namespace of the bench's own: on a broker others share (their npm start, the tests),
    // no one else's inbox takes its events, and it replays none of theirs.
    const namespace = `bench-${randomBytes(4).toString('hex')}`;
    const streams = Object.values(Streams).map((stream) => streamIn(namespace, stream.name));
    return {
      kind: 'nats',
      description: `NATS JetStream at ${natsUrl}, namespace ${namespace} (streams ${streams.join(', ')})`,
      env: { NATS_URL: natsUrl, NATS_NAMESPACE: namespace },
      notificationsDatabaseUrl,
      databaseNames: [names.notifications],
      // The streams would otherwise stay on the shared broker, kept for nobody.
      cleanup: () => deleteStreams(natsUrl, streams),
    };
  }
  const busUrl = await recreateDatabase(names.bus);
  return {
    kind: 'postgres',
    description: `the PostgreSQL bus in \`${names.bus}\` on the bench server (no NATS URL given)`,
    env: { EVENT_BUS_DATABASE_URL: busUrl },
    notificationsDatabaseUrl,
    databaseNames: [names.notifications, names.bus],
    cleanup: async () => undefined,
  };
}

async function deleteStreams(natsUrl: string, streams: string[]): Promise<void> {
  const connection = await connect({ servers: natsUrl, name: 'pgamr-bench' });
  try {
    const manager = await jetstreamManager(connection);
    for (const stream of streams) await manager.streams.delete(stream).catch(() => false);
  } finally {
    await connection.close();
  }
}
