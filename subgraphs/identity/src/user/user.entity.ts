import { randomUUID } from 'node:crypto';
import { EntitySchema, type Ref, type Opt } from '@mikro-orm/core';
import type { Organization } from '../organization/organization.entity';

export class User {
  id: string & Opt = randomUUID();
  clicSequrCode!: string;
  givenName!: string;
  familyName!: string;
  email!: string;
  organization!: Ref<Organization>;
  createdAt: Date & Opt = new Date();
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'app_user',
  properties: {
    id: { type: 'uuid', primary: true },
    clicSequrCode: { type: 'string', length: 12, unique: true },
    givenName: { type: 'string', length: 100 },
    familyName: { type: 'string', length: 100 },
    email: { type: 'string', length: 254 },
    organization: { kind: 'm:1', entity: 'Organization', ref: true, index: true },
    createdAt: { type: 'datetime' },
  },
});
