import {
  ACCESS_MANAGER_ROLES,
  AUDITING_FIRM_KIND,
  forbidden,
  hasRole,
  IdentityRole,
  MUNICIPAL_BODY_KINDS,
  SERVICE_MANAGER_ROLES,
  ServiceCode,
  ServiceRole,
  type DirectoryMember,
  type MandateInForce,
  type Viewer,
} from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import { AccessRequestKind, AccessRequestStatus, isActive, PERFORM_ROLES, type AccessRequest, type AccessRight } from './access/access.entity';
import type { PendingScope } from './access/access.repository';
import type { OnlineService } from './online-service/online-service.entity';

// Every access decision of the services subgraph, named after its rule; resolvers and services
// only call them, and nothing else here refuses. docs/rules.md lists them by rule. `rights` are
// the access rights in force on one (service, organization), read from the database.

/** R13: PERFORM is the service whose roles the répondant municipal gives. */
export const isPerform = (service: OnlineService): boolean => service.code === ServiceCode.Perform;

/** R7, R17: the direction whose services the caller administers (and whose files they review), if they are ministry staff. */
export const administeredDirection = (viewer: Viewer): string | null =>
  hasRole(viewer, IdentityRole.MinistryStaff) && viewer.direction ? viewer.direction : null;

/** R7, R11: staff of the direction that owns the service administer its access. */
export const isOwnerStaff = (viewer: Viewer, service: OnlineService): boolean => administeredDirection(viewer) === service.ownerDirectionCode;

const holdsAny = (rights: readonly AccessRight[], viewer: Viewer, roles: readonly ServiceRole[], now: Date): boolean =>
  rights.some((right) => right.userId === viewer.userId && roles.includes(right.role) && isActive(right, now));

/**
 * R8, R10: who decides access requests of an organization on a service right now: its local
 * manager, or a deputy inside their period (checked on the clock, no job needed); the kit's
 * ACCESS_MANAGER_ROLES, the same in every subgraph.
 */
export const holdsManagerPowers = (rights: readonly AccessRight[], viewer: Viewer, now: Date): boolean => holdsAny(rights, viewer, ACCESS_MANAGER_ROLES, now);

/**
 * R10: who is told of an access request filed in an organization (issue 19): whoever may decide
 * it now, its local manager and the deputies inside their period, from its rights in force.
 */
export const requestDecidersOf = (rights: readonly AccessRight[], now: Date): string[] => [
  ...new Set(rights.filter((right) => ACCESS_MANAGER_ROLES.includes(right.role) && isActive(right, now)).map((right) => right.userId)),
];

/** R8, R10: the organization's local manager itself, whose powers a deputy does not all have. */
export const isLocalManager = (rights: readonly AccessRight[], viewer: Viewer, now: Date): boolean => holdsAny(rights, viewer, [ServiceRole.LocalManager], now);

/** R13: is the caller the organization's répondant municipal (`rights` are PERFORM's, on that organization)? */
export const isMunicipalRespondent = (rights: readonly AccessRight[], viewer: Viewer, now: Date): boolean =>
  holdsAny(rights, viewer, [ServiceRole.MunicipalRespondent], now);

/**
 * R10, R11: whether a user works in the service for the organization (USER role in force): a
 * deputy or a new manager is chosen among them. That they still belong to the organization is
 * identity's to say (ensureMemberOf).
 */
export const isActiveUserOf = (rights: readonly AccessRight[], userId: string, now: Date): boolean =>
  rights.some((right) => right.userId === userId && right.role === ServiceRole.User && isActive(right, now));

/**
 * R13, R20: a right on an organization counts only for the organization's own users, except the
 * external auditor's, which counts only for someone of another organization (a firme de
 * vérificateur's user). Grants keep to this; a right outside it, written before they did, opens
 * nothing: the decision point and « Mes services en ligne » leave it out, and the organization's
 * répondant or managers can still see and revoke it.
 */
export const rightCounts = (viewer: Viewer, right: AccessRight): boolean =>
  (right.role === ServiceRole.PerformExternalAuditor) !== (right.organizationId === viewer.organizationId);

/** R9, R20: « Mes services en ligne » is read by its user only. */
export function ensureMayListOwnServices(viewer: Viewer, userId: string): void {
  if (viewer.userId !== userId) throw forbidden('« Mes services en ligne » ne se consulte que pour soi-même.');
}

/** R12: an organization's users, and the owner's staff, may ask who manages access. */
export const mayAskWhoManages = (viewer: Viewer, service: OnlineService, organizationId: string): boolean =>
  viewer.organizationId === organizationId || isOwnerStaff(viewer, service);

/** R12: refused unless mayAskWhoManages. */
export function ensureMayAskWhoManages(viewer: Viewer, service: OnlineService, organizationId: string): void {
  if (!mayAskWhoManages(viewer, service, organizationId)) {
    throw forbidden('Seuls les utilisateurs de l’organisation et la direction propriétaire du service peuvent le demander.');
  }
}

/**
 * R8, R10: the pending requests the caller decides on a service: the requests to become local
 * manager for the owner's staff, their own organization's other requests for its access managers
 * (`rights`: the caller's own on their organization). Refused when they decide none.
 */
export function ensureDecidesRequestsOn(viewer: Viewer, service: OnlineService, rights: readonly AccessRight[], now: Date): PendingScope[] {
  const scopes: PendingScope[] = [];
  if (isOwnerStaff(viewer, service)) scopes.push({ kind: AccessRequestKind.LocalManager });
  if (holdsManagerPowers(rights, viewer, now)) scopes.push({ kind: AccessRequestKind.Access, organizationId: viewer.organizationId });
  if (scopes.length === 0) throw forbidden("Vous ne décidez d'aucune demande d'accès pour ce service.");
  return scopes;
}

/**
 * R8, R10, R20 (issue 18): the pending requests a reader's figures (`accessRequestStatistics`)
 * count, never one they could not list: ensureDecidesRequestsOn's scopes over every service at
 * once. The owner's staff (isOwnerStaff: `administeredServiceIds`, the services of
 * administeredDirection): the requests to become local manager of those services, from every
 * organization. The organization's access managers (holdsManagerPowers on `ownRights`, the
 * caller's rights in force on their own organization, a deputy only inside their period): their
 * organization's ordinary requests on each service they manage. Null when the reader lists none
 * (a direction that owns no service, a plain user, a mandataire): FORBIDDEN.
 */
export function accessRequestStatisticsCondition(
  viewer: Viewer,
  ownRights: readonly AccessRight[],
  administeredServiceIds: readonly string[],
  now: Date,
): FilterQuery<AccessRequest> | null {
  const rightsByService = new Map<string, AccessRight[]>();
  for (const right of ownRights) {
    if (right.organizationId !== viewer.organizationId) continue;
    rightsByService.set(right.service.id, [...(rightsByService.get(right.service.id) ?? []), right]);
  }
  const managed = [...rightsByService].filter(([, rights]) => holdsManagerPowers(rights, viewer, now)).map(([serviceId]) => serviceId);
  const owned = administeredDirection(viewer) ? administeredServiceIds : [];
  const branches: Array<FilterQuery<AccessRequest>> = [
    ...(owned.length > 0 ? [{ kind: AccessRequestKind.LocalManager, service: { $in: [...owned] } }] : []),
    ...(managed.length > 0 ? [{ kind: AccessRequestKind.Access, organizationId: viewer.organizationId, service: { $in: managed.sort() } }] : []),
  ];
  if (branches.length === 0) return null;
  return { $and: [{ status: AccessRequestStatus.Pending }, branches.length === 1 ? branches[0]! : { $or: branches }] };
}

/** R8, R10, R20 (issue 18): refuses access request figures to whoever accessRequestStatisticsCondition gives none. */
export function ensureMayReadAccessRequestStatistics(
  viewer: Viewer,
  ownRights: readonly AccessRight[],
  administeredServiceIds: readonly string[],
  now: Date,
): FilterQuery<AccessRequest> {
  const condition = accessRequestStatisticsCondition(viewer, ownRights, administeredServiceIds, now);
  if (!condition) {
    throw forbidden(
      "Les chiffres des demandes d'accès sont réservés à la direction propriétaire d'un service, sur ses demandes de gestionnaire local, et aux gestionnaires locaux (ou adjoints en période), sur les demandes de leur organisation.",
    );
  }
  return condition;
}

/** R8, R20: a request is withdrawn by its requester alone; to anyone else it does not exist. */
export const mayCancelRequest = (viewer: Viewer, request: AccessRequest): boolean => request.userId === viewer.userId;

/**
 * R8, R10, R20 (issue 19): who reads one access request (a notification's subject): its
 * requester; the organization's access managers in force (a deputy inside their period); for a
 * request to become local manager, the owner's staff. To anyone else it does not exist.
 * `rights`: the caller's own on the request's (service, organization).
 */
export const mayReadRequest = (viewer: Viewer, request: AccessRequest, service: OnlineService, rights: readonly AccessRight[], now: Date): boolean =>
  request.userId === viewer.userId ||
  (viewer.organizationId === request.organizationId && holdsManagerPowers(rights, viewer, now)) ||
  (request.kind === AccessRequestKind.LocalManager && isOwnerStaff(viewer, service));

/**
 * R8, R13, R20 (issue 19): who reads one access right (a notification's subject): its holder,
 * revoked or not, and whoever lists the organization's rights on the service (mayListRights).
 * `rights`: the caller's own on the right's (service, organization).
 */
export const mayReadRight = (viewer: Viewer, right: AccessRight, service: OnlineService, rights: readonly AccessRight[], now: Date): boolean =>
  right.userId === viewer.userId || mayListRights(viewer, service, right.organizationId, rights, now);

/** R8, R10: the owner's staff decide a request to become local manager, the organization's access managers the others; nobody their own. */
export const mayDecideRequest = (viewer: Viewer, request: AccessRequest, rights: readonly AccessRight[], now: Date): boolean =>
  request.userId !== viewer.userId &&
  (request.kind === AccessRequestKind.LocalManager
    ? isOwnerStaff(viewer, request.service.getEntity())
    : viewer.organizationId === request.organizationId && holdsManagerPowers(rights, viewer, now));

/** R8, R10: refused unless mayDecideRequest, saying why. */
export function ensureMayDecideRequest(viewer: Viewer, request: AccessRequest, rights: readonly AccessRight[], now: Date): void {
  if (mayDecideRequest(viewer, request, rights, now)) return;
  if (request.userId === viewer.userId) throw forbidden('Vous ne pouvez pas décider de votre propre demande.');
  throw forbidden(
    request.kind === AccessRequestKind.LocalManager
      ? 'Seule la direction propriétaire du service désigne le gestionnaire local.'
      : "Seul le gestionnaire local de l'organisation, ou son adjoint pendant sa période, décide de cette demande.",
  );
}

/**
 * R8, R13: who administers the organization's rights on the service: its access managers and, for
 * PERFORM, its répondant municipal, who gives and takes back the PERFORM roles; and the owner's staff.
 */
export const mayListRights = (viewer: Viewer, service: OnlineService, organizationId: string, rights: readonly AccessRight[], now: Date): boolean =>
  (viewer.organizationId === organizationId && (holdsManagerPowers(rights, viewer, now) || (isPerform(service) && isMunicipalRespondent(rights, viewer, now)))) ||
  isOwnerStaff(viewer, service);

/** R8, R13, R20: refused unless mayListRights. */
export function ensureMayListRights(viewer: Viewer, service: OnlineService, organizationId: string, rights: readonly AccessRight[], now: Date): void {
  if (!mayListRights(viewer, service, organizationId, rights, now)) {
    throw forbidden("Seuls le gestionnaire local de l'organisation (le répondant municipal pour PERFORM) et la direction propriétaire voient ces droits.");
  }
}

/**
 * R21: an organization's trail of a service is read by its managers of the service (the kit's
 * SERVICE_MANAGER_ROLES, the same in every subgraph) and by the owner's staff.
 */
export const mayReadServiceTrail = (viewer: Viewer, service: OnlineService, organizationId: string, rights: readonly AccessRight[], now: Date): boolean =>
  (viewer.organizationId === organizationId && holdsAny(rights, viewer, SERVICE_MANAGER_ROLES, now)) || isOwnerStaff(viewer, service);

/** R21: refused unless mayReadServiceTrail. */
export function ensureMayReadServiceTrail(viewer: Viewer, service: OnlineService, organizationId: string, rights: readonly AccessRight[], now: Date): void {
  if (!mayReadServiceTrail(viewer, service, organizationId, rights, now)) {
    throw forbidden("Seuls les gestionnaires de l'organisation pour ce service (le répondant municipal pour PERFORM) et la direction propriétaire lisent ce journal.");
  }
}

/**
 * R10, R13: who removes a right. The owner's staff remove any; the local manager removes users and
 * deputies of the organization; a deputy removes users only, never the manager; the répondant
 * municipal takes back the PERFORM roles of the organization, as they give them.
 */
export function mayRevokeRight(viewer: Viewer, service: OnlineService, right: AccessRight, rights: readonly AccessRight[], now: Date): boolean {
  if (isOwnerStaff(viewer, service)) return true;
  if (viewer.organizationId !== right.organizationId) return false;
  return (
    (isLocalManager(rights, viewer, now) && (right.role === ServiceRole.User || right.role === ServiceRole.DeputyManager)) ||
    (holdsManagerPowers(rights, viewer, now) && right.role === ServiceRole.User) ||
    (isMunicipalRespondent(rights, viewer, now) && PERFORM_ROLES.includes(right.role))
  );
}

/** R10, R13: refused unless mayRevokeRight. */
export function ensureMayRevokeRight(viewer: Viewer, service: OnlineService, right: AccessRight, rights: readonly AccessRight[], now: Date): void {
  if (!mayRevokeRight(viewer, service, right, rights, now)) throw forbidden("Vous ne pouvez pas retirer ce droit d'accès.");
}

/** R10: only the local manager names a deputy (a deputy never names another). */
export function ensureMayNameDeputy(viewer: Viewer, rights: readonly AccessRight[], now: Date): void {
  if (!isLocalManager(rights, viewer, now)) throw forbidden('Seul le gestionnaire local nomme un adjoint.');
}

/** R11: only the owner's staff transfer a local manager's or mandate manager's role. */
export function ensureMayTransferManagerRole(viewer: Viewer, service: OnlineService): void {
  if (!isOwnerStaff(viewer, service)) throw forbidden('Seule la direction propriétaire du service transfère ce rôle.');
}

/** R13: only the organization's répondant municipal gives its PERFORM roles (`rights`: PERFORM's on the organization). */
export function ensureMayGivePerformRoles(viewer: Viewer, rights: readonly AccessRight[], now: Date): void {
  if (!isMunicipalRespondent(rights, viewer, now)) throw forbidden('Seul le répondant municipal de votre organisation attribue les rôles PERFORM.');
}

/**
 * R13: the external auditor is an active user of a firme de vérificateur holding a PERFORM
 * mandate in force from the organization (the audit mandate, as the mandates subgraph answers).
 */
export function ensureMayBeExternalAuditor(member: DirectoryMember | null, mandate: MandateInForce | null): void {
  if (member?.organizationKind !== AUDITING_FIRM_KIND || mandate?.firmOrganizationId !== member.organizationId) {
    throw forbidden(
      "Le vérificateur externe doit être un utilisateur actif d'une firme de vérificateur qui détient un mandat PERFORM en vigueur de votre organisation.",
    );
  }
}

/** R13: DNIFF, PERFORM's owner, names a municipal body's répondant municipal. */
export function ensureMayNameRespondent(viewer: Viewer, perform: OnlineService): void {
  if (!isOwnerStaff(viewer, perform)) throw forbidden('Seule la DNIFF nomme un répondant municipal.');
}

/** R13: only a municipal body has a répondant municipal: its financial reports go through PERFORM. */
export function ensureMayHaveRespondent(member: DirectoryMember): void {
  if (!MUNICIPAL_BODY_KINDS.includes(member.organizationKind)) {
    throw forbidden('Seul un organisme municipal a un répondant municipal : ses rapports financiers passent par PERFORM.');
  }
}

/**
 * R10, R11, R13, R20: a right goes only to an active user of the organization its rule names, as
 * identity's directory says now; a user the caller may not learn of looks like a stranger.
 */
export function ensureMemberOf(member: DirectoryMember | null, organizationId: string, refusal: string): asserts member is DirectoryMember {
  if (!member || member.organizationId !== organizationId) throw forbidden(refusal);
}
