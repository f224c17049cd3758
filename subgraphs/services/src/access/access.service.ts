import {
  badUserInput,
  conflict,
  EventType,
  isUuid,
  notFound,
  recordAudit,
  ServiceCode,
  type Directory,
  type DirectoryMember,
  type MandateRegistry,
  type PerformRole,
  ServiceRole,
  type Viewer,
  WORKING_ROLES,
} from '@pgamr/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OnlineService, OnlineServiceStatus } from '../online-service/online-service.entity';
import {
  AccessRequest,
  AccessRequestKind,
  AccessRequestStatus,
  AccessRight,
  type ManagerRole,
} from './access.entity';
import { raiseAccessEvent, raiseRightEvent, users } from './access.events';
import { findActiveRightsOn } from './access.repository';
import {
  ensureMayBeExternalAuditor,
  ensureMayDecideRequest,
  ensureMayGivePerformRoles,
  ensureMayNameDeputy,
  ensureMayHaveRespondent,
  ensureMayNameRespondent,
  ensureMayRevokeRight,
  ensureMayTransferManagerRole,
  ensureMemberOf,
  isActiveUserOf,
  mayCancelRequest,
  requestDecidersOf,
} from '../policy';

export enum AccessAuditAction {
  RequestSubmitted = 'ACCESS_REQUEST_SUBMITTED',
  RequestCancelled = 'ACCESS_REQUEST_CANCELLED',
  RequestGranted = 'ACCESS_REQUEST_GRANTED',
  RequestRefused = 'ACCESS_REQUEST_REFUSED',
  RightRevoked = 'ACCESS_RIGHT_REVOKED',
  DeputyNamed = 'DEPUTY_MANAGER_NAMED',
  ManagerTransferred = 'MANAGER_TRANSFERRED',
  PerformRoleGranted = 'PERFORM_ROLE_GRANTED',
  RespondentNamed = 'MUNICIPAL_RESPONDENT_NAMED',
}

/**
 * What services asks other subgraphs, with the caller's own token, to keep a grant inside the
 * organization or firm its rule allows (R10, R11, R13, R20): identity's directory says to which
 * organization a user belongs; the mandates subgraph says who holds a mandate in force. Either
 * one failing is SERVICE_UNAVAILABLE, never a refusal.
 */
export interface GranteeChecks {
  directory: Directory;
  mandates: MandateRegistry;
}

/**
 * R20: the grantee is an active user of the organization, or refused with `refusal` (ensureMemberOf);
 * a user the caller may not learn of looks like a stranger.
 *
 * The operations that ask another subgraph do it before their transaction, so that no row stays
 * locked while it answers, and after a first check that the caller has the power, so that nobody
 * else learns anything from the answer. That first check reads in a fork of its own (`preflight`):
 * the transaction then reads everything again, locked, from the database, and decides.
 */
async function assertMemberOf(checks: GranteeChecks, userId: string, organizationId: string, refusal: string): Promise<DirectoryMember> {
  const member = isUuid(userId) ? await checks.directory.findMember(userId) : null;
  ensureMemberOf(member, organizationId, refusal);
  return member;
}

const rightSnapshot = (right: AccessRight) => ({
  userId: right.userId,
  organizationId: right.organizationId,
  serviceId: right.service.id,
  role: right.role,
  validFrom: right.validFrom.toISOString(),
  validUntil: right.validUntil?.toISOString() ?? null,
  revokedAt: right.revokedAt?.toISOString() ?? null,
});

async function serviceOrNotFound(em: EntityManager, id: string): Promise<OnlineService> {
  const service = isUuid(id) ? await em.findOne(OnlineService, id) : null;
  if (!service) throw notFound("Ce service en ligne n'existe pas.");
  return service;
}

function grant(
  em: EntityManager,
  actor: Viewer,
  action: AccessAuditAction,
  fields: Pick<AccessRight, 'userId' | 'organizationId' | 'role'> & { service: OnlineService; validFrom?: Date; validUntil?: Date | null },
  now: Date,
): AccessRight {
  // The service may have been read outside this transaction (before asking another subgraph).
  const right = em.create(AccessRight, {
    validFrom: now,
    ...fields,
    grantedAt: now,
    service: em.getReference(OnlineService, fields.service.id),
    grantedBy: actor.userId,
  });
  recordAudit(em, actor, {
    action,
    organizationId: fields.organizationId,
    serviceId: fields.service.id,
    targetType: 'AccessRight',
    targetId: right.id,
    after: rightSnapshot(right),
  });
  // A granted request tells its requester once, by its decision (ACCESS_REQUEST_DECIDED).
  if (action !== AccessAuditAction.RequestGranted) {
    raiseRightEvent(em, EventType.AccessRightGranted, right, now);
  }
  return right;
}

/** Ends a right at `now`, audited with its state before and after. */
function revoke(em: EntityManager, actor: Viewer, right: AccessRight, action: AccessAuditAction, now: Date, note: Record<string, unknown> = {}): void {
  const before = rightSnapshot(right);
  right.revokedAt = now;
  right.revokedBy = actor.userId;
  recordAudit(em, actor, {
    action,
    organizationId: right.organizationId,
    serviceId: right.service.id,
    targetType: 'AccessRight',
    targetId: right.id,
    before,
    after: { ...rightSnapshot(right), ...note },
  });
  raiseRightEvent(em, EventType.AccessRightRevoked, right, now);
}

/**
 * R8: a signed-in user asks for access to a service for their organization. The first request
 * of an organization without a local manager asks to become it.
 */
export function requestAccess(em: EntityManager, viewer: Viewer, serviceId: string, now: Date): Promise<AccessRequest> {
  return em.transactional(async (tx) => {
    const service = await serviceOrNotFound(tx, serviceId);
    if (service.status !== OnlineServiceStatus.Available) throw conflict("Ce service en ligne n'est pas offert actuellement.");
    const rights = await findActiveRightsOn(tx, service.id, viewer.organizationId, { now, lock: true });
    if (rights.some((right) => right.userId === viewer.userId && WORKING_ROLES.includes(right.role))) {
      throw conflict('Vous avez déjà accès à ce service en ligne.');
    }
    const pending = await tx.find(AccessRequest, { service, organizationId: viewer.organizationId, status: AccessRequestStatus.Pending });
    if (pending.some((request) => request.userId === viewer.userId)) {
      throw conflict('Vous avez déjà une demande en attente pour ce service en ligne.');
    }
    const hasManager = rights.some((right) => right.role === ServiceRole.LocalManager);
    if (!hasManager && pending.some((request) => request.kind === AccessRequestKind.LocalManager)) {
      throw conflict('Une demande pour devenir gestionnaire local de ce service est déjà en traitement pour votre organisation.');
    }
    const request = tx.create(AccessRequest, {
      userId: viewer.userId,
      organizationId: viewer.organizationId,
      service,
      kind: hasManager ? AccessRequestKind.Access : AccessRequestKind.LocalManager,
    });
    recordAudit(tx, viewer, {
      action: AccessAuditAction.RequestSubmitted,
      organizationId: viewer.organizationId,
      serviceId: service.id,
      targetType: 'AccessRequest',
      targetId: request.id,
      after: { kind: request.kind, userId: viewer.userId },
    });
    // R10: whoever may decide it now; R8: a first request to become local manager goes to the owner direction's staff.
    raiseAccessEvent(tx, {
      type: EventType.AccessRequestFiled,
      subject: { typename: 'AccessRequest', id: request.id },
      organizationId: request.organizationId,
      serviceId: service.id,
      audiences: [
        users(...requestDecidersOf(rights, now)),
        ...(request.kind === AccessRequestKind.LocalManager ? [{ kind: 'OWNER_STAFF' as const, serviceId: service.id }] : []),
      ],
      data: { kind: request.kind },
    }, now);
    return request;
  });
}

/**
 * A request with its service, in one statement; with `lock`, the request's row alone is locked
 * for its decision (FOR UPDATE OF the request: decisions in other organizations on the same
 * service do not wait on the service's row). NOT_FOUND when absent. Its status is checked after
 * authorization.
 */
async function requestWithService(em: EntityManager, requestId: string, options: { lock: boolean }): Promise<AccessRequest> {
  let request: AccessRequest | null = null;
  if (isUuid(requestId)) {
    const query = em.createQueryBuilder(AccessRequest, 'request').select('*').joinAndSelect('request.service', 'service').where({ id: requestId });
    if (options.lock) query.setLockMode(LockMode.PESSIMISTIC_WRITE, ['request']);
    request = await query.getSingleResult();
  }
  if (!request) throw notFound("Cette demande d'accès n'existe pas.");
  return request;
}

function assertPending(request: AccessRequest): void {
  if (request.status !== AccessRequestStatus.Pending) throw conflict("Cette demande d'accès n'est plus en attente.");
}

/** The requester withdraws their own pending request. */
export function cancelAccessRequest(em: EntityManager, viewer: Viewer, requestId: string, now: Date): Promise<AccessRequest> {
  return em.transactional(async (tx) => {
    const request = await requestWithService(tx, requestId, { lock: true });
    // Someone else's request is answered as absent: its existence is not revealed.
    if (!mayCancelRequest(viewer, request)) throw notFound("Cette demande d'accès n'existe pas.");
    assertPending(request);
    request.status = AccessRequestStatus.Cancelled;
    request.decidedAt = now;
    request.decidedBy = viewer.userId;
    recordAudit(tx, viewer, {
      action: AccessAuditAction.RequestCancelled,
      organizationId: request.organizationId,
      serviceId: request.service.id,
      targetType: 'AccessRequest',
      targetId: request.id,
    });
    return request;
  });
}

/**
 * R8, R10: grant or refuse (with a reason). A request to become local manager is decided by the
 * owner's staff; others by the organization's local manager or a deputy in their period. Nobody
 * decides their own request.
 */
export async function decideAccessRequest(
  em: EntityManager,
  viewer: Viewer,
  checks: GranteeChecks,
  input: { requestId: string; grant: boolean; reason?: string | null },
  now: Date,
): Promise<AccessRequest> {
  const reason = input.reason?.trim() || null;
  if (!input.grant && !reason) throw badUserInput('Un refus doit être motivé.', { field: 'input.reason' });
  if (input.grant) {
    // R20: a right goes only to a user still active in the organization the request was made for
    // (suspended since, it is refused).
    const preflight = em.fork();
    const request = await requestWithService(preflight, input.requestId, { lock: false });
    // Only the caller's own rights decide whether they hold the powers (holdsManagerPowers).
    const callerRights = await findActiveRightsOn(preflight, request.service.id, request.organizationId, { now, userId: viewer.userId });
    ensureMayDecideRequest(viewer, request, callerRights, now);
    await assertMemberOf(checks, request.userId, request.organizationId, "Le demandeur n'est plus un utilisateur actif de cette organisation : sa demande ne peut être accordée.");
  }
  return em.transactional(async (tx) => {
    const request = await requestWithService(tx, input.requestId, { lock: true });
    const service = request.service.getEntity();
    // Decisions on an organization's access wait on its rights in force (locked below); a first
    // local manager's organization may have none, so those decisions also wait on the service's
    // row (R8: one local manager, and the second decision answered with its conflict).
    if (request.kind === AccessRequestKind.LocalManager) await tx.lock(service, LockMode.PESSIMISTIC_WRITE);
    const rights = await findActiveRightsOn(tx, service.id, request.organizationId, { now, lock: true });
    ensureMayDecideRequest(viewer, request, rights, now);
    assertPending(request);
    if (request.kind === AccessRequestKind.LocalManager && rights.some((r) => r.role === ServiceRole.LocalManager)) {
      throw conflict('Cette organisation a déjà un gestionnaire local pour ce service.');
    }
    request.status = input.grant ? AccessRequestStatus.Granted : AccessRequestStatus.Refused;
    request.reason = reason;
    request.decidedAt = now;
    request.decidedBy = viewer.userId;
    if (input.grant) {
      const base = { userId: request.userId, organizationId: request.organizationId, service };
      // The local manager also works in the service: being manager alone would not allow it (R14).
      if (request.kind === AccessRequestKind.LocalManager) grant(tx, viewer, AccessAuditAction.RequestGranted, { ...base, role: ServiceRole.LocalManager }, now);
      grant(tx, viewer, AccessAuditAction.RequestGranted, { ...base, role: ServiceRole.User }, now);
    } else {
      recordAudit(tx, viewer, {
        action: AccessAuditAction.RequestRefused,
        organizationId: request.organizationId,
        serviceId: service.id,
        targetType: 'AccessRequest',
        targetId: request.id,
        after: { reason },
      });
    }
    raiseAccessEvent(tx, {
      type: EventType.AccessRequestDecided,
      subject: { typename: 'AccessRequest', id: request.id },
      organizationId: request.organizationId,
      serviceId: service.id,
      audiences: [users(request.userId)],
      data: { decision: request.status },
    }, now);
    return request;
  });
}

/**
 * R10: the local manager names a deputy, among the organization's users of the service, for a
 * period; the powers start and end with it.
 */
export async function nameDeputy(
  em: EntityManager,
  viewer: Viewer,
  checks: GranteeChecks,
  input: { serviceId: string; userId: string; from: Date; until: Date },
  now: Date,
): Promise<AccessRight> {
  // Instants already checked by the DateTime scalar.
  const { from, until } = input;
  if (until <= from) throw badUserInput('La fin de la période doit suivre son début.', { field: 'input.until' });
  if (until <= now) throw badUserInput('La période doit se terminer dans le futur.', { field: 'input.until' });
  if (until.getTime() - from.getTime() > 366 * 86_400_000) throw badUserInput("La période d'un adjoint ne peut dépasser un an.", { field: 'input.until' });
  const preflight = em.fork();
  const service = await serviceOrNotFound(preflight, input.serviceId);
  ensureMayNameDeputy(viewer, await findActiveRightsOn(preflight, service.id, viewer.organizationId, { now }), now);
  // R10, R20: the deputy is an active user of the manager's own organization.
  await assertMemberOf(checks, input.userId, viewer.organizationId, "L'adjoint doit être un utilisateur actif de votre organisation.");
  return em.transactional(async (tx) => {
    const rights = await findActiveRightsOn(tx, service.id, viewer.organizationId, { now, lock: true });
    ensureMayNameDeputy(viewer, rights, now);
    if (input.userId === viewer.userId) throw badUserInput('Le gestionnaire local ne peut être son propre adjoint.');
    if (!isActiveUserOf(rights, input.userId, now)) throw badUserInput("L'adjoint doit déjà être un utilisateur de ce service dans votre organisation.", { field: 'input.userId' });
    return grant(tx, viewer, AccessAuditAction.DeputyNamed, {
      userId: input.userId,
      organizationId: viewer.organizationId,
      service,
      role: ServiceRole.DeputyManager,
      validFrom: from,
      validUntil: until,
    }, now);
  });
}

/** R10, R13: removes a right, for whoever mayRevokeRight says may. */
export function revokeAccessRight(em: EntityManager, viewer: Viewer, rightId: string, now: Date): Promise<AccessRight> {
  return em.transactional(async (tx) => {
    const right = isUuid(rightId) ? await tx.findOne(AccessRight, rightId, { populate: ['service'] }) : null;
    if (!right || right.revokedAt) throw notFound("Ce droit d'accès n'existe pas ou n'est plus en vigueur.");
    const service = right.service.getEntity();
    const rights = await findActiveRightsOn(tx, service.id, right.organizationId, { now, lock: true });
    ensureMayRevokeRight(viewer, service, right, rights, now);
    revoke(tx, viewer, right, AccessAuditAction.RightRevoked, now);
    return right;
  });
}

/**
 * R11: the owner's staff replace a local manager or mandate manager in one transaction; the
 * former holder loses the role at once. The new holder is an active user of the organization
 * (identity says so) who already uses the service there.
 */
export async function transferManagerRole(
  em: EntityManager,
  viewer: Viewer,
  checks: GranteeChecks,
  input: { serviceId: string; organizationId: string; role: ManagerRole; newUserId: string },
  now: Date,
): Promise<AccessRight> {
  const service = await serviceOrNotFound(em.fork(), input.serviceId);
  ensureMayTransferManagerRole(viewer, service);
  // R11, R20: the new holder is an active user of that organization, as identity says now.
  await assertMemberOf(checks, input.newUserId, input.organizationId, "Le nouveau titulaire doit être un utilisateur actif de l'organisation.");
  return em.transactional(async (tx) => {
    const rights = await findActiveRightsOn(tx, service.id, input.organizationId, { now, lock: true });
    if (!isActiveUserOf(rights, input.newUserId, now)) {
      throw badUserInput("Le nouveau titulaire doit déjà être un utilisateur de ce service dans l'organisation.", { field: 'input.newUserId' });
    }
    const current = rights.filter((r) => r.role === input.role);
    if (current.some((r) => r.userId === input.newUserId)) throw conflict('Cette personne détient déjà ce rôle.');
    for (const right of current) revoke(tx, viewer, right, AccessAuditAction.ManagerTransferred, now, { replacedBy: input.newUserId });
    // Flush the revocation first: at most one local manager per (service, organization) is a database rule.
    await tx.flush();
    return grant(tx, viewer, AccessAuditAction.ManagerTransferred, { userId: input.newUserId, organizationId: input.organizationId, service, role: input.role }, now);
  });
}

/** PERFORM, in the catalog every environment is seeded with. */
const performService = (em: EntityManager) => em.findOneOrFail(OnlineService, { code: ServiceCode.Perform });

/**
 * R13: may `userId` hold `role` in the organization's PERFORM? Every role goes to an active user
 * of the organization, except the external auditor: an active user of a firme de vérificateur
 * holding a PERFORM mandate in force from the organization (the audit mandate, given in the
 * mandates subgraph). Identity and mandates are asked together; refused otherwise.
 */
async function assertMayHoldPerformRole(checks: GranteeChecks, perform: OnlineService, organizationId: string, userId: string, role: ServiceRole): Promise<void> {
  if (role !== ServiceRole.PerformExternalAuditor) {
    await assertMemberOf(
      checks,
      userId,
      organizationId,
      "Les rôles PERFORM de votre organisation se donnent à ses utilisateurs actifs ; seul le vérificateur externe vient d'une firme de vérificateur qu'elle a mandatée.",
    );
    return;
  }
  const [member, mandate] = await Promise.all([
    checks.directory.findMember(userId),
    checks.mandates.findMandateInForce({ organizationId, serviceId: perform.id, mandataireId: userId }),
  ]);
  ensureMayBeExternalAuditor(member, mandate);
}

/**
 * R13: the répondant municipal gives PERFORM roles in their organization, to its own users, and
 * the external auditor's to a mandated firme de vérificateur's user; nobody is both external
 * auditor and signatory. A refusal writes nothing.
 */
export async function grantPerformRole(
  em: EntityManager,
  viewer: Viewer,
  checks: GranteeChecks,
  input: { userId: string; role: PerformRole },
  now: Date,
): Promise<AccessRight> {
  if (!isUuid(input.userId)) throw notFound("Cet utilisateur n'existe pas.");
  const preflight = em.fork();
  const perform = await performService(preflight);
  ensureMayGivePerformRoles(viewer, await findActiveRightsOn(preflight, perform.id, viewer.organizationId, { now }), now);
  await assertMayHoldPerformRole(checks, perform, viewer.organizationId, input.userId, input.role);
  return em.transactional(async (tx) => {
    const rights = await findActiveRightsOn(tx, perform.id, viewer.organizationId, { now, lock: true });
    ensureMayGivePerformRoles(viewer, rights, now);
    const held = rights.filter((r) => r.userId === input.userId).map((r) => r.role);
    if (held.includes(input.role)) throw conflict('Cette personne détient déjà ce rôle.');
    const exclusive: readonly ServiceRole[] = [ServiceRole.PerformExternalAuditor, ServiceRole.PerformSignatory];
    if (exclusive.includes(input.role) && held.some((role) => exclusive.includes(role))) {
      throw conflict('Une même personne ne peut être à la fois vérificateur externe et signataire.');
    }
    return grant(tx, viewer, AccessAuditAction.PerformRoleGranted, {
      userId: input.userId,
      organizationId: viewer.organizationId,
      service: perform,
      role: input.role,
    }, now);
  });
}

/**
 * R13: when a municipal body has no répondant municipal, DNIFF (PERFORM's owner) names one among
 * the body's active users.
 */
export async function nameMunicipalRespondent(
  em: EntityManager,
  viewer: Viewer,
  checks: GranteeChecks,
  input: { organizationId: string; userId: string },
  now: Date,
): Promise<AccessRight> {
  if (!isUuid(input.organizationId) || !isUuid(input.userId)) throw notFound("Cette organisation ou cet utilisateur n'existe pas.");
  const perform = await performService(em.fork());
  ensureMayNameRespondent(viewer, perform);
  const member = await assertMemberOf(checks, input.userId, input.organizationId, "Le répondant municipal doit être un utilisateur actif de cet organisme.");
  ensureMayHaveRespondent(member);
  return em.transactional(async (tx) => {
    const rights = await findActiveRightsOn(tx, perform.id, input.organizationId, { now, lock: true });
    if (rights.some((r) => r.role === ServiceRole.MunicipalRespondent)) {
      throw conflict('Cette organisation a déjà un répondant municipal ; c’est lui qui attribue les rôles.');
    }
    return grant(tx, viewer, AccessAuditAction.RespondentNamed, {
      userId: input.userId,
      organizationId: input.organizationId,
      service: perform,
      role: ServiceRole.MunicipalRespondent,
    }, now);
  });
}
