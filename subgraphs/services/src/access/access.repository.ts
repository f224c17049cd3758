import { LockMode, Reference, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findPage, ServiceRole, type Page, type PageRequest } from '@pgamr/kit';
import { OnlineService } from '../online-service/online-service.entity';
import { AccessRequest, type AccessRequestKind, AccessRequestStatus, AccessRight } from './access.entity';

/** SQL for isActive: not revoked, and inside its period at `now`. */
const inForce = (now: Date) => ({ revokedAt: null, validFrom: { $lte: now }, $or: [{ validUntil: null }, { validUntil: { $gt: now } }] });

/** The rights in force at `now` for a user, across services and organizations. */
export function findActiveRightsOfUser(em: EntityManager, userId: string, now: Date): Promise<AccessRight[]> {
  return em.find(AccessRight, { userId, ...inForce(now) }, { orderBy: { grantedAt: 'asc' } });
}

/**
 * The rights in force of every user asked for, at once, each with its service joined in the same
 * statement: « Mes services en ligne » reads nothing revoked or expired, and no second query for
 * the services it shows.
 */
export function findActiveRightsOfUsers(em: EntityManager, userIds: readonly string[], now: Date): Promise<AccessRight[]> {
  return em.find(
    AccessRight,
    { userId: { $in: [...userIds] }, ...inForce(now) },
    { populate: ['service'], strategy: 'joined', orderBy: { grantedAt: 'asc', id: 'asc' } },
  );
}

/**
 * The rights in force on (service, organization), or only those of one user or of one role.
 * Decisions read them with `lock` so that two decisions on the same organization's access are
 * taken one after the other; a read that only checks the caller's powers asks for the caller's.
 */
export function findActiveRightsOn(
  em: EntityManager,
  serviceId: string,
  organizationId: string,
  options: { now: Date; lock?: boolean; userId?: string; role?: ServiceRole },
): Promise<AccessRight[]> {
  return em.find(
    AccessRight,
    {
      service: serviceId,
      organizationId,
      ...(options.userId ? { userId: options.userId } : {}),
      ...(options.role ? { role: options.role } : {}),
      ...inForce(options.now),
    },
    { orderBy: { role: 'asc', grantedAt: 'asc' }, ...(options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) },
  );
}

/** R8, R14: one page of the rights in force on (service, organization), by role, then oldest first. */
export function findActiveRightPage(em: EntityManager, serviceId: string, organizationId: string, page: PageRequest, now: Date): Promise<Page<AccessRight>> {
  return findPage(em, AccessRight, { service: serviceId, organizationId, ...inForce(now) }, { role: 'asc', grantedAt: 'asc', id: 'asc' }, page);
}

/** R10, R12: one page of the deputies whose period covers `now`, first named first. */
export function findActiveDeputyPage(em: EntityManager, serviceId: string, organizationId: string, page: PageRequest, now: Date): Promise<Page<AccessRight>> {
  return findPage(
    em,
    AccessRight,
    { service: serviceId, organizationId, role: ServiceRole.DeputyManager, ...inForce(now) },
    { grantedAt: 'asc', id: 'asc' },
    page,
  );
}

/** R8: one page of a user's own requests, newest first. */
export function findRequestPageOfUser(em: EntityManager, userId: string, page: PageRequest): Promise<Page<AccessRequest>> {
  return findPage(em, AccessRequest, { userId }, { createdAt: 'desc', id: 'desc' }, page);
}

/** Which pending requests of a service a caller decides: a kind, and for ordinary requests their organization. */
export interface PendingScope {
  kind: AccessRequestKind;
  organizationId?: string;
}

/** R8: one page of a service's pending requests in the scopes given (at least one), oldest first. */
export function findPendingRequestPage(em: EntityManager, serviceId: string, scopes: readonly PendingScope[], page: PageRequest): Promise<Page<AccessRequest>> {
  const conditions: Array<FilterQuery<AccessRequest>> = scopes.map((scope) => ({
    kind: scope.kind,
    ...(scope.organizationId ? { organizationId: scope.organizationId } : {}),
  }));
  // One scope reads through its own index; both (owner's staff who also manage) through either.
  const inScope = conditions.length === 1 ? conditions[0]! : { $or: conditions };
  const where: FilterQuery<AccessRequest> = { $and: [{ service: serviceId, status: AccessRequestStatus.Pending }, inScope] };
  return findPage(em, AccessRequest, where, { createdAt: 'asc', id: 'asc' }, page);
}

/**
 * What a reader of figures holds (issue 18): their rights in force on their own organization, the
 * services their direction owns, and every service of either (the only ones their figures can
 * group by).
 */
export interface StatisticsReaderScope {
  ownRights: AccessRight[];
  administeredServiceIds: string[];
  services: OnlineService[];
}

type ScopeRow = Record<string, unknown> & { administered: boolean | null; rights: Array<Record<string, string | null>> };

/** The reader's rights in force on their own organization for the service `s`. */
const OWN_RIGHTS = `from access_right r
  where r.service_id = s.id and r.user_id = ? and r.organization_id = ? and r.revoked_at is null and r.valid_from <= ? and (r.valid_until is null or r.valid_until > ?)`;

/**
 * Issue 18: in one statement, the services `direction` owns (none without a direction) and those
 * the caller holds a right in force on for their own organization, each with those rights, so
 * that a statistics call reads this and its figures: two statements in all, the groups' services
 * included (the request's loader is primed with them).
 */
export async function findStatisticsReaderScope(
  em: EntityManager,
  reader: { userId: string; organizationId: string },
  direction: string | null,
  now: Date,
): Promise<StatisticsReaderScope> {
  const own = [reader.userId, reader.organizationId, now, now];
  const rows = await em.getConnection().execute<ScopeRow[]>(
    `select s.*, s.owner_direction_code = ? as administered,
            (select coalesce(json_agg(json_build_object('id', r.id, 'role', r.role, 'validFrom', r.valid_from, 'validUntil', r.valid_until,
                                                        'grantedBy', r.granted_by, 'grantedAt', r.granted_at) order by r.id), '[]'::json) ${OWN_RIGHTS}) as rights
       from online_service s
      where s.owner_direction_code = ? or exists (select 1 ${OWN_RIGHTS})
      order by s.id`,
    [direction, ...own, direction, ...own],
  );
  const services: OnlineService[] = [];
  const ownRights: AccessRight[] = [];
  const administeredServiceIds: string[] = [];
  for (const { administered, rights, ...columns } of rows) {
    const service = em.map(OnlineService, columns);
    services.push(service);
    if (administered) administeredServiceIds.push(service.id);
    for (const right of rights) {
      ownRights.push(
        Object.assign(new AccessRight(), {
          id: String(right.id),
          userId: reader.userId,
          organizationId: reader.organizationId,
          service: Reference.create(service),
          role: right.role as ServiceRole,
          validFrom: new Date(String(right.validFrom)),
          validUntil: right.validUntil ? new Date(right.validUntil) : null,
          grantedBy: String(right.grantedBy),
          grantedAt: new Date(String(right.grantedAt)),
          revokedAt: null,
        }),
      );
    }
  }
  return { ownRights, administeredServiceIds, services };
}
