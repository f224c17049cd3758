import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps, type Ref } from '@mikro-orm/core';
import type { Organization } from '../organization/organization.entity';

export enum UserStatus {
  Active = 'ACTIVE',
  Suspended = 'SUSPENDED',
}

export class User {
  [OptionalProps]?: 'id' | 'status' | 'isRse' | 'passwordIsTemporary' | 'createdAt' | 'updatedAt';
  id: string = randomUUID();
  /** The clicSÉQUR – Entreprises code users type to sign in; generated, never reused. */
  clicSequrCode!: string;
  givenName!: string;
  familyName!: string;
  email!: string;
  phone?: string | null;
  status: UserStatus = UserStatus.Active;
  /** Responsable des services électroniques of the organization (R2). */
  isRse: boolean = false;
  /** For ministry staff: their direction (DGI, DGOMR, DNIFF, DR-05…). */
  direction?: string | null;
  organization!: Ref<Organization>;
  /** argon2id hash (R6); never the password itself. */
  passwordHash!: string;
  /** R1: a temporary password only allows setting a personal one. */
  passwordIsTemporary: boolean = true;
  temporaryPasswordExpiresAt?: Date | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'app_user',
  indexes: [
    // An organization's users in the order its list shows them (usersByOrganization); its
    // leading column also serves the foreign key.
    { properties: ['organization', 'familyName', 'givenName', 'id'] },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    clicSequrCode: { type: 'string', length: 12, unique: true },
    givenName: { type: 'string', length: 100 },
    familyName: { type: 'string', length: 100 },
    email: { type: 'string', length: 254 },
    phone: { type: 'string', length: 30, nullable: true },
    status: { enum: true, items: () => UserStatus },
    isRse: { type: 'boolean' },
    direction: { type: 'string', length: 20, nullable: true },
    organization: { kind: 'm:1', entity: 'Organization', ref: true },
    passwordHash: { type: 'text', lazy: true },
    passwordIsTemporary: { type: 'boolean' },
    temporaryPasswordExpiresAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime', onUpdate: () => new Date() },
  },
});
