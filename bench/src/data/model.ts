import type { DossierStatus, Kind, MandateLevel, Role } from './reference';

// The generated rows, one interface per table, with a few generation-only links (`org`, `staff`)
// the later generators and the manifest need. Column names follow the subgraphs' entities.

export interface OrganizationRow {
  id: string;
  /** The natural key the id derives from (stableId('organization', key)), like the demo's `MUN-45072`. */
  key: string;
  kind: Kind;
  name: string;
  neq: string | null;
  geographicCode: string | null;
  administrativeRegion: string | null;
  /** R5: the body's MRC (an MRC's is itself), an MRC of its region; null outside any MRC. */
  mrcId: string | null;
  createdAt: Date;
  /** Generation only. */
  municipal: boolean;
  firm: boolean;
  population: number;
  regionIndex: number;
  codePrefix: string;
  domain: string;
  users: UserRow[];
}

export interface UserRow {
  id: string;
  clicSequrCode: string;
  givenName: string;
  familyName: string;
  email: string;
  phone: string | null;
  status: 'ACTIVE' | 'SUSPENDED';
  isRse: boolean;
  /** R20: the ministry direction of a ministry staff member (a regional direction: `DR-05`); null for everyone else. */
  direction: string | null;
  passwordIsTemporary: boolean;
  temporaryPasswordExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  org: OrganizationRow;
}

/** Who may sign in and act: the personas and every role holder are drawn among these. */
export const canAct = (user: UserRow): boolean => user.status === 'ACTIVE' && !user.passwordIsTemporary;

export interface PersonInAuthorityRow {
  id: string;
  organizationId: string;
  role: string;
  givenName: string;
  familyName: string;
}

export interface AccessRightRow {
  id: string;
  userId: string;
  organizationId: string;
  serviceCode: string;
  role: Role;
  validFrom: Date;
  validUntil: Date | null;
  grantedBy: string;
  grantedAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export interface AccessRequestRow {
  id: string;
  userId: string;
  organizationId: string;
  serviceCode: string;
  kind: 'LOCAL_MANAGER' | 'ACCESS';
  status: 'PENDING' | 'GRANTED' | 'REFUSED' | 'CANCELLED';
  reason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
}

/** One entry of a subgraph's append-only audit trail (the kit's AuditEvent). */
export interface AuditRow {
  id: string;
  occurredAt: Date;
  actorUserId: string;
  actorOrganizationId: string;
  organizationId: string;
  serviceId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface DossierRow {
  id: string;
  organizationId: string;
  serviceCode: string;
  title: string;
  requestedAmount: string;
  status: DossierStatus;
  form: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface DossierStatusChangeRow {
  id: string;
  dossierId: string;
  fromStatus: DossierStatus | null;
  toStatus: DossierStatus;
  changedBy: string;
  changedAt: Date;
  reason: string | null;
}

export interface MandateRow {
  id: string;
  organizationId: string;
  serviceCode: string;
  firmOrganizationId: string;
  mandataireId: string;
  mandataireName: string;
  level: MandateLevel;
  startsOn: string;
  endsOn: string | null;
  parentId: string | null;
  grantedBy: string;
  grantedAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  dossierIds: string[];
}

/**
 * A financial report's three parts as mandates stores them (report-figures.ts ReportContent),
 * every figure filled: amounts as exact decimal strings ("1200000.50", API v1), counts as integers.
 */
export interface ReportContent {
  auditedFinancialReport: Record<string, string>;
  otherFinancialInformation: Record<string, string | number>;
  forecastData: Record<string, string>;
}

export interface FinancialReportRow {
  id: string;
  organizationId: string;
  fiscalYear: number;
  /** Where the working version stands (R18, API v1 rule 5); an amendment is version > 1. */
  status: 'DRAFT' | 'AUDITED' | 'ATTESTED' | 'TRANSMITTED';
  version: number;
  content: ReportContent;
  auditedBy: string | null;
  auditedAt: Date | null;
  attestedBy: string | null;
  attestedAt: Date | null;
  firstTransmittedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface FinancialReportVersionRow {
  id: string;
  reportId: string;
  version: number;
  content: ReportContent;
  auditedBy: string;
  attestedBy: string;
  transmittedBy: string;
  transmittedAt: Date;
}

/** Everything generated, by subgraph. */
export interface DataSet {
  seed: number;
  scale: number;
  organizations: OrganizationRow[];
  users: UserRow[];
  personsInAuthority: PersonInAuthorityRow[];
  identityAudit: AuditRow[];
  accessRights: AccessRightRow[];
  accessRequests: AccessRequestRow[];
  servicesAudit: AuditRow[];
  dossiers: DossierRow[];
  statusChanges: DossierStatusChangeRow[];
  mandates: MandateRow[];
  financialReports: FinancialReportRow[];
  reportVersions: FinancialReportVersionRow[];
  mandatesAudit: AuditRow[];
}
