import { Migration } from '@mikro-orm/migrations';

export class Migration20261122173656 extends Migration {

  override async up(): Promise<void> {
    // Issue 7: indexes shaped like the list queries (filter columns, then the keyset order), so a
    // page costs the same whatever the table's size. See the entities for each index's reader.
    this.addSql(`drop index "audit_event_organization_id_occurred_at_index";`);
    this.addSql(`drop index "audit_event_service_id_occurred_at_index";`);

    this.addSql(`create index "audit_event_organization_id_occurred_at_id_index" on "audit_event" ("organization_id", "occurred_at", "id");`);
    this.addSql(`create index "audit_event_service_id_organization_id_occurred_at_id_index" on "audit_event" ("service_id", "organization_id", "occurred_at", "id");`);

    this.addSql(`drop index "app_user_organization_id_index";`);

    this.addSql(`create index "app_user_organization_id_family_name_given_name_id_index" on "app_user" ("organization_id", "family_name", "given_name", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "app_user_organization_id_family_name_given_name_id_index";`);

    this.addSql(`create index "app_user_organization_id_index" on "app_user" ("organization_id");`);

    this.addSql(`drop index "audit_event_organization_id_occurred_at_id_index";`);
    this.addSql(`drop index "audit_event_service_id_organization_id_occurred_at_id_index";`);

    this.addSql(`create index "audit_event_organization_id_occurred_at_index" on "audit_event" ("organization_id", "occurred_at");`);
    this.addSql(`create index "audit_event_service_id_occurred_at_index" on "audit_event" ("service_id", "occurred_at");`);
  }

}
