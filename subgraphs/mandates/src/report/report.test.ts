import { auditedTotals, emptyContent, missingFigures, normalizeContent, parseReportParts } from './report-figures';
import { currentFiscalYear, isLate, reportDeadline } from './report.rules';

describe('PERFORM report rules (R18)', () => {
  it('R18: the deadline is 30 June of the following year', () => {
    expect(reportDeadline(2024)).toBe('2025-06-30');
  });

  it('R18: late when first transmitted after the deadline in Québec, or not transmitted once it is past', () => {
    // 1 July 2025 at 02:00 UTC is still 30 June in Québec: on time.
    expect(isLate({ fiscalYear: 2024, firstTransmittedAt: new Date('2025-07-01T02:00:00Z') }, '2025-07-02')).toBe(false);
    expect(isLate({ fiscalYear: 2024, firstTransmittedAt: new Date('2025-07-01T05:00:00Z') }, '2025-07-02')).toBe(true);
    expect(isLate({ fiscalYear: 2024, firstTransmittedAt: null }, '2025-06-30')).toBe(false);
    expect(isLate({ fiscalYear: 2024, firstTransmittedAt: null }, '2025-07-01')).toBe(true);
    // A transmission on time stays on time, whatever today is.
    expect(isLate({ fiscalYear: 2024, firstTransmittedAt: new Date('2025-05-01T12:00:00Z') }, '2030-01-01')).toBe(false);
  });

  it("R18: the current fiscal year is Québec's calendar year", () => {
    expect(currentFiscalYear('2026-01-01')).toBe(2026);
  });

  it('R18: totals are exact to the cent, as decimal strings, and null while a figure is blank', () => {
    const part = { ...emptyContent().auditedFinancialReport, taxRevenue: '0.10', transferRevenue: '0.20', serviceRevenue: '0.00', otherRevenue: '0.00' };
    expect(auditedTotals(part)).toEqual({ totalRevenue: '0.30', totalExpenses: null, annualSurplus: null });
    expect(auditedTotals({ ...part, operatingExpenses: '0.50', financingExpenses: '0.00' })).toEqual({ totalRevenue: '0.30', totalExpenses: '0.50', annualSurplus: '-0.20' });
  });

  it('R18: the totals stay within what Money (a numeric(14,2)) holds: larger parts are refused at input', () => {
    const revenues = { taxRevenue: '999999999999.99', transferRevenue: '0.01' };
    expect(() => parseReportParts({ auditedFinancialReport: revenues })).toThrow(/total des revenus dépasse la limite/);
    expect(parseReportParts({ auditedFinancialReport: { ...revenues, transferRevenue: '0.00' } }).auditedFinancialReport?.taxRevenue).toBe('999999999999.99');
  });

  it('R18: a saved part replaces the stored one, blanks included; a stored content is read with every figure', () => {
    expect(parseReportParts({ forecastData: { budgetedRevenue: '10.5' }, otherFinancialInformation: null })).toEqual({
      forecastData: { budgetedRevenue: '10.50', budgetedExpenses: null, plannedCapitalExpenditures: null },
    });
    const content = normalizeContent({ otherFinancialInformation: { population: 12, uniformAssessment: '1000' } });
    expect(content.otherFinancialInformation).toEqual({ population: 12, uniformAssessment: '1000.00', employeeCount: null });
    expect(missingFigures(content)).toHaveLength(12);
  });

  it('R18: an amount stored as a JSON number is a bug upstream, never rounded into an answer', () => {
    expect(() => normalizeContent({ forecastData: { budgetedRevenue: 10.1 } })).toThrow(/not an exact amount/);
  });
});
