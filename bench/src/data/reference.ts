import { MANDATING_ROLES, ServiceCode, ServiceRole, stableId, WORKING_ROLES } from '@pgamr/kit';
import { FIRM_KINDS, MUNICIPAL_KINDS, OrganizationKind } from '../../../subgraphs/identity/src/organization/organization.entity';
import { CLOSED_STATUSES, DossierStatus } from '../../../subgraphs/mandates/src/dossier/dossier.entity';
import { formKindOf } from '../../../subgraphs/mandates/src/dossier/program-forms';
import { MandateLevel } from '../../../subgraphs/mandates/src/mandate/mandate.entity';
import { DOSSIER_WORKING_ROLES, READER_ROLES } from '../../../subgraphs/mandates/src/policy';
import { CATALOG } from '../../../subgraphs/services/src/seed/reference-data';

// The subgraphs' own enums and rule constants, imported rather than copied: the data set follows
// the code when a role, a status or a rule changes.
export { CLOSED_STATUSES, DossierStatus, FIRM_KINDS, MandateLevel, MUNICIPAL_KINDS, OrganizationKind as Kind, ServiceRole as Role, WORKING_ROLES };

/**
 * The day the data set is drawn around ("today" for the benchmark): every date is fixed relative
 * to it rather than to the clock, so that the same seed gives the same bytes whenever it runs.
 * Active mandates and deputies run well past it, so the set stays usable for months.
 */
export const REFERENCE_DAY = '2026-11-22';
export const REFERENCE_TIME = Date.parse(`${REFERENCE_DAY}T05:00:00Z`);
export const DAY_MS = 86_400_000;

const SERVICE_IDS = new Map<string, string>();
/** The catalog's id of a service (services' seedCatalog), computed once per code: it is asked for every row. */
export function serviceId(code: string): string {
  let id = SERVICE_IDS.get(code);
  if (!id) SERVICE_IDS.set(code, (id = stableId('online-service', code)));
  return id;
}

/** The catalog's services that take dossiers: the DGI's financial-aid programs (TECQ, PRIMEAU…). */
export const PROGRAMS: readonly string[] = CATALOG.map((entry) => entry.code).filter((code) => formKindOf(serviceId(code)));
export const PERFORM = ServiceCode.Perform;
/** R5: the Répertoire correction service, held by a municipal body's RSÉ. */
export const CUSTOMER_DATA = ServiceCode.CustomerDataUpdate;

/** The fiscal years of the financial reports: ten years, the last one's deadline (30 June 2026) past on REFERENCE_DAY. */
export const FISCAL_YEARS = Array.from({ length: 10 }, (_, index) => 2016 + index);

/**
 * Ministry and clicSÉQUR staff of identity's demo data set: the generated mass is granted and
 * reviewed by them, as the directions owning each service would (R7, R8, R11, R13).
 */
export const MINISTRY_ORGANIZATION_ID = stableId('organization', 'MIN-MAMH');
export const CSE_ORGANIZATION_ID = stableId('organization', 'CSE-RQ');
const STAFF_BY_DIRECTION: Record<string, string> = {
  DGOMR: stableId('user', 'MAM0000001'),
  DGI: stableId('user', 'MAM0000002'),
  DNIFF: stableId('user', 'MAM0000003'),
};
export const CSE_AGENT_ID = stableId('user', 'CSE0000001');
export const DGI_STAFF_ID = STAFF_BY_DIRECTION.DGI!;

/** A demo staff member of the direction that owns the service, who decides its local-manager requests (R8, R13). */
export function ownerStaffOf(serviceCode: string): string {
  const direction = CATALOG.find((entry) => entry.code === serviceCode)?.direction;
  const staff = direction ? STAFF_BY_DIRECTION[direction] : undefined;
  if (!staff) throw new Error(`no demo staff owns service ${serviceCode}`);
  return staff;
}

/** Mandates' READER_ROLES: who reads an organization's financial reports and their summary (R13, R19). */
export const REPORT_READER_ROLES: readonly string[] = READER_ROLES;
/** Mandates' DOSSIER_WORKING_ROLES: who lists an organization's dossiers of a program (R14, R17). */
export const DOSSIER_ROLES: readonly string[] = DOSSIER_WORKING_ROLES;
/** The kit's MANDATING_ROLES: who gives an organization's mandates on a service (R15). */
export const MANDATE_GIVER_ROLES: readonly string[] = MANDATING_ROLES;

/** Mandates' levels, each including the ones before (R16). */
export const MANDATE_LEVELS_IN_ORDER: readonly MandateLevel[] = [MandateLevel.Consultation, MandateLevel.Preparation, MandateLevel.Transmission];

/** A day `days` after REFERENCE_DAY (negative: before), as `YYYY-MM-DD`. */
export const dayFromReference = (days: number): string => new Date(REFERENCE_TIME + days * DAY_MS).toISOString().slice(0, 10);
