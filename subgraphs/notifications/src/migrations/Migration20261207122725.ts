import { Migration } from '@mikro-orm/migrations';

// R13, R18: an event about no one organization and no record (the PERFORM deadline for the bodies
// that have not opened their report), to the roles of every organization but those excepted.
// Trimmed from the generated diff: its `alter column … type … using` of unchanged types would
// rewrite the whole inbox for nothing.
export class Migration20261207122725 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "notification_audience" drop constraint if exists "notification_audience_kind_check";`);

    this.addSql(`alter table "notification" alter column "organization_id" drop not null;`);
    this.addSql(`alter table "notification" alter column "subject_typename" drop not null;`);
    this.addSql(`alter table "notification" alter column "subject_id" drop not null;`);

    this.addSql(`alter table "notification_audience" add column "except_organization_ids" uuid[] null;`);
    this.addSql(`alter table "notification_audience" add constraint "notification_audience_kind_check" check("kind" in ('USERS', 'OWNER_STAFF', 'FIRM_RSE', 'SERVICE_USERS', 'SERVICE_ROLES', 'SERVICE_ROLES_EXCEPT'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notification_audience" drop constraint if exists "notification_audience_kind_check";`);

    this.addSql(`alter table "notification" alter column "organization_id" set not null;`);
    this.addSql(`alter table "notification" alter column "subject_typename" set not null;`);
    this.addSql(`alter table "notification" alter column "subject_id" set not null;`);

    this.addSql(`alter table "notification_audience" drop column "except_organization_ids";`);

    this.addSql(`alter table "notification_audience" add constraint "notification_audience_kind_check" check("kind" in ('USERS', 'OWNER_STAFF', 'FIRM_RSE', 'SERVICE_USERS', 'SERVICE_ROLES'));`);
  }

}
