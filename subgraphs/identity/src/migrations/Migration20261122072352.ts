import { Migration } from '@mikro-orm/migrations';

export class Migration20261122072352 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "organization" ("id" uuid not null, "kind" text check ("kind" in ('LOCAL_MUNICIPALITY', 'MRC', 'INTERMUNICIPAL_BOARD', 'METROPOLITAN_COMMUNITY', 'OTHER_ORGANISM', 'CONSULTING_FIRM', 'AUDITING_FIRM', 'CONSULTANT', 'COLLABORATOR', 'MINISTRY', 'CLICSEQUR_CUSTOMER_SERVICE')) not null, "name" varchar(200) not null, "neq" varchar(10) null, "clic_sequr_status" text check ("clic_sequr_status" in ('PENDING', 'REGISTERED', 'REVOKED')) not null default 'PENDING', "geographic_code" varchar(5) null, "administrative_region" varchar(60) null, "created_at" timestamptz not null, constraint "organization_pkey" primary key ("id"));`);
    this.addSql(`create index "organization_kind_index" on "organization" ("kind");`);
    this.addSql(`alter table "organization" add constraint "organization_neq_unique" unique ("neq");`);
    this.addSql(`alter table "organization" add constraint "organization_geographic_code_unique" unique ("geographic_code");`);

    this.addSql(`create table "person_in_authority" ("id" uuid not null, "organization_id" uuid not null, "role" text check ("role" in ('MAYOR', 'PREFECT', 'CHAIR', 'DIRECTOR_GENERAL', 'CLERK_TREASURER', 'CLERK', 'TREASURER')) not null, "given_name" varchar(100) not null, "family_name" varchar(100) not null, constraint "person_in_authority_pkey" primary key ("id"));`);
    this.addSql(`create index "person_in_authority_organization_id_index" on "person_in_authority" ("organization_id");`);

    this.addSql(`create table "sign_in_attempt" ("code" varchar(64) not null, "failed_count" int not null default 0, "locked_until" timestamptz null, "last_failure_at" timestamptz null, constraint "sign_in_attempt_pkey" primary key ("code"));`);

    this.addSql(`create table "signing_key" ("kid" varchar(64) not null, "public_jwk" jsonb not null, "private_jwk" jsonb not null, "created_at" timestamptz not null, "activates_at" timestamptz not null, "retires_at" timestamptz null, constraint "signing_key_pkey" primary key ("kid"));`);

    this.addSql(`create table "app_user" ("id" uuid not null, "clic_sequr_code" varchar(12) not null, "given_name" varchar(100) not null, "family_name" varchar(100) not null, "email" varchar(254) not null, "phone" varchar(30) null, "status" text check ("status" in ('ACTIVE', 'SUSPENDED')) not null default 'ACTIVE', "is_rse" boolean not null default false, "direction" varchar(20) null, "organization_id" uuid not null, "password_hash" text not null, "password_is_temporary" boolean not null default true, "temporary_password_expires_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "app_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_clic_sequr_code_unique" unique ("clic_sequr_code");`);
    this.addSql(`create index "app_user_organization_id_index" on "app_user" ("organization_id");`);

    this.addSql(`create table "session" ("id" uuid not null, "user_id" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_reason" varchar(40) null, constraint "session_pkey" primary key ("id"));`);
    this.addSql(`create index "session_user_id_index" on "session" ("user_id");`);

    this.addSql(`create table "refresh_token" ("id" uuid not null, "session_id" uuid not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "refresh_token_pkey" primary key ("id"));`);
    this.addSql(`create index "refresh_token_session_id_index" on "refresh_token" ("session_id");`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "person_in_authority" add constraint "person_in_authority_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "app_user" add constraint "app_user_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade;`);

    this.addSql(`alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade;`);

    this.addSql(`alter table "refresh_token" add constraint "refresh_token_session_id_foreign" foreign key ("session_id") references "session" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "person_in_authority" drop constraint "person_in_authority_organization_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_organization_id_foreign";`);

    this.addSql(`alter table "session" drop constraint "session_user_id_foreign";`);

    this.addSql(`alter table "refresh_token" drop constraint "refresh_token_session_id_foreign";`);

    this.addSql(`drop table if exists "organization" cascade;`);

    this.addSql(`drop table if exists "person_in_authority" cascade;`);

    this.addSql(`drop table if exists "sign_in_attempt" cascade;`);

    this.addSql(`drop table if exists "signing_key" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "session" cascade;`);

    this.addSql(`drop table if exists "refresh_token" cascade;`);
  }

}
