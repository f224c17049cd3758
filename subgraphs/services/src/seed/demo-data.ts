import { stableId, type CatalogDemoRight, type CatalogDirection } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AccessRight, ServiceRole } from '../access/access.entity';
import { ensureCatalogEntries } from '../online-service/catalog';
import { SectorCode } from '../online-service/online-service.entity';

const MAMH = "Ministère des Affaires municipales et de l'Habitation";

/**
 * The MAMH's owning directions and their support contacts, as published by the ministry (R7, R22).
 * Other ministries declare theirs in their own subgraph's catalog.json (R23).
 */
const DIRECTIONS = {
  DGI: {
    ministry: MAMH,
    name: 'Direction générale des infrastructures',
    support: { phone: '418 691-2005', email: 'infrastructures@mamh.gouv.qc.ca' },
  },
  DNIFF: {
    ministry: MAMH,
    name: "Direction de la normalisation, de l'information financière et du financement",
    support: { phone: '418 691-2010', email: 'information.financiere@mamh.gouv.qc.ca' },
  },
  DGOMR: {
    ministry: MAMH,
    name: 'Direction générale des opérations municipales et régionales',
    support: { phone: '418 691-2066', email: 'portail@mamh.gouv.qc.ca' },
  },
} as const satisfies Record<string, CatalogDirection>;

interface CatalogEntry {
  code: string;
  name: string;
  description: string;
  sector: SectorCode;
  direction: keyof typeof DIRECTIONS;
}

/**
 * The MAMH's catalog, which every environment starts with; other subgraphs refer to it by
 * `stableId('online-service', code)`. Another ministry's services (PAVL…) are registered by its
 * own subgraph at start-up (catalog-registration.ts, R23).
 */
export const CATALOG: readonly CatalogEntry[] = [
  {
    code: 'TECQ',
    name: "Programme de la taxe sur l'essence et de la contribution du Québec",
    description: "Demandes et programmation de travaux du programme TECQ.",
    sector: SectorCode.Infrastructures,
    direction: 'DGI',
  },
  {
    code: 'PRIMEAU',
    name: "Programme d'infrastructures municipales pour l'eau",
    description: "Demandes d'aide financière pour les infrastructures d'eau potable et d'eaux usées.",
    sector: SectorCode.Infrastructures,
    direction: 'DGI',
  },
  {
    code: 'FIMEAU',
    name: "Fonds pour l'infrastructure municipale d'eau",
    description: "Demandes d'aide financière du FIMEAU.",
    sector: SectorCode.Infrastructures,
    direction: 'DGI',
  },
  {
    code: 'PRACIM',
    name: "Programme d'amélioration et de construction d'infrastructures municipales",
    description: "Demandes d'aide financière pour les bâtiments et infrastructures municipales.",
    sector: SectorCode.Infrastructures,
    direction: 'DGI',
  },
  {
    code: 'RÉCIM',
    name: 'Réfection et construction des infrastructures municipales',
    description: "Demandes d'aide financière du programme RÉCIM.",
    sector: SectorCode.Infrastructures,
    direction: 'DGI',
  },
  {
    code: 'PRABAM',
    name: "Programme d'aide financière pour les bâtiments municipaux",
    description: "Demandes d'aide financière pour la rénovation des bâtiments municipaux.",
    sector: SectorCode.Infrastructures,
    direction: 'DGI',
  },
  {
    code: 'PERFORM',
    name: 'Prestation électronique de reddition financière des organismes municipaux',
    description:
      'Formulaires du rapport financier, des autres documents financiers et des données prévisionnelles non auditées, et leur transmission au ministère.',
    sector: SectorCode.MunicipalFinances,
    direction: 'DNIFF',
  },
  {
    code: 'MAJ-CLIENTELE',
    name: 'Mise à jour des données de la clientèle',
    description: 'Corrections au Répertoire des municipalités, dont les personnes en autorité.',
    sector: SectorCode.Portal,
    direction: 'DGOMR',
  },
];

/** Reference data of every environment: inserts the catalog entries that are missing, never overwrites an edited one. */
export async function seedCatalog(em: EntityManager): Promise<void> {
  await ensureCatalogEntries(em, DIRECTIONS, CATALOG);
}

/**
 * Demo rights: Magog has a local manager for TECQ (Isabelle, RSÉ) and users of its programs;
 * Sherbrooke has none for TECQ, so the first request there goes to the DGI (R8); Isabelle is
 * Magog's répondant municipal for PERFORM, and its PERFORM roles are all given.
 */
/** A right of the demo data set, by the demo users', organizations' and services' codes. */
export type DemoRight = CatalogDemoRight & { role: ServiceRole };

export const DEMO_RIGHTS: readonly DemoRight[] = [
  { user: 'MAG0000001', organization: 'MUN-45072', service: 'TECQ', role: ServiceRole.LocalManager },
  { user: 'MAG0000001', organization: 'MUN-45072', service: 'TECQ', role: ServiceRole.User },
  { user: 'MAG0000001', organization: 'MUN-45072', service: 'PRIMEAU', role: ServiceRole.User },
  { user: 'MAG0000001', organization: 'MUN-45072', service: 'PRABAM', role: ServiceRole.User },
  { user: 'MAG0000001', organization: 'MUN-45072', service: 'PERFORM', role: ServiceRole.MunicipalRespondent },
  { user: 'MAG0000002', organization: 'MUN-45072', service: 'TECQ', role: ServiceRole.User },
  { user: 'SHE0000001', organization: 'MUN-43027', service: 'RÉCIM', role: ServiceRole.User },
  { user: 'SHE0000001', organization: 'MUN-43027', service: 'RÉCIM', role: ServiceRole.LocalManager },
  // R5: Magog's director general keeps its entry of the Répertoire up to date.
  { user: 'MAG0000001', organization: 'MUN-45072', service: 'MAJ-CLIENTELE', role: ServiceRole.User },
  // R13: Magog's PERFORM roles, given by its répondant: Caroline prepares, Luc (treasurer) signs,
  // Isabelle transmits, and Geneviève, of the firme de vérificateur, is the external auditor.
  { user: 'MAG0000004', organization: 'MUN-45072', service: 'PERFORM', role: ServiceRole.PerformPreparer },
  { user: 'MAG0000003', organization: 'MUN-45072', service: 'PERFORM', role: ServiceRole.PerformSignatory },
  { user: 'MAG0000001', organization: 'MUN-45072', service: 'PERFORM', role: ServiceRole.PerformTransmitter },
  { user: 'VCE0000001', organization: 'MUN-45072', service: 'PERFORM', role: ServiceRole.PerformExternalAuditor },
];

const DEMO_GRANTOR = stableId('user', 'MAM0000002');

export async function seedServicesDemoData(em: EntityManager): Promise<void> {
  await ensureDemoRights(em, DEMO_RIGHTS);
}

/**
 * Inserts demonstration rights that are missing, with stable ids from their codes, so that the
 * same right seeded or registered twice (every start) stays one row. Demo data only (R23: never
 * reached in production, see catalog-registration.ts).
 */
export async function ensureDemoRights(em: EntityManager, rights: readonly DemoRight[]): Promise<void> {
  if (rights.length === 0) return;
  await em.upsertMany(
    AccessRight,
    rights.map((right) => ({
      id: stableId('access-right', `${right.user}:${right.organization}:${right.service}:${right.role}`),
      userId: stableId('user', right.user),
      organizationId: stableId('organization', right.organization),
      service: stableId('online-service', right.service),
      role: right.role,
      validFrom: new Date('2024-01-01T00:00:00Z'),
      grantedBy: DEMO_GRANTOR,
      grantedAt: new Date('2024-01-01T00:00:00Z'),
    })),
    { onConflictFields: ['id'], onConflictAction: 'ignore' },
  );
}
