import type { EntityManager } from '@mikro-orm/postgresql';
import type { PeriodicJob } from '@pgamr/kit';

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

/** The inbox's retention, run hourly. */
export function retentionJob(em: EntityManager): PeriodicJob {
  return { name: 'notifications retention', everyMs: RETENTION_INTERVAL_MS, run: (now) => deleteExpiredNotifications(em, now) };
}
