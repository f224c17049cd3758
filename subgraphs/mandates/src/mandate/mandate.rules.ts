import { hasRole, IdentityRole, ServiceRole, type RightSet, type Viewer } from '@pgamr/kit';
import { PERFORM_SERVICE_ID } from '../report/report.rules';
import type { Mandate } from './mandate.entity';

/** R15: who gives an organization's mandates on a service: its local manager (or a deputy in their period) or its mandate manager. */
export const MANDATING_ROLES: readonly ServiceRole[] = [ServiceRole.LocalManager, ServiceRole.DeputyManager, ServiceRole.MandateManager];

/**
 * R13 [design]: PERFORM has no dossiers. Its mandate is the audit engagement of a firme de
 * vérificateur on the organization's financial reports as a whole, named on no dossier; it is
 * what lets the répondant municipal make the mandataire external auditor.
 */
export const isDossierless = (serviceId: string): boolean => serviceId === PERFORM_SERVICE_ID;

/** R13: in PERFORM the répondant municipal, who gives the roles, also gives the audit mandate. */
const mandatingRolesOf = (serviceId: string): readonly ServiceRole[] =>
  isDossierless(serviceId) ? [...MANDATING_ROLES, ServiceRole.MunicipalRespondent] : MANDATING_ROLES;

/** Does the caller give the organization's mandates on this service? */
export const mandatesFor = (viewer: Viewer, rights: RightSet, organizationId: string, serviceId: string): boolean =>
  viewer.organizationId === organizationId && rights.has(serviceId, organizationId, mandatingRolesOf(serviceId));

/** The services whose mandates the caller gives for their own organization (see mandatesFor). */
export const servicesMandatedBy = (viewer: Viewer, rights: RightSet, organizationId: string): string[] => {
  if (viewer.organizationId !== organizationId) return [];
  const services = rights.servicesFor(organizationId, MANDATING_ROLES);
  if (rights.has(PERFORM_SERVICE_ID, organizationId, [ServiceRole.MunicipalRespondent])) services.add(PERFORM_SERVICE_ID);
  return [...services];
};

/** R16: the firm-side manager, who passes mandates on to colleagues: an RSÉ of the mandated firm. */
export const managesFirm = (viewer: Viewer, firmOrganizationId: string): boolean =>
  viewer.organizationId === firmOrganizationId && hasRole(viewer, IdentityRole.Rse);

/**
 * R15, R20: a mandate concerns its mandataire, the firm's managers, the mandating organization's
 * managers of the service, and the service owner's staff; nobody else learns it exists.
 */
export const canSeeMandate = (viewer: Viewer, rights: RightSet, mandate: Mandate): boolean =>
  viewer.userId === mandate.mandataireId ||
  managesFirm(viewer, mandate.firmOrganizationId) ||
  mandatesFor(viewer, rights, mandate.organizationId, mandate.serviceId) ||
  rights.administers(mandate.serviceId);

/** The status of a mandate on a given day (R16: it ends by itself at its end date or when its dossiers close). */
export enum MandateStatus {
  Scheduled = 'SCHEDULED',
  Active = 'ACTIVE',
  Expired = 'EXPIRED',
  Ended = 'ENDED',
  Revoked = 'REVOKED',
}

/** `openDossierCount` is null for a mandate on no dossier (PERFORM's), which does not end with them. */
export function mandateStatus(mandate: Mandate, today: string, openDossierCount: number | null): MandateStatus {
  if (mandate.revokedAt) return MandateStatus.Revoked;
  if (mandate.endsOn && mandate.endsOn < today) return MandateStatus.Expired;
  if (openDossierCount === 0) return MandateStatus.Ended;
  return mandate.startsOn > today ? MandateStatus.Scheduled : MandateStatus.Active;
}

/** Who oversees an organization's records in a service: its managers of the service, and PERFORM's répondant municipal. */
export const OVERSIGHT_ROLES: readonly ServiceRole[] = [...MANDATING_ROLES, ServiceRole.MunicipalRespondent];
