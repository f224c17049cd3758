import { ServiceCode, ServiceRole, stableId, type PerformRole, type RightSet, type Viewer } from '@pgamr/kit';
import { quebecToday } from '../calendar';
import type { FinancialReport, FinancialReportVersion } from './financial-report.entity';

// The PERFORM financial reports' authorization and calendar rules (R13, R18, R20), one function per rule.

/** PERFORM, in the catalog every environment is seeded with. */
export const PERFORM_SERVICE_ID = stableId('online-service', ServiceCode.Perform);

/** R13: a role under which someone reads an organization's reports. */
export type ReportReaderRole = PerformRole | typeof ServiceRole.MunicipalRespondent;

/**
 * Who reads an organization's reports: every PERFORM role and the répondant municipal. The order
 * says which role a disclosure names when an outsider holds several: the external auditor's first.
 */
export const READER_ROLES: readonly ReportReaderRole[] = [
  ServiceRole.PerformExternalAuditor,
  ServiceRole.PerformPreparer,
  ServiceRole.PerformReviewer,
  ServiceRole.PerformSignatory,
  ServiceRole.PerformTransmitter,
  ServiceRole.MunicipalRespondent,
];

/** How the caller reads an organization's reports. */
export type ReportReading =
  | { read: false }
  | {
      read: true;
      /**
       * Null for the body's own users and DNIFF staff: nothing to disclose. R20: for someone of
       * another organization (a firm's auditor…), whose every read is logged, the role it is under.
       */
      disclosedAs: ReportReaderRole | null;
      /**
       * R13: the external auditor sees the audited financial report only, not the other unaudited
       * financial information nor the forecast data; true when that is the caller's only role.
       */
      auditedPagesOnly: boolean;
    };

/**
 * R13, R20: holders of a PERFORM role (or the répondant municipal) on the organization read its
 * reports, whatever their own organization; DNIFF, PERFORM's owner, reads every report; nobody
 * else learns one exists. An external auditor and nothing else reads the audited pages only.
 */
export function reportReading(viewer: Viewer, rights: RightSet, organizationId: string): ReportReading {
  if (rights.administers(PERFORM_SERVICE_ID)) return { read: true, disclosedAs: null, auditedPagesOnly: false };
  const held = READER_ROLES.filter((role) => rights.has(PERFORM_SERVICE_ID, organizationId, [role]));
  if (held.length === 0) return { read: false };
  return {
    read: true,
    disclosedAs: viewer.organizationId === organizationId ? null : held[0]!,
    auditedPagesOnly: held.every((role) => role === ServiceRole.PerformExternalAuditor),
  };
}

/** R13: does the caller hold this PERFORM role on the organization now? DNIFF's read access gives no role. */
export const holdsPerformRole = (rights: RightSet, organizationId: string, role: PerformRole): boolean =>
  rights.has(PERFORM_SERVICE_ID, organizationId, [role]);

/**
 * R13: one person is never both external auditor and signatory of the same report, across its
 * versions: whoever attested any version does not audit it, and the other way round.
 */
export const hasAttested = (userId: string, report: FinancialReport, versions: readonly FinancialReportVersion[]): boolean =>
  report.attestedBy === userId || versions.some((version) => version.attestedBy === userId);

export const hasAudited = (userId: string, report: FinancialReport, versions: readonly FinancialReportVersion[]): boolean =>
  report.auditedBy === userId || versions.some((version) => version.auditedBy === userId);

/** R18: the legal deadline of a fiscal year's report, 30 June of the following year (`YYYY-MM-DD`). */
export const reportDeadline = (fiscalYear: number): string => `${fiscalYear + 1}-06-30`;

/**
 * R18: late when first transmitted after its deadline (Québec calendar days), or never
 * transmitted and the deadline is past today in Québec.
 */
export function isLate(report: Pick<FinancialReport, 'fiscalYear' | 'firstTransmittedAt'>, today: string): boolean {
  const deadline = reportDeadline(report.fiscalYear);
  return report.firstTransmittedAt ? quebecToday(report.firstTransmittedAt) > deadline : today > deadline;
}

/** R18: the fiscal years a report may be opened for: from 2000 to the current year in Québec. */
export const FIRST_FISCAL_YEAR = 2000;
export const currentFiscalYear = (today: string): number => Number(today.slice(0, 4));
