import { requireViewer } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import type { FinancialReport as FinancialReportEntity, FinancialReportVersion as FinancialReportVersionEntity } from '../report/financial-report.entity';
import { readableReport } from '../report/report.access';
import { auditedTotals, missingFigures, normalizeContent, type ReportContent } from '../report/report-figures';
import { isLate, reportDeadline } from '../report/report.rules';

const iso = (date?: Date | null) => date?.toISOString() ?? null;
const userRef = (id?: string | null) => (id ? { __typename: 'User', id } : null);

/** The three parts of a working or transmitted version, as the GraphQL types expose them. */
const parts = {
  auditedFinancialReport: (holder: { content: unknown }) => normalizeContent(holder.content).auditedFinancialReport,
  otherFinancialInformation: (holder: { content: unknown }) => normalizeContent(holder.content).otherFinancialInformation,
  forecastData: (holder: { content: unknown }) => normalizeContent(holder.content).forecastData,
};

export const FinancialReport = {
  /** R20: the gateway's references follow the same rule as a read by id, disclosure included. */
  __resolveReference: async ({ id }: { id: string }, context: MandatesContext) => {
    // Anonymous callers are refused before any lookup: an absent report must look like any other.
    requireViewer(context.auth);
    return readableReport(context, await context.loaders.financialReportById.load(id));
  },
  organization: (report: FinancialReportEntity) => ({ __typename: 'Organization', id: report.organizationId }),
  ...parts,
  missingFigures: (report: FinancialReportEntity) => missingFigures(normalizeContent(report.content)),
  auditedBy: (report: FinancialReportEntity) => userRef(report.auditedBy),
  auditedAt: (report: FinancialReportEntity) => iso(report.auditedAt),
  attestedBy: (report: FinancialReportEntity) => userRef(report.attestedBy),
  attestedAt: (report: FinancialReportEntity) => iso(report.attestedAt),
  firstTransmittedAt: (report: FinancialReportEntity) => iso(report.firstTransmittedAt),
  deadline: (report: FinancialReportEntity) => reportDeadline(report.fiscalYear),
  isLate: (report: FinancialReportEntity) => isLate(report),
  versions: (report: FinancialReportEntity, _: unknown, context: MandatesContext) =>
    context.loaders.financialReportVersionsByReport.load(report.id),
  createdAt: (report: FinancialReportEntity) => report.createdAt.toISOString(),
  updatedAt: (report: FinancialReportEntity) => report.updatedAt.toISOString(),
};

export const FinancialReportVersion = {
  ...parts,
  auditedBy: (version: FinancialReportVersionEntity) => userRef(version.auditedBy),
  attestedBy: (version: FinancialReportVersionEntity) => userRef(version.attestedBy),
  transmittedBy: (version: FinancialReportVersionEntity) => userRef(version.transmittedBy),
  transmittedAt: (version: FinancialReportVersionEntity) => version.transmittedAt.toISOString(),
};

type AuditedPart = ReportContent['auditedFinancialReport'];

export const AuditedFinancialReport = {
  totalRevenue: (part: AuditedPart) => auditedTotals(part).totalRevenue,
  totalExpenses: (part: AuditedPart) => auditedTotals(part).totalExpenses,
  annualSurplus: (part: AuditedPart) => auditedTotals(part).annualSurplus,
};

/**
 * One year of the *Sommaire de l'information financière* (R19): the report's status and late
 * flag, and the figures of its last transmitted version (null while none was transmitted).
 */
export function summaryYear(report: FinancialReportEntity, lastTransmitted: FinancialReportVersionEntity | null) {
  const figures = lastTransmitted ? normalizeContent(lastTransmitted.content) : null;
  const totals = figures ? auditedTotals(figures.auditedFinancialReport) : null;
  return {
    report,
    fiscalYear: report.fiscalYear,
    status: report.status,
    deadline: reportDeadline(report.fiscalYear),
    isLate: isLate(report),
    transmittedVersion: lastTransmitted?.version ?? null,
    transmittedAt: iso(lastTransmitted?.transmittedAt),
    totalRevenue: totals?.totalRevenue ?? null,
    totalExpenses: totals?.totalExpenses ?? null,
    annualSurplus: totals?.annualSurplus ?? null,
    longTermDebt: figures?.auditedFinancialReport.longTermDebt ?? null,
    accumulatedSurplus: figures?.auditedFinancialReport.accumulatedSurplus ?? null,
    population: figures?.otherFinancialInformation.population ?? null,
  };
}
