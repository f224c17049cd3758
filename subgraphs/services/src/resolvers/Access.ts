import { auditEventResolvers } from '@pgamr/kit';
import type { AccessRequest as AccessRequestEntity, AccessRight as AccessRightEntity } from '../access/access.entity';
import type { ServicesContext } from '../context';

const reference = (__typename: string, id: string) => ({ __typename, id });

// validFrom, validUntil, createdAt and decidedAt are the entities' Dates, served by the DateTime scalar.

export const AccessRight = {
  service: (right: AccessRightEntity, _: unknown, { loaders }: ServicesContext) => loaders.onlineServiceById.load(right.service.id),
  organization: (right: AccessRightEntity) => reference('Organization', right.organizationId),
  // R20: identity answers null for a holder the caller may not see (the external auditor, of a firm).
  user: (right: AccessRightEntity) => reference('User', right.userId),
};

export const AccessRequest = {
  service: (request: AccessRequestEntity, _: unknown, { loaders }: ServicesContext) => loaders.onlineServiceById.load(request.service.id),
  organization: (request: AccessRequestEntity) => reference('Organization', request.organizationId),
  requester: (request: AccessRequestEntity) => reference('User', request.userId),
};

/** The kit's shared audit entry: the actor is a User reference identity resolves (R20). */
export const AuditEvent = auditEventResolvers;
