import { badUserInput, conflict, isUuid, notFound, recordAudit, regionalBodiesOf, requireViewer, type Viewer } from '@pgamr/kit';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { FinancialReportAuditAction } from '../audit/audit-actions';
import { quebecToday } from '../calendar';
import type { MandatesContext } from '../context';
import { FinancialReport, FinancialReportStatus, FinancialReportVersion, isAmendment } from './financial-report.entity';
import { PERFORM_SERVICE_ID } from '../perform';
import { ensureMayAttestReport, ensureMayAuditReport, ensureMayChangeReport, ensureMayCreateReport, mayReadReports, type ReportStep } from '../policy';
import { REPORT_NOT_FOUND_MESSAGE } from './readable-reports';
import { missingFigures, normalizeContent, parseReportParts, REPORT_PARTS, samePart, type ReportContent, type ReportPart } from './report-figures';
import { findReportForChange, findReportOfYear, findTransmittedVersions } from './report.repository';
import { currentFiscalYear, FIRST_FISCAL_YEAR } from './report.rules';

/** The audit trail's actions on financial reports (R21). */
const reportNotFound = () => notFound(REPORT_NOT_FOUND_MESSAGE);

/** The state an audit entry shows before and after a step; the figures only where they changed. */
const marks = (report: FinancialReport) => ({
  status: report.status,
  version: report.version,
  auditedBy: report.auditedBy ?? null,
  attestedBy: report.attestedBy ?? null,
});

function audit(em: EntityManager, viewer: Viewer, report: FinancialReport, action: FinancialReportAuditAction, before: Record<string, unknown> | null, after: Record<string, unknown>): void {
  recordAudit(em, viewer, {
    action,
    organizationId: report.organizationId,
    serviceId: PERFORM_SERVICE_ID,
    targetType: 'FinancialReport',
    targetId: report.id,
    before,
    after,
  });
}

/** R18: transmission and attestation need every figure; the form points at the missing ones. */
function assertComplete(content: ReportContent, parts: readonly ReportPart[], step: string): void {
  const missing = missingFigures(content, parts);
  if (missing.length > 0) {
    throw badUserInput(`Le rapport est incomplet pour ${step} : il manque ${missing.length} donnée(s).`, { field: 'content', missing });
  }
}

/**
 * Runs a step on one report, its row locked for the transaction, after checking inside the
 * transaction that the caller may take `step` on the report's organization now (R13, policy.ts's
 * ensureMayChangeReport). A report the caller may not read is answered as absent (R20); one they
 * read without the step's role is refused.
 */
async function changeReport<T>(
  context: MandatesContext,
  reportId: string,
  step: ReportStep,
  change: (em: EntityManager, report: FinancialReport, viewer: Viewer) => T | Promise<T>,
): Promise<T> {
  const viewer = requireViewer(context.auth);
  if (!isUuid(reportId)) throw reportNotFound();
  const [rights, regionalBodies] = await Promise.all([context.rights(), regionalBodiesOf(viewer, context.directory)]);
  return context.em.transactional(async (em) => {
    const report = await findReportForChange(em, reportId);
    if (!report || !mayReadReports(viewer, rights, report.organizationId, regionalBodies)) throw reportNotFound();
    ensureMayChangeReport(rights, report.organizationId, step);
    return change(em, report, viewer);
  });
}

/** R18: a preparer of the municipal body opens its report for a fiscal year, as a blank draft. */
export async function createFinancialReport(context: MandatesContext, input: { organizationId: string; fiscalYear: number }): Promise<FinancialReport> {
  const viewer = requireViewer(context.auth);
  const lastYear = currentFiscalYear(quebecToday(context.clock.now()));
  if (!Number.isInteger(input.fiscalYear) || input.fiscalYear < FIRST_FISCAL_YEAR || input.fiscalYear > lastYear) {
    throw badUserInput(`L'exercice financier doit être une année entre ${FIRST_FISCAL_YEAR} et ${lastYear}.`, { field: 'input.fiscalYear' });
  }
  if (!isUuid(input.organizationId)) throw notFound("Cette organisation n'existe pas.");
  ensureMayCreateReport(await context.rights(), input.organizationId);
  const exists = () => conflict(`Un rapport financier existe déjà pour l'exercice ${input.fiscalYear} de cette organisation.`);
  try {
    return await context.em.transactional(async (em) => {
      if (await findReportOfYear(em, input.organizationId, input.fiscalYear)) throw exists();
      const report = em.create(FinancialReport, { organizationId: input.organizationId, fiscalYear: input.fiscalYear, createdBy: viewer.userId });
      audit(em, viewer, report, FinancialReportAuditAction.Created, null, { ...marks(report), fiscalYear: report.fiscalYear });
      return report;
    });
  } catch (error) {
    // Two preparers opening the same year at once: the database keeps one, the other learns it exists.
    if (error instanceof UniqueConstraintViolationException) throw exists();
    throw error;
  }
}

/**
 * R18: a preparer saves parts of the working version, each given part replacing the stored one,
 * until it is transmitted. The audited part is locked once marked audited, except in an amendment,
 * where changing it withdraws the audit mark (the version is a draft again). A real change
 * withdraws the attestation (the signatory attested other figures). A part saved unchanged
 * changes nothing.
 */
export function updateFinancialReport(
  context: MandatesContext,
  input: { reportId: string } & Partial<Record<ReportPart, Record<string, unknown> | null>>,
): Promise<FinancialReport> {
  const parts = parseReportParts(input);
  const given = REPORT_PARTS.filter((part) => parts[part] !== undefined);
  if (given.length === 0) throw badUserInput('Fournissez au moins une partie du rapport à enregistrer.', { field: 'input' });
  return changeReport(
    context,
    input.reportId,
    'fill',
    (em, report, viewer) => {
      if (report.status === FinancialReportStatus.Transmitted) {
        throw conflict('Ce rapport a été transmis : pour le corriger, il faut d’abord le modifier par un amendement.');
      }
      const content = normalizeContent(report.content);
      const changed = given.filter((part) => !samePart(part, content[part], parts[part]!));
      if (changed.length === 0) return report;
      if (report.auditedBy && !isAmendment(report) && changed.includes('auditedFinancialReport')) {
        throw conflict('Le rapport financier audité ne peut plus être modifié une fois marqué audité ; seules les autres parties peuvent l’être.');
      }
      const before = { ...marks(report), ...Object.fromEntries(changed.map((part) => [part, content[part]])) };
      // Parts saved unchanged are equal to the stored ones: taking every given part is the same.
      report.content = { ...content, ...parts };
      if (changed.includes('auditedFinancialReport')) {
        report.auditedBy = null;
        report.auditedAt = null;
      }
      report.attestedBy = null;
      report.attestedAt = null;
      report.status = report.auditedBy ? FinancialReportStatus.Audited : FinancialReportStatus.Draft;
      audit(em, viewer, report, FinancialReportAuditAction.Updated, before, {
        ...marks(report),
        ...Object.fromEntries(changed.map((part) => [part, report.content[part]])),
      });
      return report;
    },
  );
}

/**
 * R13, R18: the external auditor marks the audited part of the working version audited: the
 * version (an amendment's too) becomes AUDITED. Never by whoever attested the report.
 */
export function markFinancialReportAudited(context: MandatesContext, reportId: string): Promise<FinancialReport> {
  return changeReport(
    context,
    reportId,
    'audit',
    async (em, report, viewer) => {
      ensureMayAuditReport(viewer, report, await findTransmittedVersions(em, report));
      if (report.status === FinancialReportStatus.Transmitted) throw conflict('Ce rapport a été transmis : seul un amendement peut être audité de nouveau.');
      if (report.auditedBy) throw conflict('Le rapport financier audité de cette version est déjà marqué audité.');
      assertComplete(normalizeContent(report.content), ['auditedFinancialReport'], "marquer le rapport financier audité");
      const before = marks(report);
      report.auditedBy = viewer.userId;
      report.auditedAt = context.clock.now();
      report.status = FinancialReportStatus.Audited;
      audit(em, viewer, report, FinancialReportAuditAction.Audited, before, marks(report));
      return report;
    },
  );
}

/**
 * R13, R18: the signatory attests the complete working version once it is audited: it becomes
 * ATTESTED, ready to transmit. Never by whoever audited the report.
 */
export function attestFinancialReport(context: MandatesContext, reportId: string): Promise<FinancialReport> {
  return changeReport(
    context,
    reportId,
    'attest',
    async (em, report, viewer) => {
      ensureMayAttestReport(viewer, report, await findTransmittedVersions(em, report));
      if (report.status === FinancialReportStatus.Transmitted) throw conflict('Ce rapport a été transmis : seul un amendement peut être attesté de nouveau.');
      if (!report.auditedBy) throw conflict("Le rapport financier doit d'abord être marqué audité par le vérificateur externe.");
      if (report.attestedBy) throw conflict('Cette version du rapport est déjà attestée.');
      assertComplete(normalizeContent(report.content), REPORT_PARTS, "l'attester");
      const before = marks(report);
      report.attestedBy = viewer.userId;
      report.attestedAt = context.clock.now();
      report.status = FinancialReportStatus.Attested;
      audit(em, viewer, report, FinancialReportAuditAction.Attested, before, marks(report));
      return report;
    },
  );
}

/**
 * R18: the transmitter transmits the audited, attested, complete working version: it is frozen
 * as a FinancialReportVersion and the report is TRANSMITTED. Idempotent: a version already
 * transmitted is answered with the report as it is, with no new version and no audit entry.
 */
export async function transmitFinancialReport(context: MandatesContext, input: { reportId: string; version: number }): Promise<FinancialReport> {
  if (!Number.isInteger(input.version) || input.version < 1) throw badUserInput('La version doit être un nombre entier positif.', { field: 'input.version' });
  try {
    return await changeReport(
      context,
      input.reportId,
      'transmit',
      async (em, report, viewer) => {
        const transmitted = await findTransmittedVersions(em, report);
        if (transmitted.some((version) => version.version === input.version)) return report;
        if (input.version !== report.version) {
          throw conflict(`La version ${input.version} n'est ni la version en cours (${report.version}) ni une version déjà transmise de ce rapport.`);
        }
        if (!report.auditedBy) {
          throw conflict(
            isAmendment(report)
              ? "L'amendement doit d'abord être marqué audité par le vérificateur externe."
              : "Le rapport financier doit d'abord être marqué audité par le vérificateur externe.",
          );
        }
        if (!report.attestedBy) throw conflict("Le rapport doit d'abord être attesté par le signataire.");
        const content = normalizeContent(report.content);
        assertComplete(content, REPORT_PARTS, 'le transmettre');
        const before = marks(report);
        const now = context.clock.now();
        em.create(FinancialReportVersion, {
          report,
          version: report.version,
          content,
          auditedBy: report.auditedBy,
          attestedBy: report.attestedBy,
          transmittedBy: viewer.userId,
          transmittedAt: now,
        });
        report.status = FinancialReportStatus.Transmitted;
        report.firstTransmittedAt ??= now;
        audit(em, viewer, report, FinancialReportAuditAction.Transmitted, before, { ...marks(report), transmittedBy: viewer.userId });
        return report;
      },
    );
  } catch (error) {
    // The row lock serializes twins; should one still commit first, its transmission is this one.
    if (error instanceof UniqueConstraintViolationException) {
      const em = context.em.fork();
      const report = await em.findOne(FinancialReport, input.reportId);
      if (report && (await em.count(FinancialReportVersion, { report, version: input.version })) > 0) return report;
    }
    throw error;
  }
}

/**
 * R18: a preparer corrects a transmitted report by an amendment: a new working version, copied
 * from the last transmitted one, a draft to be audited, attested and transmitted again. The
 * transmitted versions stay as they were.
 */
export function amendFinancialReport(context: MandatesContext, reportId: string): Promise<FinancialReport> {
  return changeReport(
    context,
    reportId,
    'amend',
    async (em, report, viewer) => {
      if (report.status !== FinancialReportStatus.Transmitted) throw conflict('Seul un rapport transmis peut être amendé.');
      const last = (await findTransmittedVersions(em, report)).at(-1);
      if (!last) throw new Error(`transmitted report ${report.id} has no transmitted version`);
      const before = marks(report);
      report.content = normalizeContent(last.content);
      report.version = last.version + 1;
      report.status = FinancialReportStatus.Draft;
      report.auditedBy = null;
      report.auditedAt = null;
      report.attestedBy = null;
      report.attestedAt = null;
      audit(em, viewer, report, FinancialReportAuditAction.Amended, before, marks(report));
      return report;
    },
  );
}
