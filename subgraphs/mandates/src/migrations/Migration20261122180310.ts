import { Migration } from '@mikro-orm/migrations';

export class Migration20261122180310 extends Migration {

  override async up(): Promise<void> {
    // Issue 7: indexes shaped like the list queries (filter columns, then the keyset order), so a
    // page costs the same whatever the table's size; the status index alone (five values) served
    // no query and is replaced by the program's review queue. See the entities for each reader.
    this.addSql(`drop index "dossier_status_index";`);

    this.addSql(`create index "dossier_service_id_status_created_at_id_index" on "dossier" ("service_id", "status", "created_at", "id");`);
    this.addSql(`create index "dossier_created_at_id_index" on "dossier" ("created_at", "id");`);

    this.addSql(`drop index "mandate_firm_organization_id_granted_at_index";`);
    this.addSql(`drop index "mandate_organization_id_granted_at_index";`);

    this.addSql(`create index "mandate_mandataire_id_granted_at_id_index" on "mandate" ("mandataire_id", "granted_at", "id");`);
    this.addSql(`create index "mandate_organization_id_granted_at_id_index" on "mandate" ("organization_id", "granted_at", "id");`);
    this.addSql(`create index "mandate_firm_organization_id_granted_at_id_index" on "mandate" ("firm_organization_id", "granted_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "dossier_service_id_status_created_at_id_index";`);
    this.addSql(`drop index "dossier_created_at_id_index";`);

    this.addSql(`create index "dossier_status_index" on "dossier" ("status");`);

    this.addSql(`drop index "mandate_mandataire_id_granted_at_id_index";`);
    this.addSql(`drop index "mandate_organization_id_granted_at_id_index";`);
    this.addSql(`drop index "mandate_firm_organization_id_granted_at_id_index";`);

    this.addSql(`create index "mandate_firm_organization_id_granted_at_index" on "mandate" ("firm_organization_id", "granted_at");`);
    this.addSql(`create index "mandate_organization_id_granted_at_index" on "mandate" ("organization_id", "granted_at");`);
  }

}
