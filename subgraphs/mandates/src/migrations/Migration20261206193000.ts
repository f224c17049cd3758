import { Migration } from '@mikro-orm/migrations';

// API v1 (issue 14). Written out in full here, not read from the code: a migration must keep
// meaning what it meant when it ran.

/** The amounts of a report's content, by part: every figure but the two counts. */
const AMOUNTS: Record<string, readonly string[]> = {
  auditedFinancialReport: [
    'taxRevenue',
    'transferRevenue',
    'serviceRevenue',
    'otherRevenue',
    'operatingExpenses',
    'financingExpenses',
    'longTermDebt',
    'accumulatedSurplus',
  ],
  otherFinancialInformation: ['uniformAssessment'],
  forecastData: ['budgetedRevenue', 'budgetedExpenses', 'plannedCapitalExpenditures'],
};
const AMOUNT_PATHS = Object.entries(AMOUNTS).flatMap(([part, fields]) => fields.map((field) => `{${part},${field}}`));
const CONTENT_TABLES = ['financial_report', 'financial_report_version'];

export class Migration20261206193000 extends Migration {

  override async up(): Promise<void> {
    // R18, rule 5 of v1: a report's status is where its working version stands. AMENDED said
    // "an amendment" until the next transmission, audited and attested or not; an amendment is
    // now `version > 1`, and its stage is DRAFT, AUDITED or ATTESTED like any version's.
    this.addSql(`alter table "financial_report" drop constraint if exists "financial_report_status_check";`);
    this.addSql(`update "financial_report" set "status" = case when "attested_by" is not null then 'ATTESTED' when "audited_by" is not null then 'AUDITED' else 'DRAFT' end where "status" <> 'TRANSMITTED';`);
    this.addSql(`alter table "financial_report" add constraint "financial_report_status_check" check("status" in ('DRAFT', 'AUDITED', 'ATTESTED', 'TRANSMITTED'));`);

    // Money is exact (v1): the figures' JSON numbers become decimal strings with two decimals,
    // converted by PostgreSQL (jsonb keeps numbers as numeric), never through a float. The
    // transmitted versions are frozen (R18): their figures keep their values, only their
    // written form changes, with the append-only trigger set aside for this statement alone.
    this.addSql(`alter table "financial_report_version" disable trigger "financial_report_version_append_only";`);
    for (const table of CONTENT_TABLES) {
      for (const path of AMOUNT_PATHS) {
        this.addSql(
          `update "${table}" set "content" = jsonb_set("content", '${path}', to_jsonb(round(("content" #>> '${path}')::numeric, 2)::text)) ` +
            `where jsonb_typeof("content" #> '${path}') = 'number';`,
        );
      }
    }
    this.addSql(`alter table "financial_report_version" enable trigger "financial_report_version_append_only";`);

    // Calendar days are named …On (v1): the forms' planned work dates.
    this.addSql(
      `update "dossier" set "form" = ("form" - 'plannedWorkStart' - 'plannedWorkEnd') || ` +
        `jsonb_strip_nulls(jsonb_build_object('plannedWorkStartsOn', "form" -> 'plannedWorkStart', 'plannedWorkEndsOn', "form" -> 'plannedWorkEnd')) ` +
        `where "form" -> 'plannedWorkStart' is not null or "form" -> 'plannedWorkEnd' is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `update "dossier" set "form" = ("form" - 'plannedWorkStartsOn' - 'plannedWorkEndsOn') || ` +
        `jsonb_strip_nulls(jsonb_build_object('plannedWorkStart', "form" -> 'plannedWorkStartsOn', 'plannedWorkEnd', "form" -> 'plannedWorkEndsOn')) ` +
        `where "form" -> 'plannedWorkStartsOn' is not null or "form" -> 'plannedWorkEndsOn' is not null;`,
    );

    this.addSql(`alter table "financial_report_version" disable trigger "financial_report_version_append_only";`);
    for (const table of CONTENT_TABLES) {
      for (const path of AMOUNT_PATHS) {
        this.addSql(
          `update "${table}" set "content" = jsonb_set("content", '${path}', to_jsonb(("content" #>> '${path}')::numeric)) ` +
            `where jsonb_typeof("content" #> '${path}') = 'string';`,
        );
      }
    }
    this.addSql(`alter table "financial_report_version" enable trigger "financial_report_version_append_only";`);

    this.addSql(`alter table "financial_report" drop constraint if exists "financial_report_status_check";`);
    this.addSql(`update "financial_report" set "status" = case when "version" > 1 then 'AMENDED' else 'AUDITED' end where "status" = 'ATTESTED' or ("version" > 1 and "status" <> 'TRANSMITTED');`);
    this.addSql(`alter table "financial_report" add constraint "financial_report_status_check" check("status" in ('DRAFT', 'AUDITED', 'TRANSMITTED', 'AMENDED'));`);
  }

}
