/** Median and range of one figure over a cell's runs; NaN-free inputs only. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Median, min and max of the defined, finite values; undefined when there are none. */
export function spread(values: ReadonlyArray<number | undefined>): Spread | undefined {
  const finite = values.filter((value): value is number => value !== undefined && Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return undefined;
  const middle = Math.floor(finite.length / 2);
  const median = finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
  return { median, min: finite[0]!, max: finite[finite.length - 1]!, n: finite.length };
}

/** `a / b` when both exist and b is not zero. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}
