import { isDateFormat } from './number-formats.js';

describe('date formats', () => {
  it.each([
    [14, undefined, true],
    [22, undefined, true],
    [31, undefined, true], // yyyy"年"m"月"d"日" in the Chinese edition
    [57, undefined, true],
    [0, undefined, false],
    [49, undefined, false],
    [164, 'yyyy-mm-dd hh:mm', true],
    [165, 'yyyy"年"m"月"d"日"', true],
    [166, '[$-804]aaaa;@', true], // the weekday, in Chinese
    [167, '[h]:mm:ss', true],
    [168, '0.00E+00', false],
    [169, '#,##0.00_);[Red](#,##0.00)', false],
    [170, '"第"0"期"', false],
    [171, '[Red]General', false],
    [172, '@', false],
    [173, '0.0"m²"', false],
    [174, 'm/d;@', true],
    [175, '[$-F800]dddd, mmmm dd, yyyy', true],
    [176, '_-¥* #,##0.00_-', false],
  ])('id %i, code %s → %s', (id, code, expected) => {
    expect(isDateFormat(id, code)).toBe(expected);
  });
});
