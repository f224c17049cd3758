// Hex by byte: a million ids are drawn, and formatting them digit by digit costs seconds.
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const word = (value: number) => HEX[value >>> 24]! + HEX[(value >>> 16) & 255]! + HEX[(value >>> 8) & 255]! + HEX[value & 255]!;

/**
 * A small seeded generator (sfc32, seeded through splitmix32). Math.random cannot be seeded, and
 * faker's own generator is far slower than needed for a million draws.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    let state = seed >>> 0;
    const next = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /**
   * An independent stream for one part of the data set: each generator draws from its own, so
   * a change in one (a new column, a new rule) does not reshuffle all the others.
   */
  fork(label: string): Random {
    let hash = 0x811c9dc5 ^ this.seed;
    for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
    return new Random(hash >>> 0);
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4_294_967_296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let target = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      target -= weights[i]!;
      if (target < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }

  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** `count` distinct items (all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    const wanted = Math.max(0, Math.min(count, items.length));
    const copy = [...items];
    // A partial Fisher–Yates: only the `wanted` first places are drawn.
    for (let i = 0; i < wanted; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, wanted);
  }

  /** A log-normal draw: most values near `median`, a long tail of large ones (town sizes, firm sizes). */
  logNormal(median: number, sigma: number): number {
    const u = 1 - this.next();
    const v = this.next();
    const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * gaussian);
  }

  /** A version-4-shaped UUID from this stream, for rows no other subgraph refers to by a natural key. */
  uuid(): string {
    const a = this.uint32();
    const b = ((this.uint32() & 0xffff0fff) | 0x00004000) >>> 0;
    const c = ((this.uint32() & 0x3fffffff) | 0x80000000) >>> 0;
    const d = this.uint32();
    return (
      word(a) + '-' + HEX[b >>> 24]! + HEX[(b >>> 16) & 255]! + '-' + HEX[(b >>> 8) & 255]! + HEX[b & 255]! + '-' +
      HEX[c >>> 24]! + HEX[(c >>> 16) & 255]! + '-' + HEX[(c >>> 8) & 255]! + HEX[c & 255]! + word(d)
    );
  }
}

/**
 * Splits `total` into integer parts proportional to `weights`, each at least `minimum`, summing
 * exactly to `total` (largest remainder), so that counts are the ones asked for.
 */
export function apportion(total: number, weights: readonly number[], minimum = 0): number[] {
  const floor = Math.min(minimum, Math.floor(total / Math.max(1, weights.length)));
  const rest = total - floor * weights.length;
  const sum = weights.reduce((s, w) => s + w, 0) || 1;
  const exact = weights.map((w) => (w / sum) * rest);
  const parts = exact.map((value) => Math.floor(value));
  let missing = rest - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((x, y) => y.remainder - x.remainder || x.index - y.index);
  for (let i = 0; missing > 0; i = (i + 1) % order.length, missing--) parts[order[i]!.index]!++;
  return parts.map((part) => part + floor);
}
