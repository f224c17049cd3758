/**
 * The sectors « Mes services en ligne » groups services under (R9): a portal-wide vocabulary, so
 * that every ministry's services land in the same few groups. A ministry picks one in its catalog
 * declaration; the services subgraph checks it against this list (not a database constraint), so
 * a sector added here needs no services migration, only its value in the public `SectorCode` enum.
 */
export enum SectorCode {
  Infrastructures = 'INFRASTRUCTURES',
  MunicipalFinances = 'MUNICIPAL_FINANCES',
  Portal = 'PORTAL',
}

/** Sector names as the portal shows them under « Mes services en ligne » (R9). */
export const SECTOR_NAMES: Record<SectorCode, string> = {
  [SectorCode.Infrastructures]: 'Infrastructures',
  [SectorCode.MunicipalFinances]: 'Finances municipales',
  [SectorCode.Portal]: 'Services du portail',
};
