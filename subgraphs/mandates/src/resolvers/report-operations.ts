import { requireViewer, type PageRequest } from '@pgamr/kit';
import { quebecToday } from '../calendar';
import type { MandatesContext } from '../context';
import { mapNodes } from '../pages';
import type { FinancialReport } from '../report/financial-report.entity';
import { organizationReports, readableReport, visibleParts } from '../report/readable-reports';
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
const reportPayload = async (context: MandatesContext, change: Promise<FinancialReport>) => ({ report: await readableReport(context, await change) });

type ReportIdInput = { input: { reportId: string } };
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
    reportPayload(context, createFinancialReport(context, input)),
  updateFinancialReport: (_: unknown, { input }: { input: UpdateInput }, context: MandatesContext) =>
    reportPayload(context, updateFinancialReport(context, input)),
  markFinancialReportAudited: (_: unknown, { input }: ReportIdInput, context: MandatesContext) =>
    reportPayload(context, markFinancialReportAudited(context, input.reportId)),
  attestFinancialReport: (_: unknown, { input }: ReportIdInput, context: MandatesContext) =>
    reportPayload(context, attestFinancialReport(context, input.reportId)),
  transmitFinancialReport: (_: unknown, { input }: { input: { reportId: string; version: number } }, context: MandatesContext) =>
    reportPayload(context, transmitFinancialReport(context, input)),
  amendFinancialReport: (_: unknown, { input }: ReportIdInput, context: MandatesContext) =>
    reportPayload(context, amendFinancialReport(context, input.reportId)),
};

export const organizationReportFields = {
  /** R18, R20: a page of the organization's reports, newest fiscal year first, for their readers only. */
  financialReports: ({ id }: { id: string }, page: PageRequest, context: MandatesContext) => organizationReports(context, id, page),
  /**
   * R19: the *Sommaire de l'information financière*, one row per year: the page of the reports,
   * each row a read of its report with the figures of its last transmitted version.
   */
  financialSummary: async ({ id }: { id: string }, page: PageRequest, context: MandatesContext) => {
    const reports = await organizationReports(context, id, page);
    const last = await Promise.all(reports.nodes.map((report) => context.loaders.lastVersionPagesByReport.load(report.id, {}, { first: 1 })));
    const lastOf = new Map(reports.nodes.map((report, index) => [report, last[index]!.nodes[0] ?? null]));
    const seesUnaudited = (await visibleParts(context, id)).includes('otherFinancialInformation');
    const today = quebecToday(context.clock.now());
    return mapNodes(reports, (report) => summaryYear(report, lastOf.get(report) ?? null, seesUnaudited, today));
  },
};
