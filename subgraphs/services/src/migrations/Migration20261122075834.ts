import { Migration } from '@mikro-orm/migrations';

export class Migration20261122075834 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "access_right" ("id" uuid not null, "user_id" uuid not null, "organization_id" uuid not null, "service_id" uuid not null, "role" text check ("role" in ('USER', 'LOCAL_MANAGER', 'DEPUTY_MANAGER', 'MANDATE_MANAGER', 'MUNICIPAL_RESPONDENT', 'PERFORM_PREPARER', 'PERFORM_REVIEWER', 'PERFORM_EXTERNAL_AUDITOR', 'PERFORM_SIGNATORY', 'PERFORM_TRANSMITTER')) not null, "valid_from" timestamptz not null, "valid_until" timestamptz null, "granted_by" uuid not null, "granted_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by" uuid null, constraint "access_right_pkey" primary key ("id"));`);
    this.addSql(`create index "access_right_organization_id_index" on "access_right" ("organization_id");`);
    this.addSql(`create index "access_right_user_id_revoked_at_index" on "access_right" ("user_id", "revoked_at");`);
    this.addSql(`create index "access_right_service_id_organization_id_role_index" on "access_right" ("service_id", "organization_id", "role");`);
    this.addSql(`create unique index "access_right_one_local_manager" on "access_right" ("service_id", "organization_id") where "role" = 'LOCAL_MANAGER' and "revoked_at" is null;`);

    this.addSql(`create table "access_request" ("id" uuid not null, "user_id" uuid not null, "organization_id" uuid not null, "service_id" uuid not null, "kind" text check ("kind" in ('LOCAL_MANAGER', 'ACCESS')) not null, "status" text check ("status" in ('PENDING', 'GRANTED', 'REFUSED', 'CANCELLED')) not null default 'PENDING', "reason" varchar(500) null, "created_at" timestamptz not null, "decided_at" timestamptz null, "decided_by" uuid null, constraint "access_request_pkey" primary key ("id"));`);
    this.addSql(`create index "access_request_user_id_index" on "access_request" ("user_id");`);
    this.addSql(`create index "access_request_service_id_organization_id_status_index" on "access_request" ("service_id", "organization_id", "status");`);
    this.addSql(`create unique index "access_request_one_pending" on "access_request" ("user_id", "service_id") where "status" = 'PENDING';`);

    this.addSql(`alter table "access_right" add constraint "access_right_service_id_foreign" foreign key ("service_id") references "online_service" ("id") on update cascade;`);

    this.addSql(`alter table "access_request" add constraint "access_request_service_id_foreign" foreign key ("service_id") references "online_service" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "access_right" cascade;`);

    this.addSql(`drop table if exists "access_request" cascade;`);
  }

}
