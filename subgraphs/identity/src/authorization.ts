import { DirectionCode, forbidden, regionalDirection, ServiceCode, ServiceRole, stableId, type RightSet } from '@pgamr/kit';
import type { Actor } from './actor';
import { ClicSequrRegistrationStatus, MUNICIPAL_KINDS, OrganizationKind, type Organization } from './organization/organization.entity';
import type { User } from './user/user.entity';

// Identity's authorization rules (R2, R4, R5, R20), one function per rule, called by resolvers.

/** The direction that runs the portal and answers for access to it. */
const PORTAL_DIRECTION = DirectionCode.Dgomr;

export const isCseAgent = (actor: Actor): boolean => actor.organization.kind === OrganizationKind.ClicSequrCustomerService;

export const isMinistryStaff = (actor: Actor, direction?: string): boolean =>
  actor.organization.kind === OrganizationKind.Ministry && !!actor.user.direction && (!direction || actor.user.direction === direction);

/** R2: an active RSÉ of a registered organization administers that organization's users. */
export const isRseOf = (actor: Actor, organizationId: string): boolean =>
  actor.user.isRse && actor.organization.id === organizationId && actor.organization.clicSequrStatus === ClicSequrRegistrationStatus.Registered;

/** Regional directions are named after the administrative region's number: DR-05 for Estrie. */
export function regionalDirectionOf(organization: Organization): string | undefined {
  const region = /^(\d{2})\b/.exec(organization.administrativeRegion ?? '')?.[1];
  return region ? regionalDirection(region) : undefined;
}

export const isRegionalDirectionOf = (actor: Actor, organization: Organization): boolean => {
  const direction = regionalDirectionOf(organization);
  return !!direction && isMinistryStaff(actor, direction);
};

export const isMunicipalBody = (organization: Organization): boolean => MUNICIPAL_KINDS.includes(organization.kind);

/** The « Mise à jour des données de la clientèle » service: reference data of the catalog, same id everywhere. */
export const CUSTOMER_DATA_SERVICE_ID = stableId('online-service', ServiceCode.CustomerDataUpdate);

/**
 * R5: the Répertoire entry of a municipal body is corrected by its regional direction, or by
 * the body's own users holding the « Mise à jour des données de la clientèle » service now.
 */
export const canCorrectRepertoire = async (actor: Actor, organization: Organization, rights: () => Promise<RightSet>): Promise<boolean> =>
  isRegionalDirectionOf(actor, organization) ||
  // The decision point is asked only when the answer depends on it.
  (actor.organization.id === organization.id && (await rights()).has(CUSTOMER_DATA_SERVICE_ID, organization.id, [ServiceRole.User]));

/** R20: a user's name is seen by their own organization and by ministry and clicSÉQUR staff, never by another organization. */
export const canSeeUser = (actor: Actor, user: User): boolean =>
  actor.user.id === user.id || actor.organization.id === user.organization.id || isCseAgent(actor) || isMinistryStaff(actor);

/** Contact details and status: the user, their RSÉ, clicSÉQUR's customer service, DGOMR and their regional direction. */
export const canSeeUserDetails = (actor: Actor, user: User, userOrganization: Organization): boolean =>
  actor.user.id === user.id ||
  isRseOf(actor, user.organization.id) ||
  isCseAgent(actor) ||
  isMinistryStaff(actor, PORTAL_DIRECTION) ||
  isRegionalDirectionOf(actor, userOrganization);

export const canListUsers = (actor: Actor, organization: Organization): boolean =>
  isRseOf(actor, organization.id) || isCseAgent(actor) || isMinistryStaff(actor, PORTAL_DIRECTION) || isRegionalDirectionOf(actor, organization);

/** R21: an organization's trail is read by its RSÉ and by the ministry staff answerable for it. */
export const canReadAuditTrail = (actor: Actor, organization: Organization): boolean =>
  isRseOf(actor, organization.id) || isMinistryStaff(actor, PORTAL_DIRECTION) || isRegionalDirectionOf(actor, organization);

/**
 * R2: only an RSÉ of O manages O's users, and never their own profile, password reset or
 * suspension (those go through another RSÉ).
 */
export function assertCanManageUser(actor: Actor, target: User): void {
  if (!isRseOf(actor, target.organization.id)) {
    throw forbidden('Seul un RSÉ de son organisation peut gérer cet utilisateur.');
  }
  if (actor.user.id === target.id) {
    throw forbidden('Un RSÉ ne peut pas effectuer cette opération sur son propre code ; un autre RSÉ de l’organisation doit le faire.');
  }
}
