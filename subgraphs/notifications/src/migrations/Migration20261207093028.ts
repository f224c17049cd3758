import { Migration } from '@mikro-orm/migrations';

export class Migration20261207093028 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "notification" ("id" uuid not null, "type" text check ("type" in ('ACCESS_REQUEST_FILED', 'ACCESS_REQUEST_DECIDED', 'ACCESS_RIGHT_GRANTED', 'ACCESS_RIGHT_REVOKED', 'MANDATE_GRANTED', 'MANDATE_PASSED_ON', 'MANDATE_REVOKED', 'DOSSIER_STATUS_CHANGED', 'REPORT_DEADLINE_NEAR', 'REPORT_DEADLINE_PASSED')) not null, "occurred_at" timestamptz not null, "organization_id" uuid not null, "service_id" uuid null, "subject_typename" text check ("subject_typename" in ('AccessRequest', 'AccessRight', 'Mandate', 'Dossier', 'FinancialReport')) not null, "subject_id" uuid not null, "data" jsonb not null, "created_at" timestamptz not null, constraint "notification_pkey" primary key ("id"));`);
    this.addSql(`create index "notification_occurred_at_id_index" on "notification" ("occurred_at", "id");`);

    this.addSql(`create table "notification_audience" ("notification_id" uuid not null, "ordinal" smallint not null, "kind" text check ("kind" in ('USERS', 'OWNER_STAFF', 'FIRM_RSE', 'SERVICE_USERS', 'SERVICE_ROLES')) not null, "user_ids" uuid[] null, "firm_organization_id" uuid null, "organization_id" uuid null, "service_id" uuid null, "roles" text[] null, constraint "notification_audience_pkey" primary key ("notification_id", "ordinal"));`);
    this.addSql(`create index "notification_audience_user_ids_index" on "notification_audience" using gin ("user_ids");`);
    this.addSql(`create index "notification_audience_kind_firm_organization_id_index" on "notification_audience" ("kind", "firm_organization_id");`);
    this.addSql(`create index "notification_audience_kind_service_id_organization_id_index" on "notification_audience" ("kind", "service_id", "organization_id");`);

    this.addSql(`create table "notification_read" ("user_id" uuid not null, "notification_id" uuid not null, "read_at" timestamptz not null, constraint "notification_read_pkey" primary key ("user_id", "notification_id"));`);
    this.addSql(`create index "notification_read_notification_id_index" on "notification_read" ("notification_id");`);

    this.addSql(`alter table "notification_audience" add constraint "notification_audience_notification_id_foreign" foreign key ("notification_id") references "notification" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "notification_read" add constraint "notification_read_notification_id_foreign" foreign key ("notification_id") references "notification" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notification_audience" drop constraint "notification_audience_notification_id_foreign";`);

    this.addSql(`alter table "notification_read" drop constraint "notification_read_notification_id_foreign";`);

    this.addSql(`drop table if exists "notification" cascade;`);

    this.addSql(`drop table if exists "notification_audience" cascade;`);

    this.addSql(`drop table if exists "notification_read" cascade;`);
  }

}
