/**
 * The portal's vocabulary: the roles and the codes that several subgraphs name. Each string is
 * written here once and every subgraph uses the constant, so that renaming a role or a code is a
 * compile error everywhere instead of a silent "deny everything" in another subgraph (style §8).
 * `tests/vocabulary-guard.test.ts` keeps these strings out of the rest of the product code.
 *
 * Another ministry's service codes are not here: it declares them in its own subgraph's
 * `catalog.json` and types them in that subgraph (R23), as road-aid does.
 */

/** Roles the identity subgraph owns and puts in access tokens; the gateway grants them as scopes. */
export const IdentityRole = {
  /** Responsable des services électroniques of their organization (R2). */
  Rse: 'RSE',
  /** An agent of a ministry direction; `direction` says which. */
  MinistryStaff: 'MINISTRY_STAFF',
  /** An agent of the clicSÉQUR – Entreprises customer service (R4). */
  CseAgent: 'CSE_AGENT',
} as const;
export type IdentityRole = (typeof IdentityRole)[keyof typeof IdentityRole];

/**
 * A user's role on one online service, on behalf of one organization (R8–R14): the values of the
 * services subgraph's `ServiceRole` enum, of its access rights and of its decision point's answer.
 */
export const ServiceRole = {
  User: 'USER',
  LocalManager: 'LOCAL_MANAGER',
  DeputyManager: 'DEPUTY_MANAGER',
  MandateManager: 'MANDATE_MANAGER',
  MunicipalRespondent: 'MUNICIPAL_RESPONDENT',
  PerformPreparer: 'PERFORM_PREPARER',
  PerformReviewer: 'PERFORM_REVIEWER',
  PerformExternalAuditor: 'PERFORM_EXTERNAL_AUDITOR',
  PerformSignatory: 'PERFORM_SIGNATORY',
  PerformTransmitter: 'PERFORM_TRANSMITTER',
} as const;
export type ServiceRole = (typeof ServiceRole)[keyof typeof ServiceRole];

/** R13: the roles the répondant municipal gives in PERFORM (the API's `PerformRole` enum). */
export type PerformRole = Extract<ServiceRole, `PERFORM_${string}`>;

/**
 * The codes of the MAMH's catalog, which every environment starts with (services' reference
 * data); `stableId('online-service', code)` is a service's id in every subgraph.
 */
export const ServiceCode = {
  Tecq: 'TECQ',
  Primeau: 'PRIMEAU',
  Fimeau: 'FIMEAU',
  Pracim: 'PRACIM',
  Recim: 'RÉCIM',
  Prabam: 'PRABAM',
  Perform: 'PERFORM',
  /** « Mise à jour des données de la clientèle » (R5). */
  CustomerDataUpdate: 'MAJ-CLIENTELE',
} as const;
export type ServiceCode = (typeof ServiceCode)[keyof typeof ServiceCode];

/** The MAMH's directions that own services or answer for the portal (R7, R22). */
export const DirectionCode = {
  /** Direction générale des infrastructures: the financial-aid programs. */
  Dgi: 'DGI',
  /** Direction de la normalisation, de l'information financière et du financement: PERFORM. */
  Dniff: 'DNIFF',
  /** Direction générale des opérations municipales et régionales: runs the portal. */
  Dgomr: 'DGOMR',
} as const;

/** A regional direction, named after its administrative region's number: DR-05 for Estrie. */
export type RegionalDirectionCode = `DR-${string}`;
export type DirectionCode = (typeof DirectionCode)[keyof typeof DirectionCode] | RegionalDirectionCode;

/** The regional direction of an administrative region, by its two-digit number (`05` → `DR-05`). */
export const regionalDirection = (region: string): RegionalDirectionCode => `DR-${region}`;

/** Whether a string names a regional direction (`DR-05`), for the vocabulary guard. */
export const isRegionalDirection = (code: string): code is RegionalDirectionCode => /^DR-\d{2}$/.test(code);

/**
 * R5, R20: the regional direction of a body the Répertoire places in `administrativeRegion`
 * (`05 Estrie` → `DR-05`): the region's two leading digits; undefined without a region.
 */
export function regionalDirectionOfRegion(administrativeRegion: string | null | undefined): RegionalDirectionCode | undefined {
  const region = /^(\d{2})\b/.exec(administrativeRegion ?? '')?.[1];
  return region ? regionalDirection(region) : undefined;
}

/**
 * Who manages an organization's access to a service, the same in every subgraph: its local
 * manager, or a deputy inside their period (R8, R10). The decision point only answers rights in
 * force, so a deputy outside their period holds nothing there.
 */
export const ACCESS_MANAGER_ROLES: readonly ServiceRole[] = [ServiceRole.LocalManager, ServiceRole.DeputyManager];

/** Who gives an organization's mandates on a service (R15): its access managers and its mandate manager. */
export const MANDATING_ROLES: readonly ServiceRole[] = [...ACCESS_MANAGER_ROLES, ServiceRole.MandateManager];

/**
 * « O's managers » of a service, the same in every subgraph (R21): its access managers, its mandate
 * manager and, for PERFORM, its répondant municipal (R13), who gives PERFORM's roles. They read
 * O's trail of that service and oversee O's records in it.
 */
export const SERVICE_MANAGER_ROLES: readonly ServiceRole[] = [...MANDATING_ROLES, ServiceRole.MunicipalRespondent];

/**
 * R14: the roles that let someone work in a service, the same in every subgraph: « the
 * organization's users with a right on the service ». Managing access alone does not.
 */
export const WORKING_ROLES: readonly ServiceRole[] = [
  ServiceRole.User,
  ServiceRole.PerformPreparer,
  ServiceRole.PerformReviewer,
  ServiceRole.PerformExternalAuditor,
  ServiceRole.PerformSignatory,
  ServiceRole.PerformTransmitter,
];
