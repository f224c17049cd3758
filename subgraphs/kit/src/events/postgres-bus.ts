import pg from 'pg';
import type { Logger } from 'pino';
import { Streams, type BusMessage, type EventBus, type Subscription } from './contract';
import { inTransaction } from './pg-transaction';
import { subjectMatches } from './subject-filter';
import { openSubscriptions } from './subscriptions';
import { AGAIN, wakeLoop, type StepAnswer } from './wake-loop';

/** The channel publications notify: consumers and followers read at once rather than at their next poll. */
const BUS_CHANNEL = 'pgamr_bus';
const POLL_MS = 1000;
const BATCH = 100;
/** How long a durable waits before it is handed again a message whose handler threw. */
const REDELIVERY_DELAY_MS = 1000;
const MAX_RETRY_MS = 30_000;
const RETENTION_EVERY_MS = 3_600_000;
/** Messages are kept as long as the longest-lived stream keeps them in JetStream. */
const RETENTION_DAYS = Math.max(...Object.values(Streams).map((stream) => stream.maxAgeDays));
/** One key for the advisory locks of this bus's database: creating its tables, and ordering publications. */
const SCHEMA_LOCK = 1_946_019_001;
const PUBLISH_LOCK = 1_946_019_002;

interface Row {
  seq: string;
  subject: string;
  msg_id: string;
  payload: unknown;
}

const messageOf = (row: Row): BusMessage => ({ subject: row.subject, id: row.msg_id, payload: row.payload });

/**
 * The event bus on PostgreSQL, for one machine (the embedded default of `npm start`): the same
 * contract as JetStream, in a database of its own. Publications are ordered by an advisory lock,
 * so a sequence number is never committed after a higher one (a reader past it would skip it).
 */
export async function createPostgresBus(databaseUrl: string, logger: Logger): Promise<EventBus> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, connectionTimeoutMillis: 5000 });
  // A connection lost while idle in the pool is replaced on the next checkout; without a listener it would crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'event bus: idle database connection lost'));
  await createTables(pool, logger);

  const wakers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of wakers) wake();
  };
  let closed = false;
  const listener = listen(databaseUrl, logger, wakeAll, () => closed);
  const poll = setInterval(wakeAll, POLL_MS);
  const retention = setInterval(() => void deleteExpired(pool, logger), RETENTION_EVERY_MS);
  poll.unref();
  retention.unref();
  void deleteExpired(pool, logger);
  const subscriptions = openSubscriptions();

  /** Runs `step` on each wake-up (notification, poll) until the subscription stops (wakeLoop). */
  function loop(step: () => Promise<StepAnswer>): Subscription {
    const running = wakeLoop(step);
    wakers.add(running.wake);
    return subscriptions.add(async () => {
      wakers.delete(running.wake);
      await running.stop();
    });
  }

  return {
    async publish(message) {
      await inTransaction(pool, logger, async (client) => {
        await client.query('select pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
        await client.query(
          `with inserted as (insert into bus_message (subject, msg_id, payload) values ($1, $2, $3) on conflict (msg_id) do nothing returning seq)
           select pg_notify('${BUS_CHANNEL}', seq::text) from inserted`,
          [message.subject, message.id, JSON.stringify(message.payload)],
        );
      });
    },

    async consume(durable, filter, handle, options = {}) {
      const start = options.startAt === 'new' ? '(select coalesce(max(seq), 0) from bus_message)' : '0';
      await pool.query(`insert into bus_consumer (name, last_seq) values ($1, ${start}) on conflict (name) do nothing`, [durable]);
      let failures = 0;
      return loop(async () => {
        try {
          const delay = await consumeBatch(pool, durable, filter, handle, logger);
          failures = 0;
          return delay;
        } catch (error) {
          failures++;
          logger.warn({ err: error, durable }, 'event bus: consumer cannot read; retrying');
          return Math.min(MAX_RETRY_MS, POLL_MS * 2 ** (failures - 1));
        }
      });
    },

    async follow(filter, handle) {
      const { rows } = await pool.query<{ seq: string }>('select coalesce(max(seq), 0) as seq from bus_message');
      let cursor = rows[0]?.seq ?? '0';
      let failures = 0;
      return loop(async () => {
        try {
          for (;;) {
            const batch = await pool.query<Row>('select seq, subject, msg_id, payload from bus_message where seq > $1 order by seq limit $2', [cursor, BATCH * 5]);
            for (const row of batch.rows) {
              cursor = row.seq;
              if (!subjectMatches(filter, row.subject)) continue;
              try {
                handle(messageOf(row));
              } catch (error) {
                logger.error({ err: error, subject: row.subject }, 'event bus: a follower failed on a message');
              }
            }
            if (batch.rows.length < BATCH * 5) break;
          }
          failures = 0;
        } catch (error) {
          failures++;
          logger.warn({ err: error }, 'event bus: follower cannot read; retrying');
          return Math.min(MAX_RETRY_MS, POLL_MS * 2 ** (failures - 1));
        }
      });
    },

    async close() {
      closed = true;
      clearInterval(poll);
      clearInterval(retention);
      await subscriptions.stopAll();
      await (await listener).stop();
      await pool.end();
    },
  };
}

/**
 * One batch of a durable: its row locked (SKIP LOCKED: another process holding it handles these
 * messages), each matching message handled in order and the cursor advanced past it; a handler
 * that throws leaves the cursor before its message, delivered again after a delay.
 */
async function consumeBatch(
  pool: pg.Pool,
  durable: string,
  filter: string,
  handle: (message: BusMessage) => Promise<void>,
  logger: Logger,
): Promise<StepAnswer> {
  return inTransaction(pool, logger, async (client) => {
    const cursor = await client.query<{ last_seq: string }>('select last_seq from bus_consumer where name = $1 for update skip locked', [durable]);
    const row = cursor.rows[0];
    if (!row) return;
    const batch = await client.query<Row>('select seq, subject, msg_id, payload from bus_message where seq > $1 order by seq limit $2', [row.last_seq, BATCH]);
    let last = row.last_seq;
    let failed = false;
    for (const message of batch.rows) {
      if (subjectMatches(filter, message.subject)) {
        try {
          await handle(messageOf(message));
        } catch (error) {
          logger.warn({ err: error, durable, subject: message.subject }, 'event bus: handler failed; the message will be delivered again');
          failed = true;
          break;
        }
      }
      last = message.seq;
    }
    if (last !== row.last_seq) await client.query('update bus_consumer set last_seq = $2 where name = $1', [durable, last]);
    if (failed) return REDELIVERY_DELAY_MS;
    // A full batch: more may be waiting, read on at once.
    if (batch.rows.length === BATCH) return AGAIN;
  });
}

async function createTables(pool: pg.Pool, logger: Logger): Promise<void> {
  await inTransaction(pool, logger, async (client) => {
    // Several processes start together on the same bus database: one creates, the others find it done.
    await client.query('select pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(
      `create table if not exists bus_message (seq bigserial primary key, subject text not null, msg_id text not null unique, payload jsonb not null, published_at timestamptz not null default now())`,
    );
    await client.query('create index if not exists bus_message_published_at_index on bus_message (published_at)');
    await client.query('create table if not exists bus_consumer (name text primary key, last_seq bigint not null)');
  });
}

async function deleteExpired(pool: pg.Pool, logger: Logger): Promise<void> {
  try {
    await pool.query(`delete from bus_message where published_at < now() - make_interval(days => $1)`, [RETENTION_DAYS]);
  } catch (error) {
    logger.warn({ err: error }, 'event bus: expired messages not deleted; next time');
  }
}

/**
 * LISTEN on a dedicated connection, reconnected for as long as the bus is open: between the loss
 * and the reconnection the 1 s poll carries the wake-ups.
 */
export async function listen(
  databaseUrl: string,
  logger: Logger,
  onNotification: () => void,
  isClosed: () => boolean,
  channel = BUS_CHANNEL,
): Promise<{ stop(): Promise<void> }> {
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  const connect = async (): Promise<void> => {
    if (isClosed()) return;
    const next = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    next.on('notification', onNotification);
    next.on('error', (error) => {
      logger.warn({ err: error, channel }, 'LISTEN connection lost; reconnecting');
      void next.end().catch(() => undefined);
      schedule();
    });
    try {
      await next.connect();
      // Stopped while it connected: nobody would end it.
      if (isClosed()) {
        await next.end();
        return;
      }
      await next.query(`listen ${channel}`);
      client = next;
      failures = 0;
      // What was notified while disconnected is read now.
      onNotification();
    } catch {
      void next.end().catch(() => undefined);
      schedule();
    }
  };
  const schedule = () => {
    if (isClosed() || retry) return;
    failures++;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, Math.min(MAX_RETRY_MS, POLL_MS * 2 ** (failures - 1)));
    retry.unref();
  };
  await connect();
  return {
    async stop() {
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
