/**
 * What a report sheet is, independent of the spreadsheet library: columns with Chinese headers,
 * widths and number formats, and rows of plain values. The exceljs adapter (xlsx-writer.ts) is
 * the only code that turns this into cells.
 */

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
