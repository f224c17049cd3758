import { Migration } from '@mikro-orm/migrations';

export class Migration20261122063258 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "dossier" ("id" uuid not null, "organization_id" uuid not null, "service_id" uuid not null, "title" varchar(300) not null, "requested_amount" numeric(14,2) not null, "status" text check ("status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'ACCEPTED', 'REFUSED')) not null default 'DRAFT', "created_at" timestamptz not null, constraint "dossier_pkey" primary key ("id"));`);
    this.addSql(`create index "dossier_organization_id_index" on "dossier" ("organization_id");`);
    this.addSql(`create index "dossier_service_id_index" on "dossier" ("service_id");`);
    this.addSql(`create index "dossier_status_index" on "dossier" ("status");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "dossier" cascade;`);
  }

}
