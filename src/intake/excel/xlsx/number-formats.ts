/**
 * Whether a cell's number format shows a date or time, so that its number is read as one.
 * Built-in formats are known by id (ECMA-376 Part 1, 18.8.30, with the ids that the Chinese,
 * Japanese, Korean and Taiwanese editions of Excel give their local date formats); a custom
 * format by its code, with quoted text, `[...]` sections (colours, locales, conditions; `[h]`
 * and the like are elapsed time) and escaped characters left out.
 */
const BUILT_IN_DATE_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58, 71, 72, 73, 74, 75, 76, 77, 78,
  79, 80, 81,
]);

export function isDateFormat(id: number, code: string | undefined): boolean {
  if (code === undefined) return BUILT_IN_DATE_IDS.has(id);
  // the section for positive numbers decides; quoted text, escaped characters and the character
  // after _ (a space as wide as it) or * (a fill) are literal
  const section = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\.|[_*]./g, '')
    .split(';', 1)[0];
  if (/\[(h+|m+|s+)\]/i.test(section)) return true;
  const tokens = section.replace(/\[[^\]]*\]/g, '');
  if (/^\s*general\s*$/i.test(tokens)) return false;
  // year, month/minute, day, hour, second, Buddhist year, era year (E, not E+ / E- of a scientific
  // number), era name, weekday (aaa / aaaa: 周一 / 星期一)
  return /[ymdhsbg]|e(?![+-])|a{3}/i.test(tokens);
}
