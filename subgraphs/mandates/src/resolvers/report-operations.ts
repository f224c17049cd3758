import { requireViewer } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import type { FinancialReport } from '../report/financial-report.entity';
import { organizationReports, readableReport, visibleParts } from '../report/report.access';
import type { ReportPart } from '../report/report-figures';
import {
  amendFinancialReport,
  attestFinancialReport,
  createFinancialReport,
  markFinancialReportAudited,
  transmitFinancialReport,
  updateFinancialReport,
} from '../report/report.service';
import { summaryYear } from './FinancialReport';

/** A report returned by a mutation is read like any other: an outsider's read is disclosed (R20). */
const returned = async (context: MandatesContext, change: Promise<FinancialReport>) => readableReport(context, await change);

type ReportIdArgs = { reportId: string };
type UpdateInput = { reportId: string } & Partial<Record<ReportPart, Record<string, unknown> | null>>;

export const reportQueries = {
  /** R20: a report the caller may not read is answered as absent: its existence is not revealed. */
  financialReport: async (_: unknown, { id }: { id: string }, context: MandatesContext) => {
    requireViewer(context.auth);
    return readableReport(context, await context.loaders.financialReportById.load(id));
  },
};

export const reportMutations = {
  createFinancialReport: (_: unknown, { input }: { input: { organizationId: string; fiscalYear: number } }, context: MandatesContext) =>
    returned(context, createFinancialReport(context, input)),
  updateFinancialReport: (_: unknown, { input }: { input: UpdateInput }, context: MandatesContext) =>
    returned(context, updateFinancialReport(context, input)),
  markFinancialReportAudited: (_: unknown, { reportId }: ReportIdArgs, context: MandatesContext) =>
    returned(context, markFinancialReportAudited(context, reportId)),
  attestFinancialReport: (_: unknown, { reportId }: ReportIdArgs, context: MandatesContext) =>
    returned(context, attestFinancialReport(context, reportId)),
  transmitFinancialReport: (_: unknown, { input }: { input: { reportId: string; version: number } }, context: MandatesContext) =>
    returned(context, transmitFinancialReport(context, input)),
  amendFinancialReport: (_: unknown, { reportId }: ReportIdArgs, context: MandatesContext) =>
    returned(context, amendFinancialReport(context, reportId)),
};

export const organizationReportFields = {
  /** R18, R20: the organization's reports, newest fiscal year first, for their readers only. */
  financialReports: ({ id }: { id: string }, _: unknown, context: MandatesContext) => organizationReports(context, id),
  /** R19: the *Sommaire de l'information financière*, one row per year; each row is a read of its report. */
  financialSummary: async ({ id }: { id: string }, _: unknown, context: MandatesContext) => {
    const reports = await organizationReports(context, id);
    const versions = await Promise.all(reports.map((report) => context.loaders.financialReportVersionsByReport.load(report.id)));
    const seesUnaudited = (await visibleParts(context, id)).includes('otherFinancialInformation');
    return reports.map((report, index) => summaryYear(report, versions[index]!.at(-1) ?? null, seesUnaudited));
  },
};
