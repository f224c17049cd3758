import { tableLoad, type TableLoad } from './copy';
import type { AuditRow, DataSet } from './model';
import { serviceId } from './reference';

// Which rows go to which table of which subgraph's database, column by column, parents before
// children (foreign keys are checked as rows arrive). Column names are the migrations'.

const AUDIT_COLUMNS = ['id', 'occurred_at', 'actor_user_id', 'actor_organization_id', 'organization_id', 'service_id', 'action', 'target_type', 'target_id', 'before', 'after'];
const auditTable = (rows: readonly AuditRow[]) =>
  tableLoad('audit_event', AUDIT_COLUMNS, rows, (e) => [e.id, e.occurredAt, e.actorUserId, e.actorOrganizationId, e.organizationId, e.serviceId, e.action, e.targetType, e.targetId, e.before, e.after]);

export type SubgraphDatabase = 'identity' | 'services' | 'mandates' | 'roadAid';

export function tablesOf(data: DataSet, passwordHash: string): Record<SubgraphDatabase, Array<TableLoad<unknown>>> {
  return {
    identity: [
      tableLoad(
        'organization',
        ['id', 'kind', 'name', 'neq', 'clic_sequr_status', 'geographic_code', 'administrative_region', 'mrc_id', 'created_at'],
        data.organizations,
        // R3: only a registered organization has users.
        (o) => [o.id, o.kind, o.name, o.neq, 'REGISTERED', o.geographicCode, o.administrativeRegion, o.mrcId, o.createdAt],
      ),
      tableLoad(
        'app_user',
        ['id', 'clic_sequr_code', 'given_name', 'family_name', 'email', 'phone', 'status', 'is_rse', 'direction', 'organization_id', 'password_hash', 'password_is_temporary', 'temporary_password_expires_at', 'created_at', 'updated_at'],
        data.users,
        (u) => [u.id, u.clicSequrCode, u.givenName, u.familyName, u.email, u.phone, u.status, u.isRse, u.direction, u.org.id, passwordHash, u.passwordIsTemporary, u.temporaryPasswordExpiresAt, u.createdAt, u.updatedAt],
        ['password_hash'],
      ),
      tableLoad('person_in_authority', ['id', 'organization_id', 'role', 'given_name', 'family_name'], data.personsInAuthority, (p) => [p.id, p.organizationId, p.role, p.givenName, p.familyName]),
      auditTable(data.identityAudit),
    ],
    services: [
      tableLoad(
        'access_right',
        ['id', 'user_id', 'organization_id', 'service_id', 'role', 'valid_from', 'valid_until', 'granted_by', 'granted_at', 'revoked_at', 'revoked_by'],
        data.accessRights,
        (r) => [r.id, r.userId, r.organizationId, serviceId(r.serviceCode), r.role, r.validFrom, r.validUntil, r.grantedBy, r.grantedAt, r.revokedAt, r.revokedBy],
      ),
      tableLoad(
        'access_request',
        ['id', 'user_id', 'organization_id', 'service_id', 'kind', 'status', 'reason', 'created_at', 'decided_at', 'decided_by'],
        data.accessRequests,
        (r) => [r.id, r.userId, r.organizationId, serviceId(r.serviceCode), r.kind, r.status, r.reason, r.createdAt, r.decidedAt, r.decidedBy],
      ),
      auditTable(data.servicesAudit),
    ],
    mandates: [
      tableLoad(
        'dossier',
        ['id', 'organization_id', 'service_id', 'title', 'requested_amount', 'status', 'form', 'created_by', 'created_at', 'updated_at'],
        data.dossiers,
        (d) => [d.id, d.organizationId, serviceId(d.serviceCode), d.title, d.requestedAmount, d.status, d.form, d.createdBy, d.createdAt, d.updatedAt],
      ),
      tableLoad(
        'dossier_status_change',
        ['id', 'dossier_id', 'from_status', 'to_status', 'changed_by', 'changed_at', 'reason'],
        data.statusChanges,
        (c) => [c.id, c.dossierId, c.fromStatus, c.toStatus, c.changedBy, c.changedAt, c.reason],
      ),
      // Delegated mandates follow their parents in the list, so `parent_id` always points back.
      tableLoad(
        'mandate',
        ['id', 'organization_id', 'service_id', 'firm_organization_id', 'mandataire_id', 'mandataire_name', 'level', 'starts_on', 'ends_on', 'parent_id', 'granted_by', 'granted_at', 'revoked_at', 'revoked_by'],
        data.mandates,
        (m) => [m.id, m.organizationId, serviceId(m.serviceCode), m.firmOrganizationId, m.mandataireId, m.mandataireName, m.level, m.startsOn, m.endsOn, m.parentId, m.grantedBy, m.grantedAt, m.revokedAt, m.revokedBy],
      ),
      tableLoad(
        'mandate_dossier',
        ['mandate_id', 'dossier_id'],
        data.mandates.flatMap((m) => m.dossierIds.map((dossierId) => [m.id, dossierId] as const)),
        ([mandateId, dossierId]) => [mandateId, dossierId],
      ),
      tableLoad(
        'financial_report',
        ['id', 'organization_id', 'fiscal_year', 'status', 'version', 'content', 'audited_by', 'audited_at', 'attested_by', 'attested_at', 'first_transmitted_at', 'created_by', 'created_at', 'updated_at'],
        data.financialReports,
        (r) => [r.id, r.organizationId, r.fiscalYear, r.status, r.version, { ...r.content }, r.auditedBy, r.auditedAt, r.attestedBy, r.attestedAt, r.firstTransmittedAt, r.createdBy, r.createdAt, r.updatedAt],
      ),
      tableLoad(
        'financial_report_version',
        ['id', 'report_id', 'version', 'content', 'audited_by', 'attested_by', 'transmitted_by', 'transmitted_at'],
        data.reportVersions,
        (v) => [v.id, v.reportId, v.version, { ...v.content }, v.auditedBy, v.attestedBy, v.transmittedBy, v.transmittedAt],
      ),
      auditTable(data.mandatesAudit),
    ],
    // PAVL's applications are not part of the scenarios: road aid keeps its migrated, empty schema.
    roadAid: [],
  };
}
