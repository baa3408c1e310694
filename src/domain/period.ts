import { badInput } from './errors.js';
/** 考核周期: `2025` (year), `2025-H1` (half), `2025-Q3` (quarter), `2025-07` (month). */
export type PeriodKind = 'year' | 'half' | 'quarter' | 'month';

export interface Period {
  readonly code: string;
  readonly kind: PeriodKind;
  readonly year: number;
  /** 1-based first and last month of the period, inclusive. */
  readonly firstMonth: number;
  readonly lastMonth: number;
}

const PERIOD_PATTERN = /^(\d{4})(?:-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/;

/** The period a code names, or the coded error every entry point gives for a bad one. */
export function requirePeriod(code: string): Period {
  const period = parsePeriod(code);
  if (!period) throw badInput('PERIOD_INVALID', `invalid period "${code}"`, `考核周期“${code}”无效（如 2025、2025-H1、2025-Q3、2025-07）`);
  return period;
}

export function parsePeriod(code: string): Period | null {
  const match = PERIOD_PATTERN.exec(code);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000 || year > 2099) return null;
  const part = match[2];
  if (!part) return { code, kind: 'year', year, firstMonth: 1, lastMonth: 12 };
  if (part.startsWith('H')) {
    const half = Number(part[1]);
    return { code, kind: 'half', year, firstMonth: half * 6 - 5, lastMonth: half * 6 };
  }
  if (part.startsWith('Q')) {
    const quarter = Number(part[1]);
    return { code, kind: 'quarter', year, firstMonth: quarter * 3 - 2, lastMonth: quarter * 3 };
  }
  const month = Number(part);
  return { code, kind: 'month', year, firstMonth: month, lastMonth: month };
}

export function monthCount(period: Period): number {
  return period.lastMonth - period.firstMonth + 1;
}

/** Months of the period as `YYYY-MM`. */
export function periodMonths(period: Period): string[] {
  const months: string[] = [];
  for (let m = period.firstMonth; m <= period.lastMonth; m++) months.push(monthCode(period.year, m));
  return months;
}

export function monthCode(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** First and last calendar day as ISO dates. */
export function periodDates(period: Period): { startsOn: string; endsOn: string } {
  const lastDay = new Date(Date.UTC(period.year, period.lastMonth, 0)).getUTCDate();
  return {
    startsOn: `${monthCode(period.year, period.firstMonth)}-01`,
    endsOn: `${monthCode(period.year, period.lastMonth)}-${String(lastDay).padStart(2, '0')}`,
  };
}

/** The 19 periods of a year: the year, two halves, four quarters and twelve months. */
export function periodsOfYear(year: number): Period[] {
  const codes = [`${year}`, `${year}-H1`, `${year}-H2`];
  for (let q = 1; q <= 4; q++) codes.push(`${year}-Q${q}`);
  for (let m = 1; m <= 12; m++) codes.push(monthCode(year, m));
  return codes.map((code) => parsePeriod(code)!);
}

/** The period of the same kind just before this one. */
export function previousPeriod(period: Period): Period {
  const span = monthCount(period);
  if (period.firstMonth - span >= 1) {
    const first = period.firstMonth - span;
    const code =
      period.kind === 'half'
        ? `${period.year}-H${(first + 5) / 6}`
        : period.kind === 'quarter'
          ? `${period.year}-Q${(first + 2) / 3}`
          : monthCode(period.year, first);
    return parsePeriod(code)!;
  }
  const year = period.year - 1;
  const code = period.kind === 'year' ? `${year}` : period.kind === 'half' ? `${year}-H2` : period.kind === 'quarter' ? `${year}-Q4` : monthCode(year, 12);
  return parsePeriod(code)!;
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
export function isMonthCode(value: string): boolean {
  return MONTH_PATTERN.test(value);
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
