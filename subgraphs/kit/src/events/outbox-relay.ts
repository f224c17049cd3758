import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';
import type { EventBus } from './contract';
import { OUTBOX_CHANNEL } from './outbox-migrations';
import { inTransaction } from './pg-transaction';
import { listen } from './postgres-bus';
import { AGAIN, wakeLoop } from './wake-loop';

const POLL_MS = 1000;
const BATCH = 100;
const MAX_BACKOFF_MS = 30_000;
const CLEANUP_EVERY_MS = 3_600_000;
/** Published rows are kept a week (what was sent, for an operator), then deleted. */
const KEEP_PUBLISHED_DAYS = 7;

export interface OutboxRelay {
  /** Stops after the batch in flight (published and marked, or left for the next relay). */
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  subject: string;
  payload: unknown;
}

/**
 * Publishes the outbox (issue 19): the rows not yet published, oldest first, a batch at a time
 * under FOR UPDATE SKIP LOCKED (replicas never publish a row twice in parallel), each published
 * then the batch marked in the same transaction. A crash between the two publishes again, which
 * the bus de-duplicates by id. A broker that does not answer leaves the rows as they are and is
 * tried again after a back-off (1 s, 2 s… 30 s): nothing is lost. Woken by LISTEN on the
 * outbox's insert trigger, and every second.
 */
export function startOutboxRelay({
  orm,
  bus,
  logger,
  applicationName = 'pgamr_outbox_relay',
}: {
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  /** How its connections are named in pg_stat_activity. */
  applicationName?: string;
}): OutboxRelay {
  // Connections of its own, on the subgraph's database: its statements are not the requests' (the
  // subgraph's statement metrics), and a request never waits for a pooled connection behind it.
  const url = orm.config.get('clientUrl');
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: applicationName, connectionTimeoutMillis: 5000 });
  pool.on('error', (error) => logger.warn({ err: error }, 'outbox: idle database connection lost'));
  let stopped = false;
  let failures = 0;
  const cleanup = setInterval(() => void deletePublished(), CLEANUP_EVERY_MS);
  cleanup.unref();

  async function deletePublished(): Promise<void> {
    try {
      await pool.query(`delete from event_outbox where published_at < now() - make_interval(days => $1)`, [KEEP_PUBLISHED_DAYS]);
    } catch (error) {
      logger.warn({ err: error }, 'outbox: published rows not deleted; next time');
    }
  }

  /** One batch; true when it was full (more may be waiting). Throws when the bus refused a row. */
  async function relayBatch(): Promise<boolean> {
    const outcome = await inTransaction(pool, logger, async (client) => {
      const { rows } = await client.query<OutboxRow>(
        `select id, subject, payload from event_outbox where published_at is null order by created_at, id limit $1 for update skip locked`,
        [BATCH],
      );
      const published: string[] = [];
      let failure: Error | undefined;
      for (const row of rows) {
        try {
          await bus.publish({ subject: row.subject, id: row.id, payload: row.payload });
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
          break;
        }
        published.push(row.id);
      }
      // What the broker stored is marked, and committed, even when a later row failed.
      if (published.length > 0) await client.query(`update event_outbox set published_at = now() where id = any($1::uuid[])`, [published]);
      return { full: rows.length === BATCH, failure };
    });
    if (outcome.failure) throw outcome.failure;
    return outcome.full;
  }

  void deletePublished();
  const relay = wakeLoop(async () => {
    try {
      const full = await relayBatch();
      failures = 0;
      return full ? AGAIN : undefined;
    } catch (error) {
      failures++;
      const delayMs = Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** (failures - 1));
      logger.warn({ err: error, retryInMs: delayMs }, 'outbox: cannot publish now; the rows stay and are tried again');
      return delayMs;
    }
  });
  const listener = url ? listen(url, logger, relay.wake, () => stopped, OUTBOX_CHANNEL) : undefined;
  const poll = setInterval(relay.wake, POLL_MS);
  poll.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearInterval(cleanup);
      await relay.stop();
      await (await listener)?.stop();
      await pool.end();
    },
  };
}
