import { hasRole, IdentityRole, type RightSet, type Viewer } from '@pgamr/kit';
import type { Mandate } from './mandate.entity';

/** R15: who gives an organization's mandates on a service: its local manager (or a deputy in their period) or its mandate manager. */
export const MANDATING_ROLES = ['LOCAL_MANAGER', 'DEPUTY_MANAGER', 'MANDATE_MANAGER'] as const;

/** Does the caller give the organization's mandates on this service? */
export const mandatesFor = (viewer: Viewer, rights: RightSet, organizationId: string, serviceId: string): boolean =>
  viewer.organizationId === organizationId && rights.has(serviceId, organizationId, MANDATING_ROLES);

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

export function mandateStatus(mandate: Mandate, today: string, openDossierCount: number): MandateStatus {
  if (mandate.revokedAt) return MandateStatus.Revoked;
  if (mandate.endsOn && mandate.endsOn < today) return MandateStatus.Expired;
  if (openDossierCount === 0) return MandateStatus.Ended;
  return mandate.startsOn > today ? MandateStatus.Scheduled : MandateStatus.Active;
}

/** Who oversees an organization's records in a service: its managers of the service, and PERFORM's répondant municipal. */
export const OVERSIGHT_ROLES = [...MANDATING_ROLES, 'MUNICIPAL_RESPONDENT'] as const;
