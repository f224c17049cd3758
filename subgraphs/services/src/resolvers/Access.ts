import { auditEventFields } from '@pgamr/kit';
import type { AccessRequest as AccessRequestEntity, AccessRight as AccessRightEntity } from '../access/access.entity';
import type { ServicesContext } from '../context';

const iso = (date?: Date | null) => date?.toISOString() ?? null;
const reference = (__typename: string, id: string) => ({ __typename, id });

export const AccessRight = {
  service: (right: AccessRightEntity, _: unknown, { loaders }: ServicesContext) => loaders.onlineServiceById.load(right.service.id),
  organization: (right: AccessRightEntity) => reference('Organization', right.organizationId),
  user: (right: AccessRightEntity) => reference('User', right.userId),
  validFrom: (right: AccessRightEntity) => right.validFrom.toISOString(),
  validUntil: (right: AccessRightEntity) => iso(right.validUntil),
};

export const AccessRequest = {
  service: (request: AccessRequestEntity, _: unknown, { loaders }: ServicesContext) => loaders.onlineServiceById.load(request.service.id),
  organization: (request: AccessRequestEntity) => reference('Organization', request.organizationId),
  requester: (request: AccessRequestEntity) => reference('User', request.userId),
  createdAt: (request: AccessRequestEntity) => request.createdAt.toISOString(),
  decidedAt: (request: AccessRequestEntity) => iso(request.decidedAt),
};

export const ServiceAuditEvent = auditEventFields;
