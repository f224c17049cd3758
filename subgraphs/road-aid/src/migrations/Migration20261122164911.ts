import { Migration } from '@mikro-orm/migrations';

export class Migration20261122164911 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "road_aid_application" ("id" uuid not null, "organization_id" uuid not null, "fiscal_year" smallint not null, "road_segment_name" varchar(300) not null, "length_km" numeric(8,2) not null, "requested_amount" numeric(14,2) not null, "status" text check ("status" in ('DRAFT', 'SUBMITTED')) not null default 'DRAFT', "created_by" uuid not null, "created_at" timestamptz not null, constraint "road_aid_application_pkey" primary key ("id"));`);
    this.addSql(`create index "road_aid_application_organization_id_index" on "road_aid_application" ("organization_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "road_aid_application" cascade;`);
  }

}
