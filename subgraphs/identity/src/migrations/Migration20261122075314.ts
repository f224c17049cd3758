import { Migration } from '@mikro-orm/migrations';

export class Migration20261122075314 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "audit_event" drop constraint if exists "audit_event_action_check";`);

    this.addSql(`alter table "audit_event" add column "service_id" uuid null;`);
    this.addSql(`alter table "audit_event" alter column "action" type varchar(60) using ("action"::varchar(60));`);
    this.addSql(`create index "audit_event_service_id_occurred_at_index" on "audit_event" ("service_id", "occurred_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "audit_event_service_id_occurred_at_index";`);
    this.addSql(`alter table "audit_event" drop column "service_id";`);

    this.addSql(`alter table "audit_event" alter column "action" type text using ("action"::text);`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_action_check" check("action" in ('USER_CREATED', 'USER_PROFILE_CHANGED', 'USER_SUSPENDED', 'USER_REACTIVATED', 'TEMPORARY_PASSWORD_RESET', 'RSE_NAMED', 'REPERTOIRE_CORRECTED'));`);
  }

}
