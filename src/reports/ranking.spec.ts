import { compareText, extremes, rankBy } from './ranking.js';

describe('rankBy', () => {
  const items = [
    { code: 'C', total: 80 },
    { code: 'A', total: 90 },
    { code: 'D', total: null },
    { code: 'B', total: 90 },
    { code: 'E', total: 70 },
  ];

  it('gives competition ranks: equal values share a rank, the next rank skips', () => {
    const ranked = rankBy(items, (i) => i.total, 'higher', (a, b) => compareText(a.code, b.code));
    expect(ranked.map((r) => [r.item.code, r.rank])).toEqual([
      ['A', 1],
      ['B', 1],
      ['C', 3],
      ['E', 4],
      ['D', null],
    ]);
  });

  it('ranks lower-is-better values from the lowest, items without a value last and unranked', () => {
    const ranked = rankBy(items, (i) => i.total, 'lower', (a, b) => compareText(a.code, b.code));
    expect(ranked.map((r) => [r.item.code, r.rank])).toEqual([
      ['E', 1],
      ['C', 2],
      ['A', 3],
      ['B', 3],
      ['D', null],
    ]);
  });

  it('keeps the tie-break order among equal values', () => {
    const ranked = rankBy(items, (i) => i.total, 'higher', (a, b) => compareText(b.code, a.code));
    expect(ranked.slice(0, 2).map((r) => r.item.code)).toEqual(['B', 'A']);
  });
});

describe('extremes', () => {
  it('marks the best and the worst share (at least one each)', () => {
    // ten values, share 10 %: one best, one worst
    const values = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10];
    const marks = extremes(values, 'higher', 0.1);
    expect(marks[values.indexOf(10)]).toBe('best');
    expect(marks[values.indexOf(1)]).toBe('worst');
    expect(marks.filter(Boolean)).toHaveLength(2);
    expect(extremes(values, 'lower', 0.1)[values.indexOf(1)]).toBe('best');
  });

  it('takes values tied with the last one taken', () => {
    const marks = extremes([10, 10, 5, 4, 3, 2, 1, 1, 0, 0], 'higher', 0.1);
    expect(marks).toEqual(['best', 'best', undefined, undefined, undefined, undefined, undefined, undefined, 'worst', 'worst']);
  });

  it('leaves out a tied value that would make the group more than twice the share', () => {
    // most estates had no complaint: "none" is not singled out as best, the one with most is worst
    const rates = [0, 0, 0, 0, 0, 0, 0, 0, 2.5, 6];
    const marks = extremes(rates, 'lower', 0.1);
    expect(marks.slice(0, 8).every((m) => m === undefined)).toBe(true);
    expect(marks[9]).toBe('worst');
    expect(marks[8]).toBeUndefined();
  });

  it('marks nothing when all values are equal, or fewer than two have a value', () => {
    expect(extremes([3, 3, 3], 'higher', 0.1)).toEqual([undefined, undefined, undefined]);
    expect(extremes([3, null], 'higher', 0.1)).toEqual([undefined, undefined]);
  });

  it('ignores items without a value and never marks one both ways', () => {
    const marks = extremes([null, 1, 2, null], 'higher', 0.5);
    expect(marks).toEqual([undefined, 'worst', 'best', undefined]);
  });
});
