import { hasRole, IdentityRole, ServiceCode, ServiceRole, type Viewer } from '@pgamr/kit';
import type { OnlineService } from '../online-service/online-service.entity';
import { isActive, type AccessRight } from './access.entity';

// The services subgraph's authorization rules (R7–R14), one function per rule.

/** R13: PERFORM is the service whose roles the répondant municipal gives. */
export const isPerform = (service: OnlineService): boolean => service.code === ServiceCode.Perform;

/** R7, R11: staff of the direction that owns the service administer its access. */
export const isOwnerStaff = (viewer: Viewer, service: OnlineService): boolean =>
  hasRole(viewer, IdentityRole.MinistryStaff) && viewer.direction === service.ownerDirectionCode;

/**
 * R8, R10: who decides access requests of an organization on a service right now: its local
 * manager, or a deputy inside their period (checked on the clock, no job needed).
 */
export const holdsManagerPowers = (rights: readonly AccessRight[], viewer: Viewer, now: Date): boolean =>
  rights.some(
    (right) =>
      right.userId === viewer.userId &&
      (right.role === ServiceRole.LocalManager || right.role === ServiceRole.DeputyManager) &&
      isActive(right, now),
  );

export const isLocalManager = (rights: readonly AccessRight[], viewer: Viewer, now: Date): boolean =>
  rights.some((right) => right.userId === viewer.userId && right.role === ServiceRole.LocalManager && isActive(right, now));

/** R12: an organization's users, and the owner's staff, may ask who manages access. */
export const canAskWhoManages = (viewer: Viewer, service: OnlineService, organizationId: string): boolean =>
  viewer.organizationId === organizationId || isOwnerStaff(viewer, service);

/**
 * Whether a user works in the service for the organization (USER role in force): a deputy or a
 * new manager is chosen among them. That they still belong to the organization is identity's to
 * say (see access.service.ts).
 */
export const isActiveUserOf = (rights: readonly AccessRight[], userId: string, now: Date): boolean =>
  rights.some((right) => right.userId === userId && right.role === ServiceRole.User && isActive(right, now));

/** R13: is the caller the organization's répondant municipal (`rights` are PERFORM's, on that organization)? */
export const isMunicipalRespondent = (rights: readonly AccessRight[], viewer: Viewer, now: Date): boolean =>
  rights.some((right) => right.userId === viewer.userId && right.role === ServiceRole.MunicipalRespondent && isActive(right, now));

/**
 * R8, R13: who administers the organization's rights on the service: its local manager (or a
 * deputy in their period) and, for PERFORM, its répondant municipal, who gives and takes back
 * the PERFORM roles. They list the rights and read the trail.
 */
export const administersRightsOf = (rights: readonly AccessRight[], viewer: Viewer, service: OnlineService, now: Date): boolean =>
  holdsManagerPowers(rights, viewer, now) || (isPerform(service) && isMunicipalRespondent(rights, viewer, now));

/**
 * R13, R20: a right on an organization counts only for the organization's own users, except the
 * external auditor's, which counts only for someone of another organization (a firme de
 * vérificateur's user). Grants keep to this (access.service.ts); a right outside it, written
 * before they did, opens nothing: the decision point and « Mes services en ligne » leave it out,
 * and the organization's répondant or managers can still see and revoke it.
 */
export const rightCounts = (viewer: Viewer, right: AccessRight): boolean =>
  (right.role === ServiceRole.PerformExternalAuditor) !== (right.organizationId === viewer.organizationId);
