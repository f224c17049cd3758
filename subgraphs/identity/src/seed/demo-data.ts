import { stableId } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClicSequrRegistrationStatus, Organization, OrganizationKind } from '../organization/organization.entity';
import { User } from '../user/user.entity';

interface DemoOrganization {
  key: string;
  kind: OrganizationKind;
  name: string;
  neq?: string;
  geographicCode?: string;
  administrativeRegion?: string;
}

/**
 * Real Québec municipal bodies (names, geographic codes and regions from the Répertoire des
 * municipalités); the firm, its NEQ and every person are fictitious. Other subgraphs refer to
 * these organizations by `stableId('organization', key)`.
 */
export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  { key: 'MUN-45072', kind: OrganizationKind.LocalMunicipality, name: 'Ville de Magog', geographicCode: '45072', administrativeRegion: '05 Estrie' },
  { key: 'MUN-43027', kind: OrganizationKind.LocalMunicipality, name: 'Ville de Sherbrooke', geographicCode: '43027', administrativeRegion: '05 Estrie' },
  { key: 'MUN-23027', kind: OrganizationKind.LocalMunicipality, name: 'Ville de Québec', geographicCode: '23027', administrativeRegion: '03 Capitale-Nationale' },
  { key: 'MUN-25213', kind: OrganizationKind.LocalMunicipality, name: 'Ville de Lévis', geographicCode: '25213', administrativeRegion: '12 Chaudière-Appalaches' },
  { key: 'MRC-450', kind: OrganizationKind.Mrc, name: 'MRC de Memphrémagog', geographicCode: '450', administrativeRegion: '05 Estrie' },
  { key: 'FIRM-GCE', kind: OrganizationKind.ConsultingFirm, name: 'Génie-Conseil Estrie inc.', neq: '1170000001' },
  { key: 'MIN-MAMH', kind: OrganizationKind.Ministry, name: "Ministère des Affaires municipales et de l'Habitation" },
  { key: 'CSE-RQ', kind: OrganizationKind.ClicSequrCustomerService, name: 'Service à la clientèle de clicSÉQUR – Entreprises (Revenu Québec)' },
];

interface DemoUser {
  code: string;
  givenName: string;
  familyName: string;
  organizationKey: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { code: 'MAG0000001', givenName: 'Isabelle', familyName: 'Tremblay', organizationKey: 'MUN-45072' },
  { code: 'MAG0000002', givenName: 'Marc', familyName: 'Gagnon', organizationKey: 'MUN-45072' },
  { code: 'SHE0000001', givenName: 'Sophie', familyName: 'Roy', organizationKey: 'MUN-43027' },
  { code: 'GCE0000001', givenName: 'Julien', familyName: 'Côté', organizationKey: 'FIRM-GCE' },
  { code: 'GCE0000002', givenName: 'Amélie', familyName: 'Bouchard', organizationKey: 'FIRM-GCE' },
  { code: 'MAM0000001', givenName: 'Louise', familyName: 'Gauthier', organizationKey: 'MIN-MAMH' },
];

/** Inserts what is missing of the demo data set; never overwrites what users changed. */
export async function seedIdentityDemoData(em: EntityManager): Promise<void> {
  await em.upsertMany(
    Organization,
    DEMO_ORGANIZATIONS.map(({ key, ...organization }) => ({
      ...organization,
      id: stableId('organization', key),
      clicSequrStatus: ClicSequrRegistrationStatus.Registered,
      createdAt: new Date(),
    })),
    { onConflictFields: ['id'], onConflictAction: 'ignore' },
  );
  await em.upsertMany(
    User,
    DEMO_USERS.map(({ code, givenName, familyName, organizationKey }) => ({
      id: stableId('user', code),
      clicSequrCode: code,
      givenName,
      familyName,
      email: `${givenName}.${familyName}@exemple.qc.ca`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
      organization: stableId('organization', organizationKey),
      createdAt: new Date(),
    })),
    { onConflictFields: ['id'], onConflictAction: 'ignore' },
  );
}
