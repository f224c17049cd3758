import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessRequest, type AccessRequestKind, AccessRequestStatus, AccessRight } from './access.entity';

/** SQL for isActive: not revoked, and inside its period at `now`. */
const inForce = (now: Date) => ({ revokedAt: null, validFrom: { $lte: now }, $or: [{ validUntil: null }, { validUntil: { $gt: now } }] });

/** The rights in force now for a user, across services and organizations. */
export function findActiveRightsOfUser(em: EntityManager, userId: string, now = new Date()): Promise<AccessRight[]> {
  return em.find(AccessRight, { userId, ...inForce(now) }, { orderBy: { grantedAt: 'asc' } });
}

/**
 * The rights in force on (service, organization). Decisions read them with `lock` so that two
 * decisions on the same organization's access are taken one after the other.
 */
export function findActiveRightsOn(
  em: EntityManager,
  serviceId: string,
  organizationId: string,
  options: { now?: Date; lock?: boolean } = {},
): Promise<AccessRight[]> {
  return em.find(
    AccessRight,
    { service: serviceId, organizationId, ...inForce(options.now ?? new Date()) },
    { orderBy: { role: 'asc', grantedAt: 'asc' }, ...(options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) },
  );
}

export function findRequestsOfUser(em: EntityManager, userId: string): Promise<AccessRequest[]> {
  return em.find(AccessRequest, { userId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
}

export function findPendingRequests(
  em: EntityManager,
  serviceId: string,
  scope: { kind: AccessRequestKind; organizationId?: string },
): Promise<AccessRequest[]> {
  return em.find(
    AccessRequest,
    { service: serviceId, status: AccessRequestStatus.Pending, kind: scope.kind, ...(scope.organizationId ? { organizationId: scope.organizationId } : {}) },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
}
