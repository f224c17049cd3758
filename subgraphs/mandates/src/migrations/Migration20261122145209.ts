import { appendOnlySql } from '@pgamr/kit';
import { Migration } from '@mikro-orm/migrations';

export class Migration20261122145209 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "disclosure_event" ("id" uuid not null, "occurred_at" timestamptz not null, "reader_user_id" uuid not null, "reader_organization_id" uuid not null, "organization_id" uuid not null, "service_id" uuid not null, "record_type" text check ("record_type" in ('DOSSIER', 'FINANCIAL_REPORT')) not null, "record_id" uuid not null, "mandate_id" uuid null, "role" varchar(40) null, constraint "disclosure_event_pkey" primary key ("id"));`);
    this.addSql(`create index "disclosure_event_organization_id_occurred_at_id_index" on "disclosure_event" ("organization_id", "occurred_at", "id");`);

    this.addSql(`create table "dossier_status_change" ("id" uuid not null, "dossier_id" uuid not null, "from_status" text check ("from_status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'ACCEPTED', 'REFUSED')) null, "to_status" text check ("to_status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'ACCEPTED', 'REFUSED')) not null, "changed_by" uuid not null, "changed_at" timestamptz not null, "reason" varchar(1000) null, constraint "dossier_status_change_pkey" primary key ("id"));`);
    this.addSql(`create index "dossier_status_change_dossier_id_changed_at_index" on "dossier_status_change" ("dossier_id", "changed_at");`);

    this.addSql(`create table "mandate" ("id" uuid not null, "organization_id" uuid not null, "service_id" uuid not null, "firm_organization_id" uuid not null, "mandataire_id" uuid not null, "mandataire_name" varchar(201) not null, "level" text check ("level" in ('CONSULTATION', 'PREPARATION', 'TRANSMISSION')) not null, "starts_on" date not null, "ends_on" date null, "parent_id" uuid null, "granted_by" uuid not null, "granted_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_by" uuid null, constraint "mandate_pkey" primary key ("id"));`);
    this.addSql(`create index "mandate_parent_id_index" on "mandate" ("parent_id");`);
    this.addSql(`create index "mandate_mandataire_id_revoked_at_index" on "mandate" ("mandataire_id", "revoked_at");`);
    this.addSql(`create index "mandate_organization_id_granted_at_index" on "mandate" ("organization_id", "granted_at");`);
    this.addSql(`create index "mandate_firm_organization_id_granted_at_index" on "mandate" ("firm_organization_id", "granted_at");`);

    this.addSql(`create table "mandate_dossier" ("mandate_id" uuid not null, "dossier_id" uuid not null, constraint "mandate_dossier_pkey" primary key ("mandate_id", "dossier_id"));`);
    this.addSql(`create index "mandate_dossier_dossier_id_index" on "mandate_dossier" ("dossier_id");`);

    this.addSql(`alter table "dossier_status_change" add constraint "dossier_status_change_dossier_id_foreign" foreign key ("dossier_id") references "dossier" ("id") on update cascade;`);

    this.addSql(`alter table "mandate" add constraint "mandate_parent_id_foreign" foreign key ("parent_id") references "mandate" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "mandate_dossier" add constraint "mandate_dossier_mandate_id_foreign" foreign key ("mandate_id") references "mandate" ("id") on update cascade;`);
    this.addSql(`alter table "mandate_dossier" add constraint "mandate_dossier_dossier_id_foreign" foreign key ("dossier_id") references "dossier" ("id") on update cascade;`);

    this.addSql(`drop index "dossier_organization_id_index";`);
    this.addSql(`drop index "dossier_service_id_index";`);

    // Dossiers saved before forms and authorship existed: an empty form, an unknown author (nil UUID).
    this.addSql(`alter table "dossier" add column "form" jsonb not null default '{}', add column "created_by" uuid not null default '00000000-0000-0000-0000-000000000000', add column "updated_at" timestamptz not null default now();`);
    this.addSql(`alter table "dossier" alter column "form" drop default, alter column "created_by" drop default, alter column "updated_at" drop default;`);
    this.addSql(`create index "dossier_organization_id_created_at_id_index" on "dossier" ("organization_id", "created_at", "id");`);
    this.addSql(`create index "dossier_service_id_created_at_id_index" on "dossier" ("service_id", "created_at", "id");`);

    // R21 and the disclosure log: the database itself refuses to rewrite history.
    for (const sql of appendOnlySql('disclosure_event')) this.addSql(sql);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "mandate" drop constraint "mandate_parent_id_foreign";`);

    this.addSql(`alter table "mandate_dossier" drop constraint "mandate_dossier_mandate_id_foreign";`);

    this.addSql(`drop table if exists "disclosure_event" cascade;`);

    this.addSql(`drop table if exists "dossier_status_change" cascade;`);

    this.addSql(`drop table if exists "mandate" cascade;`);

    this.addSql(`drop table if exists "mandate_dossier" cascade;`);

    this.addSql(`drop index "dossier_organization_id_created_at_id_index";`);
    this.addSql(`drop index "dossier_service_id_created_at_id_index";`);
    this.addSql(`alter table "dossier" drop column "form", drop column "created_by", drop column "updated_at";`);

    this.addSql(`create index "dossier_organization_id_index" on "dossier" ("organization_id");`);
    this.addSql(`create index "dossier_service_id_index" on "dossier" ("service_id");`);
  }

}
