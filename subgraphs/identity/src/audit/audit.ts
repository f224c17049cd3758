import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../actor';
import { AuditEvent, type AuditAction } from './audit-event.entity';

/**
 * Appends to the audit trail (R21) in the caller's transaction, so the entry exists if and only
 * if the change does. Callers pass snapshots without secrets.
 */
export function recordAudit(
  em: EntityManager,
  actor: Actor,
  entry: {
    action: AuditAction;
    organizationId: string;
    targetType: string;
    targetId: string;
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
  },
): void {
  em.create(AuditEvent, {
    actorUserId: actor.user.id,
    actorOrganizationId: actor.organization.id,
    organizationId: entry.organizationId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
