import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps } from '@mikro-orm/core';

/**
 * One entry of a subgraph's append-only audit trail (R21): who did what to which record of
 * which organization (and service), with the record before and after. Written in the change's
 * own transaction; the kit's migration of the table (audit-migrations.ts) has the database
 * refuse updates and deletes. Each subgraph names its own actions.
 */
export class AuditEvent {
  [OptionalProps]?: 'id' | 'occurredAt';
  id: string = randomUUID();
  occurredAt: Date = new Date();
  actorUserId!: string;
  actorOrganizationId!: string;
  /** The organization whose trail this belongs to. */
  organizationId!: string;
  /** The online service concerned, when there is one (its owner's staff read its trail). */
  serviceId?: string | null;
  action!: string;
  targetType!: string;
  targetId!: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export const AuditEventSchema = new EntitySchema<AuditEvent>({
  class: AuditEvent,
  tableName: 'audit_event',
  indexes: [
    // Keyset pages, newest first, ending with the id that breaks ties: identity reads an
    // organization's trail; services and mandates read one organization's trail on one service,
    // which a (service, time) index would find only by walking every organization's entries.
    { properties: ['organizationId', 'occurredAt', 'id'] },
    { properties: ['serviceId', 'organizationId', 'occurredAt', 'id'] },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    occurredAt: { type: 'datetime' },
    actorUserId: { type: 'uuid' },
    actorOrganizationId: { type: 'uuid' },
    organizationId: { type: 'uuid' },
    serviceId: { type: 'uuid', nullable: true },
    action: { type: 'string', length: 60 },
    targetType: { type: 'string', length: 40 },
    targetId: { type: 'uuid' },
    before: { type: 'json', nullable: true },
    after: { type: 'json', nullable: true },
  },
});

/** For a migration: SQL that makes the database itself refuse to change or delete rows of `table`. */
export function appendOnlySql(table: string): string[] {
  return [
    `create function ${table}_is_append_only() returns trigger language plpgsql as $$ begin raise exception '${table} is append-only'; end $$;`,
    `create trigger ${table}_append_only before update or delete on "${table}" for each row execute function ${table}_is_append_only();`,
  ];
}

