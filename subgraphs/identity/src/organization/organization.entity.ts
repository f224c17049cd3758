import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps, type Ref } from '@mikro-orm/core';

export enum OrganizationKind {
  LocalMunicipality = 'LOCAL_MUNICIPALITY',
  Mrc = 'MRC',
  IntermunicipalBoard = 'INTERMUNICIPAL_BOARD',
  MetropolitanCommunity = 'METROPOLITAN_COMMUNITY',
  OtherOrganism = 'OTHER_ORGANISM',
  ConsultingFirm = 'CONSULTING_FIRM',
  AuditingFirm = 'AUDITING_FIRM',
  Consultant = 'CONSULTANT',
  Collaborator = 'COLLABORATOR',
  Ministry = 'MINISTRY',
  ClicSequrCustomerService = 'CLICSEQUR_CUSTOMER_SERVICE',
}

/** The bodies listed in the Répertoire des municipalités (R5). */
export const MUNICIPAL_KINDS: readonly OrganizationKind[] = [
  OrganizationKind.LocalMunicipality,
  OrganizationKind.Mrc,
  OrganizationKind.IntermunicipalBoard,
  OrganizationKind.MetropolitanCommunity,
];

/** The organizations whose users may be mandated on another organization's files (R15). */
export const FIRM_KINDS: readonly OrganizationKind[] = [
  OrganizationKind.ConsultingFirm,
  OrganizationKind.AuditingFirm,
  OrganizationKind.Consultant,
  OrganizationKind.Collaborator,
];

export enum ClicSequrRegistrationStatus {
  Pending = 'PENDING',
  Registered = 'REGISTERED',
  Revoked = 'REVOKED',
}

export class Organization {
  [OptionalProps]?: 'id' | 'clicSequrStatus' | 'createdAt';
  id: string = randomUUID();
  kind!: OrganizationKind;
  name!: string;
  neq?: string | null;
  clicSequrStatus: ClicSequrRegistrationStatus = ClicSequrRegistrationStatus.Pending;
  geographicCode?: string | null;
  administrativeRegion?: string | null;
  /**
   * R5: the MRC (an organization of kind MRC) a municipal body belongs to, as the Répertoire says;
   * an MRC's is itself; null outside any MRC (a city that is a territoire équivalent, a firm).
   */
  mrc?: Ref<Organization> | null;
  createdAt: Date = new Date();
}

export const OrganizationSchema = new EntitySchema<Organization>({
  class: Organization,
  tableName: 'organization',
  properties: {
    id: { type: 'uuid', primary: true },
    kind: { enum: true, items: () => OrganizationKind, index: true },
    name: { type: 'string', length: 200 },
    neq: { type: 'string', length: 10, nullable: true, unique: true },
    clicSequrStatus: { enum: true, items: () => ClicSequrRegistrationStatus },
    geographicCode: { type: 'string', length: 5, nullable: true, unique: true },
    administrativeRegion: { type: 'string', length: 60, nullable: true },
    mrc: { kind: 'm:1', entity: 'Organization', ref: true, nullable: true, index: true, deleteRule: 'set null' },
    createdAt: { type: 'datetime' },
  },
});
