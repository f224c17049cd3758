import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  action: string;
  organizationId: string;
  serviceId?: string | null;
  targetType: string;
  targetId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * Appends to the audit trail (R21) in the caller's transaction, so the entry exists if and only
 * if the change does. Callers pass snapshots without secrets.
 */
export function recordAudit(em: EntityManager, actor: { userId: string; organizationId: string }, entry: AuditEntry): void {
  em.create(AuditEvent, {
    actorUserId: actor.userId,
    actorOrganizationId: actor.organizationId,
    organizationId: entry.organizationId,
    serviceId: entry.serviceId ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

/**
 * The resolvers of the kit's shared `AuditEvent` type (schema/audit.graphql) in a subgraph that
 * does not own `User`: the actor is a reference identity resolves, with its own rule on who may
 * see whom (R20). `occurredAt`, `before` and `after` are served as they are (DateTime, JSONObject).
 */
export const auditEventResolvers = {
  actor: (event: AuditEvent) => ({ __typename: 'User', id: event.actorUserId }),
};
