import { badUserInput } from '@pgamr/kit';
import { z } from 'zod';

/**
 * R18: the typed figures of a PERFORM financial report's three parts, their validation (French
 * messages) and the totals computed from them. A small realistic subset of the ministry's forms,
 * named after the lines of the *Sommaire de l'information financière* (R19).
 *
 * Amounts are dollars to the cent, stored as JSON numbers: every value with at most two decimals
 * below 10^12 survives a round trip through a double exactly, and totals are summed in integer
 * cents so that 0.10 + 0.20 is 0.30.
 */

/** The largest amount a figure may hold, that of a numeric(14,2) like the dossiers' amounts. */
const MAX_AMOUNT = 999_999_999_999.99;
const MAX_COUNT = 10_000_000;

const amount = (label: string, options: { signed?: boolean } = {}) =>
  z
    .number({ error: `« ${label} » : un montant en dollars est attendu.` })
    .min(options.signed ? -MAX_AMOUNT : 0, options.signed ? `« ${label} » : le montant dépasse la limite permise.` : `« ${label} » : le montant ne peut pas être négatif.`)
    .max(MAX_AMOUNT, `« ${label} » : le montant dépasse la limite permise (999 999 999 999,99 $).`)
    .refine((value) => Math.round(value * 100) / 100 === value, `« ${label} » : le montant doit être au cent près (au plus deux décimales).`)
    .nullish();

const count = (label: string) =>
  z
    .number({ error: `« ${label} » : un nombre entier est attendu.` })
    .int(`« ${label} » : un nombre entier est attendu.`)
    .min(0, `« ${label} » : le nombre ne peut pas être négatif.`)
    .max(MAX_COUNT, `« ${label} » : le nombre dépasse la limite permise.`)
    .nullish();

const PART_SCHEMAS = {
  /** The audited financial report: the pages the external auditor marks audited (R13). */
  auditedFinancialReport: z
    .object({
      taxRevenue: amount('Revenus de taxes'),
      transferRevenue: amount('Revenus de transferts'),
      serviceRevenue: amount('Revenus de services rendus'),
      otherRevenue: amount('Autres revenus'),
      operatingExpenses: amount('Charges de fonctionnement'),
      financingExpenses: amount('Frais de financement'),
      longTermDebt: amount('Endettement total net à long terme'),
      // An accumulated deficit is a negative accumulated surplus.
      accumulatedSurplus: amount('Excédent (déficit) accumulé', { signed: true }),
    })
    .strict(),
  otherFinancialInformation: z
    .object({
      population: count('Population'),
      uniformAssessment: amount('Richesse foncière uniformisée'),
      employeeCount: count("Nombre d'employés"),
    })
    .strict(),
  /** The forecast data: the budget of the year after the report's. */
  forecastData: z
    .object({
      budgetedRevenue: amount('Revenus prévus au budget'),
      budgetedExpenses: amount('Dépenses prévues au budget'),
      plannedCapitalExpenditures: amount('Immobilisations prévues'),
    })
    .strict()
    // Québec's municipal laws forbid adopting a budget whose expenses exceed its revenue.
    .refine((part) => part.budgetedRevenue == null || part.budgetedExpenses == null || part.budgetedExpenses <= part.budgetedRevenue, {
      error: 'Données prévisionnelles : les dépenses prévues ne peuvent dépasser les revenus prévus (un budget municipal est équilibré).',
      path: ['budgetedExpenses'],
    }),
};

export type ReportPart = keyof typeof PART_SCHEMAS;

/** The three parts, in the order of the forms. */
export const REPORT_PARTS = Object.keys(PART_SCHEMAS) as ReportPart[];

/** A part as stored: every figure present, null while not yet filled. */
export type PartFigures<P extends ReportPart> = { [K in keyof z.output<(typeof PART_SCHEMAS)[P]>]-?: number | null };

export interface ReportContent {
  auditedFinancialReport: PartFigures<'auditedFinancialReport'>;
  otherFinancialInformation: PartFigures<'otherFinancialInformation'>;
  forecastData: PartFigures<'forecastData'>;
}

const fieldsOf = (part: ReportPart): string[] => Object.keys(PART_SCHEMAS[part].shape);

/** Every figure of a part, null where `raw` has none: the stored shape, whatever the version that wrote it. */
function normalizePart<P extends ReportPart>(part: P, raw: unknown): PartFigures<P> {
  const source = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return Object.fromEntries(fieldsOf(part).map((field) => [field, typeof source[field] === 'number' ? source[field] : null])) as PartFigures<P>;
}

/** A report's content as stored in jsonb, read back with every figure of every part. */
export function normalizeContent(raw: unknown): ReportContent {
  const source = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    auditedFinancialReport: normalizePart('auditedFinancialReport', source.auditedFinancialReport),
    otherFinancialInformation: normalizePart('otherFinancialInformation', source.otherFinancialInformation),
    forecastData: normalizePart('forecastData', source.forecastData),
  };
}

/** A new report: every figure blank. */
export const emptyContent = (): ReportContent => normalizeContent({});

/**
 * Validates the parts a preparer saves: each given part replaces the stored one entirely (an
 * absent or null figure is blank). BAD_USER_INPUT with the French message of the first problem
 * and the figure concerned (`field`), so that the form can point at it.
 */
export function parseReportParts(input: Partial<Record<ReportPart, Record<string, unknown> | null>>): Partial<ReportContent> {
  const parsed: Partial<Record<ReportPart, unknown>> = {};
  for (const part of REPORT_PARTS) {
    const given = input[part];
    if (given == null) continue;
    const result = PART_SCHEMAS[part].safeParse(given);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw badUserInput(issue.message, { field: ['input', part, ...issue.path.map(String)].join('.') });
    }
    parsed[part] = normalizePart(part, result.data);
  }
  return parsed as Partial<ReportContent>;
}

/** R18: the figures still blank (`part.figure`), in the forms' order; a report is transmitted only without any. */
export function missingFigures(content: ReportContent, parts: readonly ReportPart[] = REPORT_PARTS): string[] {
  return parts.flatMap((part) =>
    Object.entries(content[part])
      .filter(([, value]) => value === null)
      .map(([field]) => `${part}.${field}`),
  );
}

/** Whether two versions of a part hold the same figures (a form saved unchanged changes nothing). */
export const samePart = <P extends ReportPart>(part: P, a: ReportContent[P], b: ReportContent[P]): boolean =>
  fieldsOf(part).every((field) => (a as Record<string, number | null>)[field] === (b as Record<string, number | null>)[field]);

const cents = (value: number): number => Math.round(value * 100);
const sumOrNull = (values: ReadonlyArray<number | null>): number | null =>
  values.some((value) => value === null) ? null : values.reduce<number>((total, value) => total + cents(value!), 0) / 100;

/** The audited part's totals: null while one of their figures is blank. */
export function auditedTotals(part: ReportContent['auditedFinancialReport']): {
  totalRevenue: number | null;
  totalExpenses: number | null;
  annualSurplus: number | null;
} {
  const totalRevenue = sumOrNull([part.taxRevenue, part.transferRevenue, part.serviceRevenue, part.otherRevenue]);
  const totalExpenses = sumOrNull([part.operatingExpenses, part.financingExpenses]);
  const annualSurplus = totalRevenue === null || totalExpenses === null ? null : (cents(totalRevenue) - cents(totalExpenses)) / 100;
  return { totalRevenue, totalExpenses, annualSurplus };
}
