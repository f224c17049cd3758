import { Migration } from '@mikro-orm/migrations';

export class Migration20261122173703 extends Migration {

  override async up(): Promise<void> {
    // Issue 7: indexes shaped like the list queries (filter columns, then the keyset order), so a
    // page costs the same whatever the table's size. See the entities for each index's reader.
    this.addSql(`create index "access_request_service_id_status_kind_created_at_id_index" on "access_request" ("service_id", "status", "kind", "created_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "access_request_service_id_status_kind_created_at_id_index";`);
  }

}
