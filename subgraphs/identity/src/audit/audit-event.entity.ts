import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps } from '@mikro-orm/core';

export enum AuditAction {
  UserCreated = 'USER_CREATED',
  UserProfileChanged = 'USER_PROFILE_CHANGED',
  UserSuspended = 'USER_SUSPENDED',
  UserReactivated = 'USER_REACTIVATED',
  TemporaryPasswordReset = 'TEMPORARY_PASSWORD_RESET',
  RseNamed = 'RSE_NAMED',
  RepertoireCorrected = 'REPERTOIRE_CORRECTED',
}

/**
 * One entry of the append-only audit trail (R21): who did what to which record of which
 * organization, with the record before and after. Written in the change's own transaction; the
 * database refuses updates and deletes of this table.
 */
export class AuditEvent {
  [OptionalProps]?: 'id' | 'occurredAt';
  id: string = randomUUID();
  occurredAt: Date = new Date();
  actorUserId!: string;
  actorOrganizationId!: string;
  /** The organization whose trail this belongs to. */
  organizationId!: string;
  action!: AuditAction;
  targetType!: string;
  targetId!: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export const AuditEventSchema = new EntitySchema<AuditEvent>({
  class: AuditEvent,
  tableName: 'audit_event',
  indexes: [{ properties: ['organizationId', 'occurredAt'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    occurredAt: { type: 'datetime' },
    actorUserId: { type: 'uuid' },
    actorOrganizationId: { type: 'uuid' },
    organizationId: { type: 'uuid' },
    action: { enum: true, items: () => AuditAction },
    targetType: { type: 'string', length: 40 },
    targetId: { type: 'uuid' },
    before: { type: 'json', nullable: true },
    after: { type: 'json', nullable: true },
  },
});
