import { Migration } from '@mikro-orm/migrations';

export class Migration20261207082139 extends Migration {

  override async up(): Promise<void> {
    // Issue 18, R5: a municipal body's MRC in the Répertoire, so that figures group and filter by
    // it. Indexed for userStatistics' filter by MRC; an MRC's own MRC is itself, from the start.
    this.addSql(`alter table "organization" add column "mrc_id" uuid null;`);
    this.addSql(`alter table "organization" add constraint "organization_mrc_id_foreign" foreign key ("mrc_id") references "organization" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "organization_mrc_id_index" on "organization" ("mrc_id");`);
    this.addSql(`update "organization" set "mrc_id" = "id" where "kind" = 'MRC';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "organization" drop constraint "organization_mrc_id_foreign";`);

    this.addSql(`drop index "organization_mrc_id_index";`);
    this.addSql(`alter table "organization" drop column "mrc_id";`);
  }

}
