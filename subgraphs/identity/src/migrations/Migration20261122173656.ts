import { Migration } from '@mikro-orm/migrations';

export class Migration20261122173656 extends Migration {

  override async up(): Promise<void> {
    // Issue 7: indexes shaped like the list queries (filter columns, then the keyset order), so a
    // page costs the same whatever the table's size. See the entities for each index's reader.
    this.addSql(`drop index "app_user_organization_id_index";`);

    this.addSql(`create index "app_user_organization_id_family_name_given_name_id_index" on "app_user" ("organization_id", "family_name", "given_name", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "app_user_organization_id_family_name_given_name_id_index";`);

    this.addSql(`create index "app_user_organization_id_index" on "app_user" ("organization_id");`);
  }

}
