import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RULES_DIR } from './rule-set.loader.js';
import { halfUpAt15Digits, roundHalfUp } from './rule-set.js';
import { seededRandom } from '../../test/support/seeded-random.js';

/** roundHalfUp as it was through redprop-scoring engine 3: the reference every result must equal. */
function referenceRoundHalfUp(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  return (Math.sign(value) * Math.round(scaled)) / factor;
}
const referenceCents = (points: number) => Math.round(referenceRoundHalfUp(points, 2) * 100);
const cents = (points: number) => Math.round(roundHalfUp(points, 2) * 100);

const random = seededRandom;

const float = new Float64Array(1);
const bits = new BigUint64Array(float.buffer);
/** The double `steps` representable values away from a positive x. */
function ulpsAway(x: number, steps: number): number {
  float[0] = x;
  bits[0] += BigInt(steps);
  return float[0];
}

/** Compares with the reference at 0 to 4 decimals and as cents; returns the inputs that differ. */
function differences(values: Iterable<number>): string[] {
  const found: string[] = [];
  for (const value of values) {
    for (let decimals = 0; decimals <= 4; decimals++) {
      if (!Object.is(roundHalfUp(value, decimals), referenceRoundHalfUp(value, decimals))) found.push(`${value} at ${decimals}`);
    }
    if (!Object.is(cents(value), referenceCents(value))) found.push(`${value} as cents`);
  }
  return found;
}

/** Every number in a rule set's stage files and manifest: thresholds, points, linear from/to, caps. */
function numbersOfRuleSets(): number[] {
  const numbers: number[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'number') numbers.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  const rulesRoot = join(DEFAULT_RULES_DIR, '..');
  for (const set of readdirSync(rulesRoot)) {
    const dir = join(rulesRoot, set);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir)) if (file.endsWith('.json')) walk(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  }
  return numbers;
}

describe('roundHalfUp without toPrecision', () => {
  it('equals the reference on every number of the rule sets, their neighbours and the linear points between', () => {
    const numbers = numbersOfRuleSets();
    expect(numbers.length).toBeGreaterThan(100);
    const values: number[] = [];
    for (const n of numbers) {
      for (const x of [n, -n, n / 100, n * 100]) {
        values.push(x, x + 0.005, x - 0.005, x + 0.0005, x + 0.00005);
        if (x > 0) for (let step = -3; step <= 3; step++) values.push(ulpsAway(x, step));
      }
    }
    // points of a linear rule anywhere between its ends: y0 + (x − x0)(y1 − y0)/(x1 − x0)
    for (const a of numbers.slice(0, 60)) {
      for (const b of numbers.slice(0, 60)) if (a !== b) for (let i = 0; i <= 20; i++) values.push(a + ((i / 20) * (b - a) * 7) / 3);
    }
    expect(differences(values)).toEqual([]);
  });

  it('equals the reference on random values of 0 to 4 decimals, their halves, sums and artefacts', () => {
    const next = random(7);
    const values: number[] = [2.675, 1.005, 0.285, 1.255, 8.345, 0.145, 1.45, 2.5, 0.5, 0.1 + 0.2, 0.3 - 0.1, 1.1 * 3, 4.35 * 100, 1e-7, 5e-5, 0.00005, 0];
    for (let i = 0; i < 15_000; i++) {
      const decimals = Math.floor(next() * 5);
      const magnitude = 10 ** Math.floor(next() * 9);
      const n = Math.floor(next() * magnitude);
      const x = n / 10 ** decimals;
      const half = (n + 0.5) / 10 ** decimals;
      const sign = next() < 0.3 ? -1 : 1;
      values.push(sign * x, sign * half, sign * (x + 0.1 + 0.2), sign * (half / 3) * 3, sign * ((n * 0.01 + n * 0.07) / 0.08), sign * x * 1e-6);
    }
    for (let i = 0; i < 2000; i++) values.push(next() * 1e12, next() * 1e-12, -next() * 1e10);
    values.push(Number.NaN, Infinity, -Infinity, -0, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, 1e15 + 0.5, 4503599627370497);
    expect(differences(values)).toEqual([]);
  });

  it('decides the last 15-digit place exactly: the doubles around n + 0.5 − 5·10^(e−15)', () => {
    const next = random(11);
    let up = 0;
    let down = 0;
    const wrong: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const digits = Math.floor(next() * 14);
      const whole = Math.floor(next() * 10 ** digits);
      const e = Math.floor(Math.log10(whole + 0.5));
      const threshold = whole + 0.5 - 5 * 10 ** (e - 15);
      for (let step = -6; step <= 6; step++) {
        const scaled = ulpsAway(threshold, step);
        const expected = Math.round(Number(scaled.toPrecision(15)));
        if (halfUpAt15Digits(scaled) !== expected) wrong.push(`${scaled}: ${halfUpAt15Digits(scaled)}, reference ${expected}`);
        if (expected === whole + 1) up++;
        else down++;
      }
    }
    expect(wrong).toEqual([]);
    // both sides of the threshold were reached
    expect(up).toBeGreaterThan(1000);
    expect(down).toBeGreaterThan(1000);
  });
});
