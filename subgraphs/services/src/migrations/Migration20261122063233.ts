import { Migration } from '@mikro-orm/migrations';

export class Migration20261122063233 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "online_service" ("id" uuid not null, "code" varchar(30) not null, "name" varchar(200) not null, "description" text not null, "sector" text check ("sector" in ('INFRASTRUCTURES', 'MUNICIPAL_FINANCES', 'PORTAL')) not null, "owner_ministry" varchar(200) not null, "owner_direction_code" varchar(20) not null, "owner_direction_name" varchar(200) not null, "status" text check ("status" in ('AVAILABLE', 'SUSPENDED', 'RETIRED')) not null default 'AVAILABLE', "support_name" varchar(200) not null, "support_phone" varchar(30) not null, "support_email" varchar(254) not null, "created_at" timestamptz not null, constraint "online_service_pkey" primary key ("id"));`);
    this.addSql(`alter table "online_service" add constraint "online_service_code_unique" unique ("code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "online_service" cascade;`);
  }

}
