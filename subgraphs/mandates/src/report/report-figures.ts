import { badUserInput } from '@pgamr/kit';
import { z } from 'zod';
import { compareAmounts, differenceOrNull, normalizedAmount, sumOrNull, toCents } from '../money';

/**
 * R18: the typed figures of a PERFORM financial report's three parts, their validation (French
 * messages) and the totals computed from them. A small realistic subset of the ministry's forms,
 * named after the lines of the *Sommaire de l'information financière* (R19).
 *
 * Amounts are dollars to the cent, exact end to end (API v1, Money): decimal strings in the
 * stored JSON ("1200000.50"), summed in integer cents (money.ts). Counts (population, employees)
 * are integers.
 */

/** An amount as the Money scalar hands it over: a decimal string, at most 12 digits and 2 decimals. */
const AMOUNT_TEXT = /^-?(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
const MAX_COUNT = 10_000_000;
const isAmount = (value: unknown): value is string => typeof value === 'string' && AMOUNT_TEXT.test(value);
const MAX_TOTAL = toCents('999999999999.99');
/** Whether the sum of the amounts given (well-formed ones; blanks count for nothing) is one Money can hold. */
const withinMoney = (values: readonly unknown[]): boolean => values.filter(isAmount).reduce((total, value) => total + toCents(value), 0n) <= MAX_TOTAL;

const amount = (label: string, options: { signed?: boolean } = {}) =>
  z
    .string({ error: `« ${label} » : un montant en dollars est attendu.` })
    .regex(AMOUNT_TEXT, `« ${label} » : un montant en dollars, au cent près, est attendu (au plus 999 999 999 999,99 $).`)
    // Zod runs every check even after one fails: the sign is read of a well-formed amount only.
    .refine((value) => options.signed || !isAmount(value) || compareAmounts(value, '0') >= 0, `« ${label} » : le montant ne peut pas être négatif.`)
    .transform(normalizedAmount)
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
    .strict()
    // The totals are served as Money too, which holds what a numeric(14,2) holds.
    .refine((part) => withinMoney([part.taxRevenue, part.transferRevenue, part.serviceRevenue, part.otherRevenue]), {
      error: 'Rapport financier audité : le total des revenus dépasse la limite permise (999 999 999 999,99 $).',
    })
    .refine((part) => withinMoney([part.operatingExpenses, part.financingExpenses]), {
      error: 'Rapport financier audité : le total des charges dépasse la limite permise (999 999 999 999,99 $).',
    }),
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
    .refine((part) => !isAmount(part.budgetedRevenue) || !isAmount(part.budgetedExpenses) || compareAmounts(part.budgetedExpenses, part.budgetedRevenue) <= 0, {
      error: 'Données prévisionnelles : les dépenses prévues ne peuvent dépasser les revenus prévus (un budget municipal est équilibré).',
      path: ['budgetedExpenses'],
    }),
};

export type ReportPart = keyof typeof PART_SCHEMAS;

const isReportPart = (name: string): name is ReportPart => Object.hasOwn(PART_SCHEMAS, name);

/** The three parts, in the order of the forms. */
export const REPORT_PARTS: ReportPart[] = Object.keys(PART_SCHEMAS).filter(isReportPart);

/** A part as stored: every figure present (amounts as decimal strings, counts as integers), null while not yet filled. */
export type PartFigures<P extends ReportPart> = { [K in keyof z.output<(typeof PART_SCHEMAS)[P]>]-?: NonNullable<z.output<(typeof PART_SCHEMAS)[P]>[K]> | null };

/** The figures that are counts (integers); every other figure is an amount of money. */
const COUNT_FIGURES: ReadonlySet<string> = new Set(['population', 'employeeCount']);

export interface ReportContent {
  auditedFinancialReport: PartFigures<'auditedFinancialReport'>;
  otherFinancialInformation: PartFigures<'otherFinancialInformation'>;
  forecastData: PartFigures<'forecastData'>;
}

const fieldsOf = (part: ReportPart): string[] => Object.keys(PART_SCHEMAS[part].shape);

/** The entries of stored JSON (or of a parsed part), by name; nothing for anything but an object. */
const entriesOf = (raw: unknown): ReadonlyMap<string, unknown> => new Map(typeof raw === 'object' && raw !== null ? Object.entries(raw) : []);

/** Every figure of a part, null where `raw` has none: the stored shape, whatever the version that wrote it. */
function normalizePart<P extends ReportPart>(part: P, raw: unknown): PartFigures<P> {
  const source = entriesOf(raw);
  return Object.fromEntries(fieldsOf(part).map((field) => [field, storedFigure(field, source.get(field))])) as PartFigures<P>;
}

/**
 * One stored figure: an amount is a decimal string (the migration of API v1 turned the JSON
 * numbers of before into strings, in SQL, exactly); anything else in an amount's place is a bug
 * upstream, not something to round.
 */
function storedFigure(field: string, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (COUNT_FIGURES.has(field)) {
    if (typeof value !== 'number') throw new TypeError(`stored ${field} is not a number`);
    return value;
  }
  if (typeof value !== 'string' || !AMOUNT_TEXT.test(value)) throw new TypeError(`stored ${field} is not an exact amount`);
  return normalizedAmount(value);
}

/** A report's content as stored in jsonb, read back with every figure of every part. */
export function normalizeContent(raw: unknown): ReportContent {
  const source = entriesOf(raw);
  return {
    auditedFinancialReport: normalizePart('auditedFinancialReport', source.get('auditedFinancialReport')),
    otherFinancialInformation: normalizePart('otherFinancialInformation', source.get('otherFinancialInformation')),
    forecastData: normalizePart('forecastData', source.get('forecastData')),
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
      const [issue] = result.error.issues;
      if (!issue) throw new Error(`zod refused the ${part} part without an issue`);
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
export const samePart = <P extends ReportPart>(part: P, a: ReportContent[P], b: ReportContent[P]): boolean => {
  const [figuresOfA, figuresOfB] = [entriesOf(a), entriesOf(b)];
  return fieldsOf(part).every((field) => figuresOfA.get(field) === figuresOfB.get(field));
};

/** The audited part's totals: null while one of their figures is blank. */
export function auditedTotals(part: ReportContent['auditedFinancialReport']): {
  totalRevenue: string | null;
  totalExpenses: string | null;
  annualSurplus: string | null;
} {
  const totalRevenue = sumOrNull([part.taxRevenue, part.transferRevenue, part.serviceRevenue, part.otherRevenue]);
  const totalExpenses = sumOrNull([part.operatingExpenses, part.financingExpenses]);
  return { totalRevenue, totalExpenses, annualSurplus: differenceOrNull(totalRevenue, totalExpenses) };
}
