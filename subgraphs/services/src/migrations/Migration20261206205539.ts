import { Migration } from '@mikro-orm/migrations';

export class Migration20261206205539 extends Migration {

  override async up(): Promise<void> {
    // R23: a service's sector is checked against the kit's vocabulary when a seed or a ministry's
    // registration writes it, so that a sector the portal adds needs no migration here.
    this.addSql(`alter table "online_service" drop constraint if exists "online_service_sector_check";`);

    this.addSql(`alter table "online_service" alter column "sector" type text using ("sector"::text);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "online_service" add constraint "online_service_sector_check" check("sector" in ('INFRASTRUCTURES', 'MUNICIPAL_FINANCES', 'PORTAL'));`);
  }

}
