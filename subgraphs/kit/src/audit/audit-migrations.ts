import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { appendOnlySql } from './audit-event.entity';

/**
 * The audit trail's table (R21), owned by the kit like its entity: every subgraph that lists
 * AuditEventSchema among its entities gets these migrations before its own (openDatabase adds
 * them). Written so that a database whose subgraph migrations created the same table before the
 * kit owned it is left as it is.
 */
export class KitAuditEventTable extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "audit_event" ("id" uuid not null, "occurred_at" timestamptz not null, "actor_user_id" uuid not null, "actor_organization_id" uuid not null, "organization_id" uuid not null, "service_id" uuid null, "action" varchar(60) not null, "target_type" varchar(40) not null, "target_id" uuid not null, "before" jsonb null, "after" jsonb null, constraint "audit_event_pkey" primary key ("id"));`,
    );
    // Keyset pages of one organization's trail, and of one organization's trail on one service.
    this.addSql(`create index if not exists "audit_event_organization_id_occurred_at_id_index" on "audit_event" ("organization_id", "occurred_at", "id");`);
    this.addSql(
      `create index if not exists "audit_event_service_id_organization_id_occurred_at_id_index" on "audit_event" ("service_id", "organization_id", "occurred_at", "id");`,
    );
    // R21: the database itself refuses to change or delete an entry.
    this.addSql(`drop trigger if exists audit_event_append_only on "audit_event";`);
    this.addSql(`drop function if exists audit_event_is_append_only();`);
    for (const statement of appendOnlySql('audit_event')) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_event" cascade;`);
    this.addSql(`drop function if exists audit_event_is_append_only() cascade;`);
  }
}

/** The kit's migrations of the audit table, oldest first; their names never change. */
export const AUDIT_MIGRATIONS: readonly MigrationObject[] = [{ name: 'Kit20261122000000AuditEventTable', class: KitAuditEventTable }];
