// Amounts are exact from the database to the JSON (API v1, Money): decimal strings of dollars
// with two decimals ("125000.50"), as PostgreSQL's numeric gives them and the kit's Money scalar
// serializes them. Arithmetic is done in integer cents (BigInt), never in binary floating point.

/** Dollars and cents as the API and the database write them: an optional minus, up to two decimals. */
const AMOUNT = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/** The exact number of cents of an amount ("1200.5" → 120050n); throws on anything else. */
export function toCents(amount: string): bigint {
  const [, minus, dollars, cents = ''] = AMOUNT.exec(amount) ?? [];
  if (dollars === undefined) throw new TypeError(`not an amount of dollars and cents: ${amount}`);
  const value = BigInt(dollars) * 100n + BigInt(cents.padEnd(2, '0'));
  return minus ? -value : value;
}

/** Cents back to dollars, always two decimals (120050n → "1200.50", -5n → "-0.05"). */
export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const magnitude = cents < 0n ? -cents : cents;
  return `${sign}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, '0')}`;
}

/** The sum of amounts, exact; null as soon as one of them is null (a figure not yet filled). */
export function sumOrNull(amounts: ReadonlyArray<string | null>): string | null {
  const filled = amounts.filter((amount) => amount !== null);
  if (filled.length < amounts.length) return null;
  return fromCents(filled.reduce<bigint>((total, amount) => total + toCents(amount), 0n));
}

/** `a - b`, exact; null when either is null. */
export const differenceOrNull = (a: string | null, b: string | null): string | null =>
  a === null || b === null ? null : fromCents(toCents(a) - toCents(b));

/** Compares two amounts exactly: negative, zero or positive, like a sort comparator. */
export const compareAmounts = (a: string, b: string): number => {
  const difference = toCents(a) - toCents(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
};

/** An amount in its one written form (two decimals): "1200.5" and "1200.50" are one amount. */
export const normalizedAmount = (amount: string): string => fromCents(toCents(amount));
