import { appendOnlySql } from '@pgamr/kit';
import { Migration } from '@mikro-orm/migrations';

export class Migration20261122145920 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "financial_report" ("id" uuid not null, "organization_id" uuid not null, "fiscal_year" smallint not null, "status" text check ("status" in ('DRAFT', 'AUDITED', 'TRANSMITTED', 'AMENDED')) not null default 'DRAFT', "version" smallint not null default 1, "content" jsonb not null, "audited_by" uuid null, "audited_at" timestamptz null, "attested_by" uuid null, "attested_at" timestamptz null, "first_transmitted_at" timestamptz null, "created_by" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "financial_report_pkey" primary key ("id"));`);
    this.addSql(`alter table "financial_report" add constraint "financial_report_organization_id_fiscal_year_unique" unique ("organization_id", "fiscal_year");`);

    this.addSql(`create table "financial_report_version" ("id" uuid not null, "report_id" uuid not null, "version" smallint not null, "content" jsonb not null, "audited_by" uuid not null, "attested_by" uuid not null, "transmitted_by" uuid not null, "transmitted_at" timestamptz not null, constraint "financial_report_version_pkey" primary key ("id"));`);
    this.addSql(`alter table "financial_report_version" add constraint "financial_report_version_report_id_version_unique" unique ("report_id", "version");`);

    this.addSql(`alter table "financial_report_version" add constraint "financial_report_version_report_id_foreign" foreign key ("report_id") references "financial_report" ("id") on update cascade;`);

    // R18: a transmitted version is frozen; the database itself refuses to change or delete one.
    for (const sql of appendOnlySql('financial_report_version')) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "financial_report_version" drop constraint "financial_report_version_report_id_foreign";`);

    this.addSql(`drop table if exists "financial_report" cascade;`);

    this.addSql(`drop table if exists "financial_report_version" cascade;`);
    this.addSql(`drop function if exists financial_report_version_is_append_only();`);
  }

}
