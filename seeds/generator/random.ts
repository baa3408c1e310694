/**
 * Small deterministic randomness for the seed generator: an integer hash to derive
 * independent sub-streams, and the sfc32 generator (Chris Doty-Humphrey's Small Fast
 * Counting generator, 128-bit state). Never Math.random, never the clock.
 */

/** A 32-bit finalizer (lowbias32 by Chris Wellons). */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a string (stream names), FNV-1a then finalized. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const t = (((a + b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11) | 0) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  intBetween(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box-Muller, one value per call). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson-distributed count (Knuth below 30, rounded normal above). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean < 30) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Index drawn with probability proportional to weights (linear scan; for short lists). */
  weightedIndex(weights: readonly number[], total?: number): number {
    const sum = total ?? weights.reduce((s, w) => s + w, 0);
    let r = this.next() * sum;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

/** The root of one dataset's randomness: every sub-stream is a pure function of (seed, stream name, index). */
export class SeedKey {
  private readonly lo: number;
  private readonly hi: number;

  constructor(seed: number) {
    this.lo = seed >>> 0;
    this.hi = Math.floor(seed / 4294967296) >>> 0;
  }

  private readonly names = new Map<string, number>();

  /** The sub-stream for (name, index): independent of every other sub-stream and of call order. */
  stream(name: string, index = 0): Random {
    let k = this.names.get(name);
    if (k === undefined) {
      k = mix32(hashString(name) ^ mix32(this.lo ^ mix32(this.hi + 0x6a09e667)));
      this.names.set(name, k);
    }
    const h = mix32(k ^ mix32((index + 0x9e3779b9) | 0));
    return new Random(mix32(h ^ 0x243f6a88), mix32(h ^ 0x85a308d3), mix32(h ^ 0x13198a2e), mix32(h ^ 0x03707344));
  }
}

/** A sampler over cumulative weights (binary search), for long lists. */
export class CumulativeSampler {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i];
      this.cumulative[i] = sum;
    }
    this.total = sum;
  }

  sample(rng: Random): number {
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * Split `total` into integer parts proportional to `weights`, each at least `min`
 * (largest remainder; ties broken by index, so the result is deterministic).
 */
export function allocate(total: number, weights: readonly number[], min = 0): number[] {
  const n = weights.length;
  const rest = total - min * n;
  if (rest < 0) throw new RangeError(`cannot give ${min} to each of ${n} parts out of ${total}`);
  const sum = weights.reduce((s, w) => s + w, 0);
  const parts = new Array<number>(n);
  const remainders: { i: number; r: number }[] = [];
  let given = 0;
  for (let i = 0; i < n; i++) {
    const exact = sum > 0 ? (rest * weights[i]) / sum : rest / n;
    const whole = Math.floor(exact);
    parts[i] = min + whole;
    given += whole;
    remainders.push({ i, r: exact - whole });
  }
  remainders.sort((x, y) => y.r - x.r || x.i - y.i);
  for (let k = 0; k < rest - given; k++) {
    const i = remainders[k % n].i;
    parts[i] = parts[i] + 1;
  }
  return parts;
}
