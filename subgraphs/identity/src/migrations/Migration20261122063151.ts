import { Migration } from '@mikro-orm/migrations';

export class Migration20261122063151 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "organization" ("id" uuid not null, "kind" text check ("kind" in ('LOCAL_MUNICIPALITY', 'MRC', 'INTERMUNICIPAL_BOARD', 'METROPOLITAN_COMMUNITY', 'OTHER_ORGANISM', 'CONSULTING_FIRM', 'AUDITING_FIRM', 'CONSULTANT', 'COLLABORATOR', 'MINISTRY', 'CLICSEQUR_CUSTOMER_SERVICE')) not null, "name" varchar(200) not null, "neq" varchar(10) null, "clic_sequr_status" text check ("clic_sequr_status" in ('PENDING', 'REGISTERED', 'REVOKED')) not null default 'PENDING', "geographic_code" varchar(5) null, "administrative_region" varchar(60) null, "created_at" timestamptz not null, constraint "organization_pkey" primary key ("id"));`);
    this.addSql(`create index "organization_kind_index" on "organization" ("kind");`);
    this.addSql(`alter table "organization" add constraint "organization_neq_unique" unique ("neq");`);
    this.addSql(`alter table "organization" add constraint "organization_geographic_code_unique" unique ("geographic_code");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "clic_sequr_code" varchar(12) not null, "given_name" varchar(100) not null, "family_name" varchar(100) not null, "email" varchar(254) not null, "organization_id" uuid not null, "created_at" timestamptz not null, constraint "app_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_clic_sequr_code_unique" unique ("clic_sequr_code");`);
    this.addSql(`create index "app_user_organization_id_index" on "app_user" ("organization_id");`);

    this.addSql(`alter table "app_user" add constraint "app_user_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "app_user" drop constraint "app_user_organization_id_foreign";`);

    this.addSql(`drop table if exists "organization" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);
  }

}
