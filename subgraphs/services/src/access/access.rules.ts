import { hasRole, IdentityRole, type Viewer } from '@pgamr/kit';
import type { OnlineService } from '../online-service/online-service.entity';
import { isActive, ServiceRole, type AccessRight } from './access.entity';

// The services subgraph's authorization rules (R7–R14), one function per rule.

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
 * Whether a user works in the service for the organization (USER role in force): that is how
 * services knows who belongs to an organization, for naming a deputy or a new manager.
 */
export const isActiveUserOf = (rights: readonly AccessRight[], userId: string, now: Date): boolean =>
  rights.some((right) => right.userId === userId && right.role === ServiceRole.User && isActive(right, now));
