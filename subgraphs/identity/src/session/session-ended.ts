import { randomUUID } from 'node:crypto';
import { recordOutbox, Subjects, type SessionEnded } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * R2, R6 (issue 19): tells the gateways, through the outbox and in the transaction that ends them,
 * that a user's live streams must close: one session signed out, or every session of a user
 * suspended or whose password was reset (`sessionId` null).
 */
export function announceSessionEnded(em: EntityManager, ended: SessionEnded): void {
  recordOutbox(em, { subject: Subjects.sessionEnded(ended.userId), id: randomUUID(), payload: ended });
}
