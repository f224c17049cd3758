import { auditEventResolvers, requireViewer, requiredRecord, type Viewer } from '@pgamr/kit';
import type { AccessRequest as AccessRequestEntity, AccessRight as AccessRightEntity } from '../access/access.entity';
import type { ServicesContext } from '../context';
import type { OnlineService } from '../online-service/online-service.entity';
import type { AccessRequestResolvers, AccessRightResolvers } from '../generated/resolvers-types';
import { mayReadRequest, mayReadRight } from '../policy';

const reference = (__typename: string, id: string) => ({ __typename, id });

// validFrom, validUntil, createdAt and decidedAt are the entities' Dates, served by the DateTime scalar.

/**
 * A request or a right (a notification's subject, issue 19) with its service and the caller's own
 * rights in force on its (service, organization): what mayReadRequest and mayReadRight decide on.
 * Loaders throughout: the representations of one `_entities` call cost one statement per kind.
 */
async function readableRecord<T extends AccessRequestEntity | AccessRightEntity>(
  context: ServicesContext,
  record: T | null,
  mayRead: (viewer: Viewer, record: T, service: OnlineService, rights: readonly AccessRightEntity[], now: Date) => boolean,
): Promise<T | null> {
  const viewer = requireViewer(context.auth);
  if (!record) return null;
  const [service, own] = await Promise.all([context.loaders.onlineServiceById.load(record.service.id), context.loaders.activeRightsOfUser.load(viewer.userId)]);
  if (!service) return null;
  const rights = own.filter((right) => right.service.id === service.id && right.organizationId === record.organizationId);
  return mayRead(viewer, record, service, rights, context.clock.now()) ? record : null;
}

export const AccessRight = {
  /** R8, R13, R20: null for a right the caller may not read, exactly as for one that does not exist. */
  __resolveReference: async ({ id }, context) => {
    requireViewer(context.auth);
    return readableRecord(context, await context.loaders.accessRightById.load(id), mayReadRight);
  },
  service: (right, _, { loaders }) => requiredRecord(loaders.onlineServiceById.load(right.service.id), 'online service of an access right'),
  organization: (right) => reference('Organization', right.organizationId),
  // R20: identity answers null for a holder the caller may not see (the external auditor, of a firm).
  user: (right) => reference('User', right.userId),
} satisfies AccessRightResolvers;

export const AccessRequest = {
  /** R8, R10, R20: null for a request the caller may not read, exactly as for one that does not exist. */
  __resolveReference: async ({ id }, context) => {
    requireViewer(context.auth);
    return readableRecord(context, await context.loaders.accessRequestById.load(id), mayReadRequest);
  },
  // A request just decided or cancelled was read with its service, in its transaction: not read again.
  service: (request, _, { loaders }) =>
    request.service.isInitialized() ? request.service.getEntity() : requiredRecord(loaders.onlineServiceById.load(request.service.id), 'online service of an access request'),
  organization: (request) => reference('Organization', request.organizationId),
  requester: (request) => reference('User', request.userId),
} satisfies AccessRequestResolvers;

/** The kit's shared audit entry: the actor is a User reference identity resolves (R20). */
export const AuditEvent = auditEventResolvers;
