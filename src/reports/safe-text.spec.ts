import { MAX_CELL_TEXT, cellText, looksLikeFormula } from './safe-text.js';

describe('safe cell text', () => {
  it.each(['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('recognises %j as formula-like', (text) => {
    expect(looksLikeFormula(text)).toBe(true);
  });

  it('does not flag ordinary text', () => {
    expect(looksLikeFormula('成都益源物业管理有限公司')).toBe(false);
    expect(looksLikeFormula('A=1')).toBe(false);
  });

  it('keeps text exactly, formula-like or not', () => {
    for (const text of ['=HYPERLINK("http://x","y")', '+1', '@x', '锦江花园 ★★', 'a\tb\nc\r', '😀']) expect(cellText(text)).toBe(text);
  });

  it('replaces what XML cannot hold and caps at the cell limit', () => {
    expect(cellText('a\u0000b\u001Fc\uFFFE')).toBe('a\uFFFDb\uFFFDc\uFFFD');
    expect(cellText('x\uD800y')).toBe('x\uFFFDy');
    const long = cellText('字'.repeat(MAX_CELL_TEXT + 10));
    expect(long).toHaveLength(MAX_CELL_TEXT);
    expect(long.endsWith('…')).toBe(true);
  });
});
