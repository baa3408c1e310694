/** Calendar arithmetic on ISO dates (`YYYY-MM-DD`), clamping to the month's last day. */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export interface DateText {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** minutes east of UTC when the text names an offset */
  zone?: number;
}

const DATE_TEXT =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?\s*(Z|[+-]\d{2}:?\d{2})?$/iu;

/** `2025-03-04`, `2025/3/4 9:30`, `2025年3月4日 09:30:00`, `2025-03-04T09:30:00+08:00` … */
export function parseDateText(text: string): DateText | null {
  const m = DATE_TEXT.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const result: DateText = { year, month, day };
  if (m[4] !== undefined) {
    const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) return null;
    Object.assign(result, { hour, minute, second });
  }
  if (m[7] !== undefined) {
    if (result.hour === undefined) return null;
    const z = m[7].toUpperCase();
    if (z === 'Z') result.zone = 0;
    else {
      const digits = z.replace(':', '');
      const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
      result.zone = digits[0] === '-' ? -minutes : minutes;
    }
  }
  return result;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

/** Minutes-precise offset (ms) of a time zone at an instant: local wall clock − UTC. */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const hourKey = `${timeZone}|${Math.floor(instantMs / 3_600_000)}`;
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return cached;
  let formatter = zoneFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormatters.set(timeZone, formatter);
  }
  const whole = Math.floor(instantMs / 1000) * 1000;
  const parts = Object.fromEntries(formatter.formatToParts(new Date(whole)).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  const offset = local - whole;
  if (offsetCache.size > 10_000) offsetCache.clear();
  offsetCache.set(hourKey, offset);
  return offset;
}

/** The instant at which the wall clock of `timeZone` shows `wallMs` (read as UTC fields). */
export function localToInstant(wallMs: number, timeZone: string): number {
  const first = wallMs - zoneOffsetMs(wallMs, timeZone);
  return wallMs - zoneOffsetMs(first, timeZone);
}

/**
 * A date-time written as text (`2025-03-04 09:30`, `2025/3/4 9:30`, `2025年3月4日 09:30:00`,
 * `2025-03-04T09:30:00+08:00`): the instant it names, a time without an offset read as local time
 * of `timeZone`; null when the text is no date-time (a date alone is none). The one reading of
 * date-times for spreadsheets and the API alike.
 */
export function parseDateTime(text: string, timeZone: string): Date | null {
  const d = parseDateText(text.trim());
  if (!d || d.hour === undefined) return null;
  const wallMs = Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute ?? 0, d.second ?? 0);
  return new Date(d.zone !== undefined ? wallMs - d.zone * 60_000 : localToInstant(wallMs, timeZone));
}
