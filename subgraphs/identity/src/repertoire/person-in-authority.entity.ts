import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps, type Ref } from '@mikro-orm/core';
import type { Organization } from '../organization/organization.entity';

/** Roles of persons in authority listed in the Répertoire des municipalités (R5). */
export enum AuthorityRole {
  Mayor = 'MAYOR',
  Prefect = 'PREFECT',
  Chair = 'CHAIR',
  DirectorGeneral = 'DIRECTOR_GENERAL',
  ClerkTreasurer = 'CLERK_TREASURER',
  Clerk = 'CLERK',
  Treasurer = 'TREASURER',
}

export class PersonInAuthority {
  [OptionalProps]?: 'id';
  id: string = randomUUID();
  organization!: Ref<Organization>;
  role!: AuthorityRole;
  givenName!: string;
  familyName!: string;
}

export const PersonInAuthoritySchema = new EntitySchema<PersonInAuthority>({
  class: PersonInAuthority,
  tableName: 'person_in_authority',
  properties: {
    id: { type: 'uuid', primary: true },
    organization: { kind: 'm:1', entity: 'Organization', ref: true, index: true, deleteRule: 'cascade' },
    role: { enum: true, items: () => AuthorityRole },
    givenName: { type: 'string', length: 100 },
    familyName: { type: 'string', length: 100 },
  },
});
