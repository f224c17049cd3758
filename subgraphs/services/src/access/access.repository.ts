import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessRequest, type AccessRequestKind, AccessRequestStatus, AccessRight, isActive } from './access.entity';

/** The rights in force now for a user, across services and organizations. */
export async function findActiveRightsOfUser(em: EntityManager, userId: string, now = new Date()): Promise<AccessRight[]> {
  const rights = await em.find(
    AccessRight,
    { userId, revokedAt: null, validFrom: { $lte: now }, $or: [{ validUntil: null }, { validUntil: { $gt: now } }] },
    { orderBy: { grantedAt: 'asc' } },
  );
  return rights.filter((right) => isActive(right, now));
}

export function findActiveRightsOn(em: EntityManager, serviceId: string, organizationId: string, now = new Date()): Promise<AccessRight[]> {
  return em.find(
    AccessRight,
    { service: serviceId, organizationId, revokedAt: null, validFrom: { $lte: now }, $or: [{ validUntil: null }, { validUntil: { $gt: now } }] },
    { orderBy: { role: 'asc', grantedAt: 'asc' } },
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
