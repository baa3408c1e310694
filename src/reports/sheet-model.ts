/**
 * What a report sheet is, independent of the spreadsheet library: columns with Chinese headers,
 * widths and number formats, and rows of plain values. The exceljs adapter (xlsx-writer.ts) is
 * the only code that turns this into cells.
 */
import { cellText } from './safe-text.js';

/** text: always a string cell; percent: `0.00%`; decimal2: `0.00`; integer: `#,##0`; date: `yyyy-mm-dd` from `YYYY-MM-DD`. */
export type CellFormat = 'text' | 'integer' | 'decimal2' | 'percent' | 'date';

/** Fills: best and worst of a ranking, the red and black lists, section rows. */
export type Highlight = 'best' | 'worst' | 'red' | 'black' | 'section';

export type CellValue = string | number | null;

export interface ColumnSpec {
  readonly header: string;
  /** in characters (a CJK character counts about 2) */
  readonly width: number;
  readonly format: CellFormat;
}

export interface SheetRow {
  readonly cells: readonly CellValue[];
  /** the whole row */
  readonly fill?: Highlight;
  /** single cells, by column index (0-based) */
  readonly cellFills?: Readonly<Record<number, Highlight>>;
  /** a cell whose format differs from its column's, by column index */
  readonly formats?: Readonly<Record<number, CellFormat>>;
  readonly bold?: boolean;
}

export interface SheetSpec {
  /** at most 31 characters, none of \ / ? * [ ] : */
  readonly name: string;
  /** the title row above the header */
  readonly title: string;
  readonly columns: readonly ColumnSpec[];
  /** columns kept in view when scrolling right */
  readonly freezeColumns?: number;
  /** an auto filter on the header row (tables, not key-value sheets) */
  readonly autoFilter?: boolean;
  /**
   * A protected sheet: every cell is locked except, in the data rows, the cells of these columns
   * (0-based), which are written even when empty, unlocked and filled light yellow so that people
   * see where to type. Protection has no password (see xlsx-writer.ts).
   */
  readonly protection?: { readonly unlockedColumns: readonly number[] };
  /** a sheet people do not see (written with the state `hidden`) */
  readonly hidden?: boolean;
}

export type SheetRows = Iterable<SheetRow> | AsyncIterable<SheetRow>;

export interface ReportSheet {
  readonly spec: SheetSpec;
  readonly rows: SheetRows;
}

/** Where a report's sheets go, one after the other (each is complete before the next starts). */
export interface WorkbookSink {
  /** writes the sheet and returns the number of data rows written */
  addSheet(spec: SheetSpec, rows: SheetRows): Promise<number>;
}

/** The sheet name as it is written: the characters a sheet name cannot hold replaced, at most 31 characters. */
export function safeSheetName(name: string): string {
  return name.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Sheet';
}

/** What a cell holds once written: text, a finite number, a date (UTC midnight) or nothing. */
export type StoredValue = string | number | Date | null;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A value as the writer stores it. Strings always become text cells (never formulas) through
 * `cellText`; a number that is not finite is left empty, -0 becomes 0, and a number in a text
 * column is shown with two decimals; a `YYYY-MM-DD` string in a date column becomes a date.
 * Pure, so that the appeal sheet's signature covers exactly what the file holds.
 */
export function storedValue(value: CellValue, format: CellFormat): { value: StoredValue; format: CellFormat } {
  if (value === null) return { value: null, format };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { value: null, format };
    // -0 would show as "-0" in some apps
    return { value: value === 0 ? 0 : value, format: format === 'text' ? 'decimal2' : format };
  }
  if (format === 'date') {
    const m = ISO_DATE.exec(value);
    if (m) return { value: new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))), format: 'date' };
  }
  return { value: cellText(value), format: 'text' };
}

/** The columns of a key-value sheet (概况, 方法说明): item, number, share, remarks. */
export const SUMMARY_COLUMNS: readonly ColumnSpec[] = [
  { header: '项目', width: 34, format: 'text' },
  { header: '数值', width: 16, format: 'integer' },
  { header: '占比', width: 12, format: 'percent' },
  { header: '说明', width: 90, format: 'text' },
];

/** A section heading of a key-value sheet. */
export function sectionRow(title: string): SheetRow {
  return { cells: [title, null, null, null], fill: 'section', bold: true };
}

/** An item of a key-value sheet; a number that is not whole is shown with two decimals unless told otherwise. */
export function itemRow(item: string, value: number | null, remark: string | null = null, options: { share?: number | null; format?: CellFormat } = {}): SheetRow {
  const format = options.format ?? (value !== null && !Number.isInteger(value) ? 'decimal2' : undefined);
  return { cells: [item, value, options.share ?? null, remark], formats: format ? { 1: format } : undefined };
}

/** An item of a key-value sheet whose value is text. */
export function textRow(item: string, text: string | null): SheetRow {
  return { cells: [item, null, null, text] };
}
