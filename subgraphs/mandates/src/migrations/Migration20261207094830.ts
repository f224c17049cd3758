import { Migration } from '@mikro-orm/migrations';

export class Migration20261207094830 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "report_deadline_notice" ("report_id" uuid not null, "kind" varchar(40) not null, "raised_at" timestamptz not null, constraint "report_deadline_notice_pkey" primary key ("report_id", "kind"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "report_deadline_notice" cascade;`);
  }

}
