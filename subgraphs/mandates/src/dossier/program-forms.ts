import { badUserInput, ServiceCode, stableId } from '@pgamr/kit';
import { z } from 'zod';

/**
 * R17: each DGI program's dossier has a small typed form. Programs of the same nature share a
 * form (the water programs, the building programs); the catalog's service ids are stable, so the
 * program of a dossier is known without asking the services subgraph.
 */
export enum FormKind {
  Tecq = 'TECQ',
  WaterInfrastructure = 'WATER_INFRASTRUCTURE',
  CommunityInfrastructure = 'COMMUNITY_INFRASTRUCTURE',
}

const PROGRAM_FORMS: Partial<Record<ServiceCode, FormKind>> = {
  [ServiceCode.Tecq]: FormKind.Tecq,
  [ServiceCode.Primeau]: FormKind.WaterInfrastructure,
  [ServiceCode.Fimeau]: FormKind.WaterInfrastructure,
  [ServiceCode.Pracim]: FormKind.CommunityInfrastructure,
  [ServiceCode.Recim]: FormKind.CommunityInfrastructure,
  [ServiceCode.Prabam]: FormKind.CommunityInfrastructure,
};

const FORM_BY_SERVICE_ID = new Map(Object.entries(PROGRAM_FORMS).map(([code, kind]) => [stableId('online-service', code), kind]));

/** The form of a program's dossiers, or undefined for a service that takes no dossiers (PERFORM…). */
export const formKindOf = (serviceId: string): FormKind | undefined => FORM_BY_SERVICE_ID.get(serviceId);

const isoDate = z.iso.date({ error: 'Une date au format AAAA-MM-JJ est attendue.' });
const positiveInteger = (label: string) =>
  z.number({ error: `${label} : un nombre est attendu.` }).int(`${label} : un nombre entier est attendu.`).positive(`${label} doit être plus grand que zéro.`).max(10_000_000, `${label} est trop grand.`);

// Calendar days (the Date scalar has checked them already): the first and last day of the work.
const workPeriod = {
  plannedWorkStartsOn: isoDate.nullish(),
  plannedWorkEndsOn: isoDate.nullish(),
};

const workPeriodInOrder = (form: { plannedWorkStartsOn?: string | null; plannedWorkEndsOn?: string | null }) =>
  !form.plannedWorkStartsOn || !form.plannedWorkEndsOn || form.plannedWorkStartsOn <= form.plannedWorkEndsOn;
const workPeriodMessage = { error: 'La fin prévue des travaux doit suivre leur début.', path: ['plannedWorkEndsOn'] };

const FORM_SCHEMAS = {
  [FormKind.Tecq]: z
    .object({
      population: positiveInteger('La population').nullish(),
      priority: z.enum(['DRINKING_WATER', 'WASTEWATER', 'LOCAL_ROADS', 'OTHER_INFRASTRUCTURE'], { error: 'Priorité de travaux inconnue.' }).nullish(),
      ...workPeriod,
    })
    .strict()
    .refine(workPeriodInOrder, workPeriodMessage),
  [FormKind.WaterInfrastructure]: z
    .object({
      infrastructureType: z.enum(['DRINKING_WATER', 'WASTEWATER', 'STORMWATER'], { error: "Type d'infrastructure inconnu." }).nullish(),
      populationServed: positiveInteger('La population desservie').nullish(),
      ...workPeriod,
    })
    .strict()
    .refine(workPeriodInOrder, workPeriodMessage),
  [FormKind.CommunityInfrastructure]: z
    .object({
      buildingName: z.string().trim().min(2, 'Le nom du bâtiment est trop court.').max(200, 'Le nom du bâtiment est trop long.').nullish(),
      buildingUse: z.enum(['COMMUNITY', 'ADMINISTRATIVE', 'RECREATIONAL', 'CULTURAL'], { error: 'Usage du bâtiment inconnu.' }).nullish(),
      floorArea: z.number({ error: 'La superficie : un nombre est attendu.' }).positive('La superficie doit être plus grande que zéro.').max(1_000_000, 'La superficie est trop grande.').nullish(),
      ...workPeriod,
    })
    .strict()
    .refine(workPeriodInOrder, workPeriodMessage),
} as const;

/** The fields a dossier's form must hold before it is submitted. */
const REQUIRED_FIELDS: Record<FormKind, readonly string[]> = {
  [FormKind.Tecq]: ['population', 'priority', 'plannedWorkStartsOn'],
  [FormKind.WaterInfrastructure]: ['infrastructureType', 'populationServed', 'plannedWorkStartsOn', 'plannedWorkEndsOn'],
  [FormKind.CommunityInfrastructure]: ['buildingName', 'buildingUse', 'floorArea', 'plannedWorkStartsOn', 'plannedWorkEndsOn'],
};

/** The GraphQL input's key for each form (exactly one is given, the dossier's program's). */
export const FORM_INPUT_KEYS: Record<FormKind, string> = {
  [FormKind.Tecq]: 'tecq',
  [FormKind.WaterInfrastructure]: 'waterInfrastructure',
  [FormKind.CommunityInfrastructure]: 'communityInfrastructure',
};

/**
 * Validates a form input for a program's dossier: exactly the program's form, each field typed
 * and in range. Returns the form to store (absent fields dropped); BAD_USER_INPUT otherwise,
 * with the French message of the first problem and the field concerned.
 */
export function parseDossierForm(kind: FormKind, input: Record<string, unknown>): Record<string, unknown> {
  const expectedKey = FORM_INPUT_KEYS[kind];
  const givenKeys = Object.keys(input).filter((key) => input[key] !== undefined && input[key] !== null);
  if (givenKeys.length !== 1 || givenKeys[0] !== expectedKey) {
    throw badUserInput(`Le formulaire de ce programme est « ${expectedKey} » ; fournissez celui-là seulement.`, { field: 'input.form' });
  }
  const result = FORM_SCHEMAS[kind].safeParse(input[expectedKey]);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw badUserInput(issue.message, { field: ['input', 'form', expectedKey, ...issue.path.map(String)].join('.') });
  }
  return Object.fromEntries(Object.entries(result.data).filter(([, value]) => value !== undefined && value !== null));
}

/** R17: a dossier is submitted with its form complete; the missing fields, if any. */
export const missingFormFields = (kind: FormKind, form: Record<string, unknown>): string[] =>
  REQUIRED_FIELDS[kind].filter((field) => form[field] === undefined || form[field] === null);
