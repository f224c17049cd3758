import { quebecToday } from '../calendar';
import type { FinancialReport } from './financial-report.entity';

// The PERFORM financial reports' calendar rules (R18); who may do what on them is in policy.ts.

/** R18: the legal deadline of a fiscal year's report, 30 June of the following year (`YYYY-MM-DD`). */
export const reportDeadline = (fiscalYear: number): string => `${fiscalYear + 1}-06-30`;

/**
 * R18: late when first transmitted after its deadline (Québec calendar days), or never
 * transmitted and the deadline is past today in Québec.
 */
export function isLate(report: Pick<FinancialReport, 'fiscalYear' | 'firstTransmittedAt'>, today: string): boolean {
  const deadline = reportDeadline(report.fiscalYear);
  return report.firstTransmittedAt ? quebecToday(report.firstTransmittedAt) > deadline : today > deadline;
}

/** R18: the fiscal years a report may be opened for: from 2000 to the current year in Québec. */
export const FIRST_FISCAL_YEAR = 2000;
export const currentFiscalYear = (today: string): number => Number(today.slice(0, 4));
