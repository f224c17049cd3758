import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps, type Ref } from '@mikro-orm/core';
import { ServiceRole, WORKING_ROLES } from '@pgamr/kit';
import type { OnlineService } from '../online-service/online-service.entity';

export const PERFORM_ROLES: readonly ServiceRole[] = WORKING_ROLES.filter((role) => role.startsWith('PERFORM_'));

/** R11: the roles the owner's staff transfer from one holder to another (the API's ManagerRole enum). */
export type ManagerRole = typeof ServiceRole.LocalManager | typeof ServiceRole.MandateManager;

export class AccessRight {
  [OptionalProps]?: 'id' | 'grantedAt' | 'validFrom';
  id: string = randomUUID();
  /** Owned by identity: a reference, not a foreign key. */
  userId!: string;
  /** The organization on whose behalf the user holds the role (not always the user's own: an external auditor). */
  organizationId!: string;
  service!: Ref<OnlineService>;
  role!: ServiceRole;
  validFrom: Date = new Date();
  /** The end of a deputy's period (R10); null for rights without an end. */
  validUntil?: Date | null;
  grantedBy!: string;
  grantedAt: Date = new Date();
  revokedAt?: Date | null;
  revokedBy?: string | null;
}

export enum AccessRequestKind {
  /** R8: the first request of an organization without a local manager, decided by the owner's staff. */
  LocalManager = 'LOCAL_MANAGER',
  Access = 'ACCESS',
}

export enum AccessRequestStatus {
  Pending = 'PENDING',
  Granted = 'GRANTED',
  Refused = 'REFUSED',
  Cancelled = 'CANCELLED',
}

export class AccessRequest {
  [OptionalProps]?: 'id' | 'createdAt' | 'status';
  id: string = randomUUID();
  userId!: string;
  organizationId!: string;
  service!: Ref<OnlineService>;
  kind!: AccessRequestKind;
  status: AccessRequestStatus = AccessRequestStatus.Pending;
  reason?: string | null;
  createdAt: Date = new Date();
  decidedAt?: Date | null;
  decidedBy?: string | null;
}

export const AccessRightSchema = new EntitySchema<AccessRight>({
  class: AccessRight,
  tableName: 'access_right',
  indexes: [
    { properties: ['userId', 'revokedAt'] },
    { properties: ['service', 'organizationId', 'role'] },
    // R8: at most one local manager in force per (service, organization), enforced by the database.
    {
      name: 'access_right_one_local_manager',
      expression: `create unique index "access_right_one_local_manager" on "access_right" ("service_id", "organization_id") where "role" = '${ServiceRole.LocalManager}' and "revoked_at" is null`,
    },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid' },
    organizationId: { type: 'uuid', index: true },
    service: { kind: 'm:1', entity: 'OnlineService', ref: true },
    role: { enum: true, items: () => ServiceRole },
    validFrom: { type: 'datetime' },
    validUntil: { type: 'datetime', nullable: true },
    grantedBy: { type: 'uuid' },
    grantedAt: { type: 'datetime' },
    revokedAt: { type: 'datetime', nullable: true },
    revokedBy: { type: 'uuid', nullable: true },
  },
});

export const AccessRequestSchema = new EntitySchema<AccessRequest>({
  class: AccessRequest,
  tableName: 'access_request',
  indexes: [
    { properties: ['service', 'organizationId', 'status'] },
    // R8: the owner's queue of first requests, oldest first, across every organization of a service.
    { properties: ['service', 'status', 'kind', 'createdAt', 'id'] },
    // R8: at most one pending request per (user, service).
    {
      name: 'access_request_one_pending',
      expression: `create unique index "access_request_one_pending" on "access_request" ("user_id", "service_id") where "status" = 'PENDING'`,
    },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid', index: true },
    organizationId: { type: 'uuid' },
    service: { kind: 'm:1', entity: 'OnlineService', ref: true },
    kind: { enum: true, items: () => AccessRequestKind },
    status: { enum: true, items: () => AccessRequestStatus },
    reason: { type: 'string', length: 500, nullable: true },
    createdAt: { type: 'datetime' },
    decidedAt: { type: 'datetime', nullable: true },
    decidedBy: { type: 'uuid', nullable: true },
  },
});

/** Whether a right is in force at a moment: not revoked, and inside its period. */
export const isActive = (right: AccessRight, now: Date): boolean =>
  !right.revokedAt && right.validFrom <= now && (!right.validUntil || right.validUntil > now);
