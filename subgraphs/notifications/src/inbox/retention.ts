import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock, Logger } from '@pgamr/kit';

/** How long the inbox keeps a notification (README, « Notifications »). */
export const RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;
/** How often the retention job runs. */
export const RETENTION_INTERVAL_MS = 3_600_000;

/**
 * Deletes the notifications that occurred more than RETENTION_DAYS before `now`; their audiences
 * and read marks go with them (foreign keys on delete cascade). Returns how many.
 */
export async function deleteExpiredNotifications(em: EntityManager, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - RETENTION_DAYS * DAY_MS);
  const deleted = await em.fork().execute<Array<{ id: string }>>(`delete from "notification" where "occurred_at" < ? returning "id"`, [cutoff.toISOString()]);
  return deleted.length;
}

/** Runs deleteExpiredNotifications now and every RETENTION_INTERVAL_MS until stopped; a failed run is logged and retried at the next. */
export function startRetentionJob(em: EntityManager, clock: Clock, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= deleteExpiredNotifications(em, clock.now())
      .then((count) => {
        if (count > 0) logger.info({ count }, 'expired notifications deleted');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'expired notifications not deleted; retried at the next run'))
      .finally(() => {
        running = undefined;
      });
  };
  run();
  const timer = setInterval(run, RETENTION_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
