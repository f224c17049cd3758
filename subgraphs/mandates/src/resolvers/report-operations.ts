import { regionalBodiesOf, requiredRecord, requireViewer } from '@pgamr/kit';
import { quebecToday } from '../calendar';
import type { MandatesContext } from '../context';
import type { MutationResolvers, OrganizationResolvers, QueryResolvers } from '../generated/resolvers-types';
import { mapNodes } from '../pages';
import type { FinancialReport } from '../report/financial-report.entity';
import { organizationReports, readableReport, visibleParts } from '../report/readable-reports';
import { reportGeographyFor, reportStatistics } from '../report/report-statistics';
import { ensureMayReadReportStatistics } from '../policy';
import {
  amendFinancialReport,
  attestFinancialReport,
  createFinancialReport,
  markFinancialReportAudited,
  transmitFinancialReport,
  updateFinancialReport,
} from '../report/report.service';
import { summaryYear } from './FinancialReport';

/**
 * A report returned by a mutation is read like any other: an outsider's read is disclosed (R20).
 * The payload's report is non-null: one its author may not read is an internal error.
 */
const reportPayload = async (context: MandatesContext, change: Promise<FinancialReport>) => ({
  report: await requiredRecord(readableReport(context, await change), 'financial report readable by whoever just changed it'),
});

export const reportQueries = {
  /** R20: a report the caller may not read is answered as absent: its existence is not revealed. */
  financialReport: async (_, { id }, context) => {
    requireViewer(context.auth);
    return readableReport(context, await context.loaders.financialReportById.load(id));
  },
  /** Issue 18: figures over the reports the reader could read, never beyond, and the bodies' missing ones (R13, R18, R20). */
  financialReportStatistics: async (_, { groupBy, filter }, context) => {
    const viewer = requireViewer(context.auth);
    const scope = ensureMayReadReportStatistics(viewer, await context.rights(), await regionalBodiesOf(viewer, context.directory));
    const question = filter ?? {};
    const geography = await reportGeographyFor(context.directory, groupBy, question);
    return reportStatistics(context.em, scope, groupBy, question, context.clock.now(), geography);
  },
} satisfies QueryResolvers;

export const reportMutations = {
  createFinancialReport: (_, { input }, context) =>
    reportPayload(context, createFinancialReport(context, input)),
  updateFinancialReport: (_, { input }, context) =>
    reportPayload(context, updateFinancialReport(context, input)),
  markFinancialReportAudited: (_, { input }, context) =>
    reportPayload(context, markFinancialReportAudited(context, input.reportId)),
  attestFinancialReport: (_, { input }, context) =>
    reportPayload(context, attestFinancialReport(context, input.reportId)),
  transmitFinancialReport: (_, { input }, context) =>
    reportPayload(context, transmitFinancialReport(context, input)),
  amendFinancialReport: (_, { input }, context) =>
    reportPayload(context, amendFinancialReport(context, input.reportId)),
} satisfies MutationResolvers;

export const organizationReportFields = {
  /** R18, R20: a page of the organization's reports, newest fiscal year first, for their readers only. */
  financialReports: ({ id }, page, context) => organizationReports(context, id, page),
  /**
   * R19: the *Sommaire de l'information financière*, one row per year: the page of the reports,
   * each row a read of its report with the figures of its last transmitted version.
   */
  financialSummary: async ({ id }, page, context) => {
    const reports = await organizationReports(context, id, page);
    const last = await Promise.all(reports.nodes.map((report) => context.loaders.lastVersionPagesByReport.load(report.id, {}, { first: 1 })));
    const lastOf = new Map(reports.nodes.map((report, index) => [report, last[index]!.nodes[0] ?? null]));
    const seesUnaudited = (await visibleParts(context, id)).includes('otherFinancialInformation');
    const today = quebecToday(context.clock.now());
    return mapNodes(reports, (report) => summaryYear(report, lastOf.get(report) ?? null, seesUnaudited, today));
  },
} satisfies OrganizationResolvers;
