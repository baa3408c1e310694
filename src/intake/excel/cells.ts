import { localToInstant, parseDateText, parseDateTime } from '../../domain/dates.js';
import type { CellType, ColumnSpec } from './families.js';

/**
 * One cell as a reader hands it over, whatever the file format. Pure: the exceljs and CSV
 * adapters translate into this, and nothing here knows either of them.
 */
export type CellScalar = string | number | boolean | Date;
export type CellInput =
  | null
  | CellScalar
  /** a formula is never evaluated: its cached result is read if the file carries one */
  | { readonly formula: string; readonly result?: CellScalar | { readonly error: string } | null }
  | { readonly error: string };

export type CellResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly code: string; readonly message: string };

export interface CellReadOptions {
  /** the IANA time zone local date-times are written in (Excel has none) */
  readonly timeZone: string;
}

const ok = (value: unknown): CellResult => ({ ok: true, value });
const fault = (code: string, message: string): CellResult => ({ ok: false, code, message });

/** A cell's value as plain text, for headers and for messages. */
export function cellText(input: CellInput): string {
  const value = unwrapFormula(input);
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatWallClock(value, true);
  if (typeof value === 'object') return 'error' in value ? value.error : '';
  return String(value);
}

function unwrapFormula(input: CellInput): CellScalar | null | { error: string } | undefined {
  if (input !== null && typeof input === 'object' && !(input instanceof Date) && 'formula' in input) {
    const result = input.result;
    if (typeof result === 'number' && Number.isNaN(result)) return undefined;
    return result ?? undefined;
  }
  return input;
}

export function isBlank(input: CellInput): boolean {
  if (input === null) return true;
  if (typeof input === 'string') return input.trim() === '';
  return false;
}

/** Reads one cell for a column: the typed value, or a fault in Chinese with a stable code. */
export function readCell(column: ColumnSpec, input: CellInput, options: CellReadOptions): CellResult {
  const header = column.header;
  let value: CellScalar | null;
  if (input !== null && typeof input === 'object' && !(input instanceof Date)) {
    if ('formula' in input) {
      const result = unwrapFormula(input);
      if (result === undefined) return fault('CELL_FORMULA', `“${header}”单元格含公式，请粘贴为数值`);
      if (result !== null && typeof result === 'object' && !(result instanceof Date)) {
        return fault('CELL_ERROR_VALUE', `“${header}”单元格为错误值“${result.error}”`);
      }
      value = result;
    } else {
      return fault('CELL_ERROR_VALUE', `“${header}”单元格为错误值“${input.error}”`);
    }
  } else {
    value = input;
  }
  if (value === null || (typeof value === 'string' && value.trim() === '')) {
    return column.required ? fault('REQUIRED', `“${header}”不能为空`) : ok(null);
  }
  return READERS[column.type.kind](value, column.type as never, header, options);
}

type Reader<T extends CellType> = (value: CellScalar, type: T, header: string, options: CellReadOptions) => CellResult;
type Readers = { [K in CellType['kind']]: Reader<Extract<CellType, { kind: K }>> };

const normalised = (text: string) => text.normalize('NFKC').trim();

const READERS: Readers = {
  text(value) {
    if (typeof value === 'string') return ok(value.trim());
    if (typeof value === 'boolean') return ok(value ? '是' : '否');
    if (value instanceof Date) return ok(formatWallClock(value, false));
    return ok(String(value));
  },
  code(value, _type, header) {
    return readCode(value, header, (t) => t);
  },
  uscc(value, _type, header) {
    return readCode(value, header, (t) => t.toUpperCase());
  },
  integer(value, type, header) {
    if (type.flags) {
      const flag = readFlagValue(value);
      if (flag !== undefined) return ok(flag ? 1 : 0);
    }
    return readNumber(value, header);
  },
  decimal(value, _type, header) {
    return readNumber(value, header);
  },
  month(value) {
    if (value instanceof Date) return ok(formatWallClock(value, false).slice(0, 7));
    if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= 190001 && value <= 299912) return ok(`${Math.floor(value / 100)}-${String(value % 100).padStart(2, '0')}`);
      return ok(String(value));
    }
    if (typeof value === 'boolean') return ok(String(value));
    const text = normalised(value);
    const m = /^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$/u.exec(text);
    if (m) return ok(`${m[1]}-${(m[2] ?? m[3]).padStart(2, '0')}`);
    const d = parseDateText(text);
    if (d && d.day === 1 && d.hour === undefined) return ok(`${d.year}-${String(d.month).padStart(2, '0')}`);
    // left to the intake's check, which explains the expected form
    return ok(text);
  },
  period(value, type) {
    if (value instanceof Date) return ok(type.yearOnly ? formatWallClock(value, false).slice(0, 4) : formatWallClock(value, false).slice(0, 7));
    if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
    return ok(normalised(value).replace(/\s+/g, '').replace(/年$/u, '').toUpperCase());
  },
  date(value, _type, header) {
    const wall = wallClockOf(value);
    if (wall === 'not-a-date') return fault('CELL_DATE_INVALID', `“${header}”应为日期（如 2025-05-12），实际为“${cellText(value)}”`);
    if (wall !== undefined) return ok(formatWallClock(wall, false));
    const d = parseDateText(normalised(value as string));
    if (!d || (d.hour !== undefined && (d.hour !== 0 || d.minute !== 0 || (d.second ?? 0) !== 0)) || d.zone !== undefined) {
      return fault('CELL_DATE_INVALID', `“${header}”应为日期（如 2025-05-12），实际为“${cellText(value)}”`);
    }
    return ok(`${d.year}-${pad(d.month)}-${pad(d.day)}`);
  },
  datetime(value, _type, header, options) {
    const problem = () => fault('CELL_DATETIME_INVALID', `“${header}”应为日期时间（如 2025-03-04 09:30），实际为“${cellText(value)}”`);
    const wall = wallClockOf(value);
    if (wall === 'not-a-date') return problem();
    if (wall !== undefined) return ok(new Date(localToInstant(Math.round(wall.getTime() / 1000) * 1000, options.timeZone)));
    const instant = parseDateTime(normalised(value as string), options.timeZone);
    return instant ? ok(instant) : problem();
  },
  flag(value, _type, header) {
    const flag = readFlagValue(value);
    if (flag === undefined) return fault('CELL_FLAG_INVALID', `“${header}”应填“是”或“否”，实际为“${cellText(value)}”`);
    return ok(flag);
  },
  choice(value, type, header) {
    const text = typeof value === 'string' ? value.trim() : cellText(value);
    const code = matchChoice(type.options, text);
    if (code === undefined) {
      return fault('CELL_UNKNOWN_OPTION', `“${header}”的值“${text}”不在可选范围内（${Object.values(type.options).join('、')}）`);
    }
    return ok(code);
  },
};

const pad = (n: number) => String(n).padStart(2, '0');

function readCode(value: CellScalar, header: string, shape: (text: string) => string): CellResult {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) >= 1e15) {
      return fault('CELL_CODE_AS_NUMBER', `“${header}”被 Excel 存成了数字“${value}”，长编码会被改写：请把该列设为文本格式后重新填写`);
    }
    return ok(String(value));
  }
  if (typeof value === 'string') return ok(shape(normalised(value).replace(/\s+/g, '')));
  return fault('CELL_CODE_INVALID', `“${header}”应为编码，实际为“${cellText(value)}”`);
}

function readNumber(value: CellScalar, header: string): CellResult {
  if (typeof value === 'number') return Number.isFinite(value) ? ok(value) : fault('CELL_NOT_NUMBER', `“${header}”应为数字，实际为“${value}”`);
  if (typeof value === 'string') {
    const text = normalised(value).replace(/[\s,]/g, '');
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return ok(Number(text));
  }
  return fault('CELL_NOT_NUMBER', `“${header}”应为数字，实际为“${cellText(value)}”`);
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '有', '√', '✓']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '无', '×', '✗']);

function readFlagValue(value: CellScalar): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const text = normalised(value).toLowerCase();
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}

function matchChoice(options: Readonly<Record<string, string>>, text: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(options, text)) return text;
  for (const [code, label] of Object.entries(options)) if (label === text) return code;
  const loose = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const wanted = loose(text);
  for (const [code, label] of Object.entries(options)) if (loose(code) === wanted || loose(label) === wanted) return code;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Dates and times

/** Days from 1899-12-30 (Excel's day 0 in the 1900 system) to 1970-01-01. */
const EXCEL_EPOCH_OFFSET_DAYS = 25569;
const DAY_MS = 86_400_000;

/**
 * A date cell as wall-clock time (its UTC fields are the local date and time written in
 * the sheet): a Date from the reader, or an Excel serial number; undefined for text.
 */
function wallClockOf(value: CellScalar): Date | 'not-a-date' | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'not-a-date' : value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 1 || value >= 2_958_466) return 'not-a-date';
    return new Date(Math.round((value - EXCEL_EPOCH_OFFSET_DAYS) * DAY_MS));
  }
  if (typeof value === 'boolean') return 'not-a-date';
  return undefined;
}

function formatWallClock(wall: Date, withTime: boolean): string {
  const iso = new Date(Math.round(wall.getTime() / 1000) * 1000).toISOString();
  if (!withTime) return iso.slice(0, 10);
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
