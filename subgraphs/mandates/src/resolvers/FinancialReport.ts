import { requireViewer } from '@pgamr/kit';
import { quebecToday } from '../calendar';
import type { MandatesContext } from '../context';
import type { AuditedFinancialReportResolvers, FinancialReportResolvers, FinancialReportVersionResolvers } from '../generated/resolvers-types';
import { mapNodes } from '../pages';
import { isAmendment, type FinancialReport as FinancialReportEntity, type FinancialReportVersion as FinancialReportVersionEntity } from '../report/financial-report.entity';
import { readableReport, visibleParts } from '../report/readable-reports';
import { auditedTotals, missingFigures, normalizeContent, type ReportContent, type ReportPart } from '../report/report-figures';
import { isLate, reportDeadline } from '../report/report.rules';

const userRef = (id?: string | null) => (id ? { __typename: 'User', id } : null);

/** A working or transmitted version's figures, with the organization whose report it is. */
interface PartsHolder {
  content: unknown;
  organizationId: string;
}

/** A transmitted version as FinancialReport.versions hands it on: with its report's organization, for R13. */
export type VersionView = FinancialReportVersionEntity & { organizationId: string };

/** R13: one part of a version, or null for a caller who may not see it (the external auditor sees the audited pages only). */
const part =
  <P extends ReportPart>(name: P) =>
  async (holder: PartsHolder, _: unknown, context: MandatesContext): Promise<ReportContent[P] | null> =>
    (await visibleParts(context, holder.organizationId)).includes(name) ? normalizeContent(holder.content)[name] : null;

/** The three parts of a working or transmitted version, as the GraphQL types expose them. */
const parts = {
  auditedFinancialReport: (holder: PartsHolder) => normalizeContent(holder.content).auditedFinancialReport,
  otherFinancialInformation: part('otherFinancialInformation'),
  forecastData: part('forecastData'),
};

export const FinancialReport = {
  /** R20: the gateway's references follow the same rule as a read by id, disclosure included. */
  __resolveReference: async ({ id }, context) => {
    // Anonymous callers are refused before any lookup: an absent report must look like any other.
    requireViewer(context.auth);
    return readableReport(context, await context.loaders.financialReportById.load(id));
  },
  organization: (report) => ({ __typename: 'Organization', id: report.organizationId }),
  isAmendment: (report) => isAmendment(report),
  ...parts,
  /** R13: for the external auditor, the figures missing from the audited pages only. */
  missingFigures: async (report, _, context) =>
    missingFigures(normalizeContent(report.content), await visibleParts(context, report.organizationId)),
  auditedBy: (report) => userRef(report.auditedBy),
  attestedBy: (report) => userRef(report.attestedBy),
  deadline: (report) => reportDeadline(report.fiscalYear),
  isLate: (report, _, context) => isLate(report, quebecToday(context.clock.now())),
  /** R18: a page of the transmitted versions, oldest first; whoever reads the report reads them. */
  versions: async (report, page, context) =>
    mapNodes(
      await context.loaders.financialReportVersionPagesByReport.load(report.id, {}, page),
      (version): VersionView => ({ ...version, organizationId: report.organizationId }),
    ),
} satisfies FinancialReportResolvers;

export const FinancialReportVersion = {
  ...parts,
  auditedBy: (version) => userRef(version.auditedBy),
  attestedBy: (version) => userRef(version.attestedBy),
  transmittedBy: (version) => userRef(version.transmittedBy),
} satisfies FinancialReportVersionResolvers;

export const AuditedFinancialReport = {
  totalRevenue: (part) => auditedTotals(part).totalRevenue,
  totalExpenses: (part) => auditedTotals(part).totalExpenses,
  annualSurplus: (part) => auditedTotals(part).annualSurplus,
} satisfies AuditedFinancialReportResolvers;

/**
 * One year of the *Sommaire de l'information financière* (R19): the report's status and late
 * flag, and the figures of its last transmitted version (null while none was transmitted). R13:
 * the population, unaudited information, only for a caller who sees every part.
 */
export function summaryYear(report: FinancialReportEntity, lastTransmitted: FinancialReportVersionEntity | null, seesUnaudited: boolean, today: string) {
  const figures = lastTransmitted ? normalizeContent(lastTransmitted.content) : null;
  const totals = figures ? auditedTotals(figures.auditedFinancialReport) : null;
  return {
    report,
    fiscalYear: report.fiscalYear,
    status: report.status,
    deadline: reportDeadline(report.fiscalYear),
    isLate: isLate(report, today),
    transmittedVersion: lastTransmitted?.version ?? null,
    transmittedAt: lastTransmitted?.transmittedAt ?? null,
    totalRevenue: totals?.totalRevenue ?? null,
    totalExpenses: totals?.totalExpenses ?? null,
    annualSurplus: totals?.annualSurplus ?? null,
    longTermDebt: figures?.auditedFinancialReport.longTermDebt ?? null,
    accumulatedSurplus: figures?.auditedFinancialReport.accumulatedSurplus ?? null,
    population: (seesUnaudited ? figures?.otherFinancialInformation.population : null) ?? null,
  };
}
