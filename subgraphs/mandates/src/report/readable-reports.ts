import { regionalBodiesOf, requireViewer, type Page, type PageRequest } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { keepNodes } from '../pages';
import { DisclosedRecordType } from '../disclosure/disclosure-event.entity';
import { PERFORM_SERVICE_ID } from '../perform';
import { ensureMayReadReports, reportReading, visibleReportParts } from '../policy';
import type { FinancialReport } from './financial-report.entity';
import type { ReportPart } from './report-figures';

// The request-side of the report rules of policy.ts: reads disclosed to the organization, lists.

/** The same answer for a report that does not exist and one the caller may not read (R20). */
export const REPORT_NOT_FOUND_MESSAGE = "Ce rapport financier n'existe pas ou vous n'y avez pas accès.";

/**
 * The reports of `candidates` the caller may read, in order. An outsider's reads (a firm's
 * auditor…) are written to the disclosure log before anything is returned: every path that
 * returns a report goes through here.
 */
export async function readableReports(context: MandatesContext, candidates: readonly FinancialReport[]): Promise<FinancialReport[]> {
  if (candidates.length === 0) return [];
  const viewer = requireViewer(context.auth);
  const [rights, regionalBodies] = await Promise.all([context.rights(), regionalBodiesOf(viewer, context.directory)]);
  const readings = candidates.map((report) => reportReading(viewer, rights, report.organizationId, regionalBodies));
  await Promise.all(
    candidates.flatMap((report, index) => {
      const reading = readings[index]!;
      return reading.read && reading.disclosedAs
        ? [
            context.loaders.disclosures.load({
              readerUserId: viewer.userId,
              readerOrganizationId: viewer.organizationId,
              organizationId: report.organizationId,
              serviceId: PERFORM_SERVICE_ID,
              recordType: DisclosedRecordType.FinancialReport,
              recordId: report.id,
              role: reading.disclosedAs,
            }),
          ]
        : [];
    }),
  );
  return candidates.filter((_, index) => readings[index]!.read);
}

/** One report if the caller may read it (its read disclosed when due); otherwise null, exactly as if absent. */
export async function readableReport(context: MandatesContext, report: FinancialReport | null): Promise<FinancialReport | null> {
  return report ? ((await readableReports(context, [report]))[0] ?? null) : null;
}

/**
 * R19, R20: a page of an organization's reports, newest fiscal year first, for those who may read
 * them (each read disclosed when due); refused to anyone who may read none (policy.ts's
 * ensureMayReadReports).
 */
export async function organizationReports(context: MandatesContext, organizationId: string, page: PageRequest): Promise<Page<FinancialReport>> {
  const viewer = requireViewer(context.auth);
  ensureMayReadReports(viewer, await context.rights(), organizationId, await regionalBodiesOf(viewer, context.directory));
  const reports = await context.loaders.financialReportPagesByOrganization.load(organizationId, {}, page);
  return keepNodes(reports, await readableReports(context, reports.nodes));
}

/**
 * R13: the parts of the organization's reports the caller reads (policy.ts's visibleReportParts).
 * Rights are asked once per request, whatever the number of reports and versions shown.
 */
export async function visibleParts(context: MandatesContext, organizationId: string): Promise<readonly ReportPart[]> {
  const viewer = requireViewer(context.auth);
  return visibleReportParts(viewer, await context.rights(), organizationId, await regionalBodiesOf(viewer, context.directory));
}
