import { auditEventResolvers, requiredRecord } from '@pgamr/kit';
import type { AccessRequestResolvers, AccessRightResolvers } from '../generated/resolvers-types';

const reference = (__typename: string, id: string) => ({ __typename, id });

// validFrom, validUntil, createdAt and decidedAt are the entities' Dates, served by the DateTime scalar.

export const AccessRight = {
  service: (right, _, { loaders }) => requiredRecord(loaders.onlineServiceById.load(right.service.id), 'online service of an access right'),
  organization: (right) => reference('Organization', right.organizationId),
  // R20: identity answers null for a holder the caller may not see (the external auditor, of a firm).
  user: (right) => reference('User', right.userId),
} satisfies AccessRightResolvers;

export const AccessRequest = {
  // A request just decided or cancelled was read with its service, in its transaction: not read again.
  service: (request, _, { loaders }) =>
    request.service.isInitialized() ? request.service.getEntity() : requiredRecord(loaders.onlineServiceById.load(request.service.id), 'online service of an access request'),
  organization: (request) => reference('Organization', request.organizationId),
  requester: (request) => reference('User', request.userId),
} satisfies AccessRequestResolvers;

/** The kit's shared audit entry: the actor is a User reference identity resolves (R20). */
export const AuditEvent = auditEventResolvers;
