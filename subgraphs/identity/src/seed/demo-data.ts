import { DirectionCode, regionalDirection, stableId } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClicSequrRegistrationStatus, Organization, OrganizationKind } from '../organization/organization.entity';
import { hashPassword } from '../auth/passwords';
import { AuthorityRole, PersonInAuthority } from '../repertoire/person-in-authority.entity';
import { User, UserStatus } from '../user/user.entity';

interface DemoOrganization {
  key: string;
  kind: OrganizationKind;
  name: string;
  neq?: string;
  geographicCode?: string;
  administrativeRegion?: string;
  /** The key of the body's MRC (R5): an MRC's is its own. */
  mrcKey?: string;
}

/**
 * Real Québec municipal bodies (names, geographic codes and regions from the Répertoire des
 * municipalités); the firm, its NEQ and every person are fictitious. Other subgraphs refer to
 * these organizations by `stableId('organization', key)`.
 */
export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  { key: 'MUN-45072', kind: OrganizationKind.LocalMunicipality, name: 'Ville de Magog', geographicCode: '45072', administrativeRegion: '05 Estrie', mrcKey: 'MRC-450' },
  // Sherbrooke, Québec and Lévis are cities outside any MRC (territoires équivalents): no mrcKey.
  { key: 'MUN-43027', kind: OrganizationKind.LocalMunicipality, name: 'Ville de Sherbrooke', geographicCode: '43027', administrativeRegion: '05 Estrie' },
  { key: 'MUN-23027', kind: OrganizationKind.LocalMunicipality, name: 'Ville de Québec', geographicCode: '23027', administrativeRegion: '03 Capitale-Nationale' },
  { key: 'MUN-25213', kind: OrganizationKind.LocalMunicipality, name: 'Ville de Lévis', geographicCode: '25213', administrativeRegion: '12 Chaudière-Appalaches' },
  { key: 'MRC-450', kind: OrganizationKind.Mrc, name: 'MRC de Memphrémagog', geographicCode: '450', administrativeRegion: '05 Estrie', mrcKey: 'MRC-450' },
  { key: 'FIRM-GCE', kind: OrganizationKind.ConsultingFirm, name: 'Génie-Conseil Estrie inc.', neq: '1170000001' },
  // The external auditor of Magog's financial reports (R13) works here.
  { key: 'FIRM-VCE', kind: OrganizationKind.AuditingFirm, name: 'Vérification comptable Estrie S.E.N.C.R.L.', neq: '3370000001' },
  { key: 'MIN-MAMH', kind: OrganizationKind.Ministry, name: "Ministère des Affaires municipales et de l'Habitation" },
  { key: 'CSE-RQ', kind: OrganizationKind.ClicSequrCustomerService, name: 'Service à la clientèle de clicSÉQUR – Entreprises (Revenu Québec)' },
];

interface DemoUser {
  code: string;
  givenName: string;
  familyName: string;
  organizationKey: string;
  isRse?: boolean;
  direction?: DirectionCode;
}

/**
 * The password of every demo user, for trying the portal locally (`npm start`). Demo data is
 * never seeded in production (SEED_DEMO_DATA defaults to false there).
 */
export const DEMO_PASSWORD = 'Demo-PGAMR-2026!';

export const DEMO_USERS: readonly DemoUser[] = [
  { code: 'MAG0000001', givenName: 'Isabelle', familyName: 'Tremblay', organizationKey: 'MUN-45072', isRse: true },
  { code: 'MAG0000002', givenName: 'Marc', familyName: 'Gagnon', organizationKey: 'MUN-45072' },
  // Magog's treasurer (PERFORM signatory) and its accountant (PERFORM preparer).
  { code: 'MAG0000003', givenName: 'Luc', familyName: 'Roberge', organizationKey: 'MUN-45072' },
  { code: 'MAG0000004', givenName: 'Caroline', familyName: 'Lessard', organizationKey: 'MUN-45072' },
  { code: 'SHE0000001', givenName: 'Sophie', familyName: 'Roy', organizationKey: 'MUN-43027', isRse: true },
  { code: 'GCE0000001', givenName: 'Julien', familyName: 'Côté', organizationKey: 'FIRM-GCE', isRse: true },
  { code: 'GCE0000002', givenName: 'Amélie', familyName: 'Bouchard', organizationKey: 'FIRM-GCE' },
  { code: 'VCE0000001', givenName: 'Geneviève', familyName: 'Paquette', organizationKey: 'FIRM-VCE', isRse: true },
  { code: 'MAM0000001', givenName: 'Louise', familyName: 'Gauthier', organizationKey: 'MIN-MAMH', direction: DirectionCode.Dgomr },
  { code: 'MAM0000002', givenName: 'Patrick', familyName: 'Lavoie', organizationKey: 'MIN-MAMH', direction: DirectionCode.Dgi },
  { code: 'MAM0000003', givenName: 'Nathalie', familyName: 'Bergeron', organizationKey: 'MIN-MAMH', direction: DirectionCode.Dniff },
  { code: 'MAM0000004', givenName: 'Simon', familyName: 'Pelletier', organizationKey: 'MIN-MAMH', direction: regionalDirection('05') },
  { code: 'CSE0000001', givenName: 'Chantal', familyName: 'Morin', organizationKey: 'CSE-RQ' },
];

/** Persons in authority of the demo municipal bodies (fictitious people). Lévis has no RSÉ: R4 can be tried on it. */
export const DEMO_PERSONS_IN_AUTHORITY: ReadonlyArray<{ organizationKey: string; role: AuthorityRole; givenName: string; familyName: string }> = [
  { organizationKey: 'MUN-45072', role: AuthorityRole.Mayor, givenName: 'Jean', familyName: 'Lavallée' },
  { organizationKey: 'MUN-45072', role: AuthorityRole.DirectorGeneral, givenName: 'Isabelle', familyName: 'Tremblay' },
  { organizationKey: 'MUN-43027', role: AuthorityRole.Mayor, givenName: 'Hélène', familyName: 'Dubé' },
  { organizationKey: 'MUN-23027', role: AuthorityRole.Mayor, givenName: 'Claude', familyName: 'Bélanger' },
  { organizationKey: 'MUN-25213', role: AuthorityRole.Mayor, givenName: 'Gilles', familyName: 'Fortin' },
  { organizationKey: 'MUN-25213', role: AuthorityRole.DirectorGeneral, givenName: 'Martine', familyName: 'Caron' },
  { organizationKey: 'MRC-450', role: AuthorityRole.Prefect, givenName: 'Robert', familyName: 'Gendron' },
];

const asciiEmail = (givenName: string, familyName: string) =>
  `${givenName}.${familyName}@exemple.qc.ca`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Inserts what is missing of the demo data set; never overwrites what users changed. */
export async function seedIdentityDemoData(em: EntityManager): Promise<void> {
  const ignoreExisting = { onConflictFields: ['id' as const], onConflictAction: 'ignore' as const };
  await em.upsertMany(
    Organization,
    DEMO_ORGANIZATIONS.map(({ key, mrcKey, ...organization }) => ({
      ...organization,
      id: stableId('organization', key),
      mrc: mrcKey ? stableId('organization', mrcKey) : null,
      clicSequrStatus: ClicSequrRegistrationStatus.Registered,
      createdAt: new Date(),
    })),
    ignoreExisting,
  );
  const missing = await missingDemoUsers(em);
  if (missing.length > 0) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await em.upsertMany(
      User,
      missing.map(({ code, givenName, familyName, organizationKey, isRse, direction }) => ({
        id: stableId('user', code),
        clicSequrCode: code,
        givenName,
        familyName,
        email: asciiEmail(givenName, familyName),
        organization: stableId('organization', organizationKey),
        isRse: isRse ?? false,
        direction: direction ?? null,
        passwordHash,
        passwordIsTemporary: false,
        status: UserStatus.Active,
        createdAt: new Date(),
        updatedAt: new Date(),
      })),
      ignoreExisting,
    );
  }
  await em.upsertMany(
    PersonInAuthority,
    DEMO_PERSONS_IN_AUTHORITY.map(({ organizationKey, ...person }) => ({
      ...person,
      id: stableId('person-in-authority', `${organizationKey}:${person.role}`),
      organization: stableId('organization', organizationKey),
    })),
    ignoreExisting,
  );
}

async function missingDemoUsers(em: EntityManager): Promise<DemoUser[]> {
  const existing = await em.find(User, { id: { $in: DEMO_USERS.map((user) => stableId('user', user.code)) } }, { fields: ['id'] });
  const present = new Set(existing.map((user) => user.id));
  return DEMO_USERS.filter((user) => !present.has(stableId('user', user.code)));
}
