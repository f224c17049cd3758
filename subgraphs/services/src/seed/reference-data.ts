import type { EntityManager } from '@mikro-orm/postgresql';
import { DirectionCode, ServiceCode, type CatalogDirection } from '@pgamr/kit';
import { ensureCatalogEntries } from '../online-service/catalog';
import { SectorCode } from '../online-service/online-service.entity';

// Reference data: what every environment starts with, production included (demo-data.ts is not).

const MAMH = "Ministère des Affaires municipales et de l'Habitation";

/**
 * The MAMH's owning directions and their support contacts, as published by the ministry (R7, R22).
 * Other ministries declare theirs in their own subgraph's catalog.json (R23).
 */
const DIRECTIONS = {
  [DirectionCode.Dgi]: {
    ministry: MAMH,
    name: 'Direction générale des infrastructures',
    support: { phone: '418 691-2005', email: 'infrastructures@mamh.gouv.qc.ca' },
  },
  [DirectionCode.Dniff]: {
    ministry: MAMH,
    name: "Direction de la normalisation, de l'information financière et du financement",
    support: { phone: '418 691-2010', email: 'information.financiere@mamh.gouv.qc.ca' },
  },
  [DirectionCode.Dgomr]: {
    ministry: MAMH,
    name: 'Direction générale des opérations municipales et régionales',
    support: { phone: '418 691-2066', email: 'portail@mamh.gouv.qc.ca' },
  },
} as const satisfies Record<string, CatalogDirection>;

interface CatalogEntry {
  code: ServiceCode;
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
    code: ServiceCode.Tecq,
    name: "Programme de la taxe sur l'essence et de la contribution du Québec",
    description: "Demandes et programmation de travaux du programme TECQ.",
    sector: SectorCode.Infrastructures,
    direction: DirectionCode.Dgi,
  },
  {
    code: ServiceCode.Primeau,
    name: "Programme d'infrastructures municipales pour l'eau",
    description: "Demandes d'aide financière pour les infrastructures d'eau potable et d'eaux usées.",
    sector: SectorCode.Infrastructures,
    direction: DirectionCode.Dgi,
  },
  {
    code: ServiceCode.Fimeau,
    name: "Fonds pour l'infrastructure municipale d'eau",
    description: "Demandes d'aide financière du FIMEAU.",
    sector: SectorCode.Infrastructures,
    direction: DirectionCode.Dgi,
  },
  {
    code: ServiceCode.Pracim,
    name: "Programme d'amélioration et de construction d'infrastructures municipales",
    description: "Demandes d'aide financière pour les bâtiments et infrastructures municipales.",
    sector: SectorCode.Infrastructures,
    direction: DirectionCode.Dgi,
  },
  {
    code: ServiceCode.Recim,
    name: 'Réfection et construction des infrastructures municipales',
    description: "Demandes d'aide financière du programme RÉCIM.",
    sector: SectorCode.Infrastructures,
    direction: DirectionCode.Dgi,
  },
  {
    code: ServiceCode.Prabam,
    name: "Programme d'aide financière pour les bâtiments municipaux",
    description: "Demandes d'aide financière pour la rénovation des bâtiments municipaux.",
    sector: SectorCode.Infrastructures,
    direction: DirectionCode.Dgi,
  },
  {
    code: ServiceCode.Perform,
    name: 'Prestation électronique de reddition financière des organismes municipaux',
    description:
      'Formulaires du rapport financier, des autres documents financiers et des données prévisionnelles non auditées, et leur transmission au ministère.',
    sector: SectorCode.MunicipalFinances,
    direction: DirectionCode.Dniff,
  },
  {
    code: ServiceCode.CustomerDataUpdate,
    name: 'Mise à jour des données de la clientèle',
    description: 'Corrections au Répertoire des municipalités, dont les personnes en autorité.',
    sector: SectorCode.Portal,
    direction: DirectionCode.Dgomr,
  },
];

/** Reference data of every environment: inserts the catalog entries that are missing, never overwrites an edited one. */
export async function seedCatalog(em: EntityManager): Promise<void> {
  await ensureCatalogEntries(em, DIRECTIONS, CATALOG);
}
