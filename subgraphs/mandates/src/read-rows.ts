import type { EntityManager } from '@mikro-orm/postgresql';
import { enumValue, instantOf, optionalText, text, type RowMapper } from '@pgamr/kit';
import { DossierStatus, type Dossier } from './dossier/dossier.entity';
import { Mandate, mandateLevelOf } from './mandate/mandate.entity';
import { FinancialReport, FinancialReportStatus, type FinancialReportVersion } from './report/financial-report.entity';
import { normalizeContent } from './report/report-figures';

// The records mandates' read paths serve, mapped from rows read by the kit's row pages
// (row-pages.ts: why), with exactly the entities' fields so that resolvers and rules cannot tell.

const dossierStatus = enumValue(DossierStatus);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A dossier as the read paths serve it: the entity's fields, so that resolvers and rules cannot tell. */
export function dossierFromRow(em: EntityManager): RowMapper<Dossier> {
  const instant = instantOf(em);
  return (row) => ({
    id: text(row.id),
    organizationId: text(row.organization_id),
    serviceId: text(row.service_id),
    title: text(row.title),
    requestedAmount: text(row.requested_amount),
    status: dossierStatus(row.status),
    form: isRecord(row.form) ? row.form : {},
    createdBy: text(row.created_by),
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
  });
}

/**
 * A mandate as the read paths serve it (dates as `YYYY-MM-DD`, as the entity holds them). Its
 * parent, when it has one, is a reference of the request's EntityManager, as the entity's.
 */
export function mandateFromRow(em: EntityManager): RowMapper<Mandate> {
  const instant = instantOf(em);
  return (row) => ({
    id: text(row.id),
    organizationId: text(row.organization_id),
    serviceId: text(row.service_id),
    firmOrganizationId: text(row.firm_organization_id),
    mandataireId: text(row.mandataire_id),
    mandataireName: text(row.mandataire_name),
    level: mandateLevelOf(row.level),
    startsOn: text(row.starts_on),
    endsOn: optionalText(row.ends_on),
    parent: row.parent_id === null || row.parent_id === undefined ? null : em.getReference(Mandate, text(row.parent_id), { wrapped: true }),
    grantedBy: text(row.granted_by),
    grantedAt: instant(row.granted_at),
    revokedAt: row.revoked_at === null || row.revoked_at === undefined ? null : instant(row.revoked_at),
    revokedBy: optionalText(row.revoked_by),
  });
}

const financialReportStatus = enumValue(FinancialReportStatus);

const optionalInstant = (instant: (value: unknown) => Date) => (value: unknown): Date | null =>
  value === null || value === undefined ? null : instant(value);

/** R18: a financial report as the read paths serve it; its figures normalized as every reader of them does. */
export function financialReportFromRow(em: EntityManager): RowMapper<FinancialReport> {
  const instant = instantOf(em);
  const maybeInstant = optionalInstant(instant);
  return (row) => ({
    id: text(row.id),
    organizationId: text(row.organization_id),
    fiscalYear: Number(row.fiscal_year),
    status: financialReportStatus(row.status),
    version: Number(row.version),
    content: normalizeContent(row.content),
    auditedBy: optionalText(row.audited_by),
    auditedAt: maybeInstant(row.audited_at),
    attestedBy: optionalText(row.attested_by),
    attestedAt: maybeInstant(row.attested_at),
    firstTransmittedAt: maybeInstant(row.first_transmitted_at),
    createdBy: text(row.created_by),
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
  });
}

/** R18: a transmitted version as the read paths serve it; its report a reference of the request's EntityManager. */
export function financialReportVersionFromRow(em: EntityManager): RowMapper<FinancialReportVersion> {
  const instant = instantOf(em);
  return (row) => ({
    id: text(row.id),
    report: em.getReference(FinancialReport, text(row.report_id), { wrapped: true }),
    version: Number(row.version),
    content: normalizeContent(row.content),
    auditedBy: text(row.audited_by),
    attestedBy: text(row.attested_by),
    transmittedBy: text(row.transmitted_by),
    transmittedAt: instant(row.transmitted_at),
  });
}
