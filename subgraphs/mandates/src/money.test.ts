import { compareAmounts, differenceOrNull, fromCents, normalizedAmount, sumOrNull, toCents } from './money';

describe('money: exact dollars and cents (API v1, Money)', () => {
  it('reads and writes amounts in integer cents, always two decimals out', () => {
    expect(toCents('1200.5')).toBe(120050n);
    expect(toCents('-0.05')).toBe(-5n);
    expect(fromCents(120050n)).toBe('1200.50');
    expect(fromCents(-5n)).toBe('-0.05');
    expect(normalizedAmount('7')).toBe('7.00');
    expect(() => toCents('1.005')).toThrow();
    expect(() => toCents('1e3')).toThrow();
  });

  it('adds, subtracts and compares exactly, null when a term is missing', () => {
    expect(sumOrNull(['0.10', '0.20'])).toBe('0.30');
    expect(sumOrNull(['0.10', null])).toBeNull();
    expect(differenceOrNull('0.30', '0.50')).toBe('-0.20');
    expect(differenceOrNull(null, '1.00')).toBeNull();
    expect(compareAmounts('100.01', '100.1')).toBe(-1);
    expect(compareAmounts('-0.00', '0')).toBe(0);
  });
});
