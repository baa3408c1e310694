/** Ranking and best/worst selection for the report sheets. Pure. */

export type Better = 'higher' | 'lower';

export interface Ranked<T> {
  readonly item: T;
  /** competition rank (1, 2, 2, 4): equal values share a rank; null when the item has no value */
  readonly rank: number | null;
  readonly value: number | null;
}

/**
 * Items sorted best first by `value`; equal values keep the order of `tieBreak` (so the sheet is
 * stable) but share their rank. Items without a value come last, unranked, in `tieBreak` order.
 */
export function rankBy<T>(items: readonly T[], value: (item: T) => number | null, better: Better, tieBreak: (a: T, b: T) => number): Ranked<T>[] {
  const withValues = items.map((item) => ({ item, value: value(item) }));
  const sign = better === 'higher' ? -1 : 1;
  withValues.sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value === null && b.value === null) return tieBreak(a.item, b.item);
      return a.value === null ? 1 : -1;
    }
    if (a.value !== b.value) return sign * (a.value - b.value);
    return tieBreak(a.item, b.item);
  });
  const ranked: Ranked<T>[] = [];
  let previous: number | null = null;
  let rank = 0;
  withValues.forEach(({ item, value: v }, index) => {
    if (v === null) {
      ranked.push({ item, rank: null, value: null });
      return;
    }
    if (previous === null || v !== previous) rank = index + 1;
    previous = v;
    ranked.push({ item, rank, value: v });
  });
  return ranked;
}

export type Extreme = 'best' | 'worst';

/**
 * Which values are the best and the worst `share` (at least one each) of those that have a value.
 *
 * Equal values are treated alike: a value tied with the last one taken is taken too, unless the
 * ties would make the group more than twice the share, in which case the tied value is left out
 * (say, in a month where most estates have no complaint at all, "no complaint" is not singled out
 * as best). Nothing is marked when all values are equal, and an item is never both best and worst.
 */
export function extremes(values: readonly (number | null)[], better: Better, share: number): (Extreme | undefined)[] {
  const marks: (Extreme | undefined)[] = values.map(() => undefined);
  const rated = values.map((v, i) => ({ v, i })).filter((r): r is { v: number; i: number } => r.v !== null);
  if (rated.length < 2) return marks;
  const isBetter = (a: number, b: number) => (better === 'higher' ? a > b : a < b);
  rated.sort((a, b) => (isBetter(a.v, b.v) ? -1 : isBetter(b.v, a.v) ? 1 : a.i - b.i));
  const first = rated[0].v;
  const last = rated[rated.length - 1].v;
  if (first === last) return marks;
  const take = Math.max(1, Math.ceil(share * rated.length));

  const group = (atLeastAsGood: (v: number) => boolean, strictly: (v: number) => boolean) => {
    const withTies = rated.filter((r) => atLeastAsGood(r.v));
    return withTies.length <= 2 * take ? withTies : rated.filter((r) => strictly(r.v));
  };
  const bestThreshold = rated[take - 1].v;
  const worstThreshold = rated[rated.length - take].v;
  const best = group((v) => !isBetter(bestThreshold, v), (v) => isBetter(v, bestThreshold));
  const worst = group((v) => !isBetter(v, worstThreshold), (v) => isBetter(worstThreshold, v));
  const bestSet = new Set(best.map((r) => r.i));
  const worstSet = new Set(worst.map((r) => r.i));
  for (const i of bestSet) if (!worstSet.has(i)) marks[i] = 'best';
  for (const i of worstSet) if (!bestSet.has(i)) marks[i] = 'worst';
  return marks;
}

/** Code-point order: the same everywhere, whatever the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
