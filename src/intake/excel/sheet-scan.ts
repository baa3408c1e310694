import type { RecordKind } from '../records.js';
import { cellText, type CellInput } from './cells.js';
import { ALL_SHEETS, FAMILIES, NON_DATA_SHEETS, sheetSpecByName, type FamilyName, type SheetSpec } from './families.js';
import { importErrors } from './import-errors.js';
import type { ImportFault } from './import-faults.js';
import { matchHeader, parseRow, recogniseHeader, type ParsedRow, type SheetLayout } from './sheet-layout.js';

/** A row as read from a file: cells[0] is column A. */
export interface SourceRow {
  readonly number: number;
  readonly cells: readonly CellInput[];
}

export interface SourceSheet {
  readonly name: string;
  readonly hidden: boolean;
  /** rows in order; must be read (or left) before the next sheet is asked for */
  rows(): AsyncIterable<SourceRow>;
}

/** A file read as sheets of rows (xlsx or CSV); each call of `sheets()` reads it again from the start. */
export interface TabularFile {
  /** the file's base name, for faults and messages */
  readonly fileName: string;
  readonly format: 'xlsx' | 'csv';
  sheets(): AsyncIterable<SourceSheet>;
}

export interface ScanOptions {
  readonly timeZone: string;
  readonly maxRows: number;
  /** a CSV's family, when given; otherwise its header decides among every sheet */
  readonly family?: FamilyName;
  /** read only sheets of these kinds; others are skipped unread (and unreported) */
  readonly only?: ReadonlySet<RecordKind>;
}

export type ScanEvent =
  /** a data sheet's header was found: rows before it come along (the error workbook copies them) */
  | { readonly type: 'sheet'; readonly name: string; readonly layout: SheetLayout; readonly header: SourceRow; readonly preamble: readonly SourceRow[] }
  | {
      readonly type: 'row';
      readonly name: string;
      readonly layout: SheetLayout;
      readonly row: SourceRow;
      readonly parsed: Exclude<ParsedRow, { kind: 'empty' }>;
    }
  /** a fault of a whole sheet (unknown name, header not found) */
  | { readonly type: 'fault'; readonly fault: ImportFault };

/** The header is looked for in this many non-empty rows at the top (a title row may come first). */
const HEADER_SEARCH_ROWS = 10;

/**
 * Reads a file sheet by sheet: recognises each sheet (by its name for a workbook, by its
 * header for a CSV), finds the header row, and parses every data row. Pure over the
 * `TabularFile` interface. Refuses (throws) past the row cap.
 */
export async function* scanTable(file: TabularFile, options: ScanOptions): AsyncGenerator<ScanEvent> {
  let dataRows = 0;
  for await (const sheet of file.sheets()) {
    if (sheet.hidden || NON_DATA_SHEETS.includes(sheet.name.trim())) continue;
    let candidates: readonly SheetSpec[];
    if (file.format === 'csv') {
      candidates = options.family ? FAMILIES[options.family].sheets : ALL_SHEETS;
    } else {
      const spec = sheetSpecByName(sheet.name);
      if (!spec) {
        if (options.only) continue;
        if (await hasContent(sheet)) {
          yield {
            type: 'fault',
            fault: {
              file: file.fileName,
              sheet: sheet.name,
              code: 'IMPORT_SHEET_UNKNOWN',
              message: `工作表“${sheet.name}”无法识别，未导入：工作表名称须与导入模板一致（${ALL_SHEETS.map((s) => s.sheet).join('、')}）`,
            },
          };
        }
        continue;
      }
      candidates = [spec];
    }
    if (options.only && candidates.every((s) => !options.only!.has(s.kind))) continue;

    let layout: SheetLayout | undefined;
    let name = sheet.name;
    const preamble: SourceRow[] = [];
    let searched = 0;
    let headerProblem = false;
    for await (const row of sheet.rows()) {
      if (!layout) {
        if (headerProblem) continue;
        if (row.cells.every((c) => cellText(c).trim() === '')) continue;
        layout = candidates.length === 1 ? headerOf(candidates[0], row) : recogniseHeader(candidates, row.cells, row.number);
        if (layout) {
          if (file.format === 'csv') name = layout.spec.sheet;
          if (options.only && !options.only.has(layout.spec.kind)) break;
          yield { type: 'sheet', name, layout, header: row, preamble };
          continue;
        }
        preamble.push(row);
        if (++searched >= HEADER_SEARCH_ROWS) headerProblem = true;
        continue;
      }
      const parsed = parseRow(layout, row.cells, options);
      if (parsed.kind === 'empty') continue;
      if (++dataRows > options.maxRows) throw importErrors.tooManyRows(file.fileName, options.maxRows);
      yield { type: 'row', name, layout, row, parsed };
    }
    if (!layout && preamble.length > 0) {
      if (candidates.length > 1) throw importErrors.familyUnknown(file.fileName, Object.keys(FAMILIES));
      const spec = candidates[0];
      yield { type: 'fault', fault: headerFault(spec, file.fileName, file.format === 'csv' ? spec.sheet : sheet.name, preamble) };
    }
  }
}

function headerOf(spec: SheetSpec, row: SourceRow): SheetLayout | undefined {
  const match = matchHeader(spec, row.cells, row.number);
  return match.ok ? match.layout : undefined;
}

function headerFault(spec: SheetSpec, fileName: string, sheetName: string, rows: readonly SourceRow[]): ImportFault {
  // name what is wrong with the row that came closest
  let best: { missing: readonly string[]; duplicates: readonly string[]; matched: number } | undefined;
  for (const row of rows) {
    const match = matchHeader(spec, row.cells, row.number);
    if (!match.ok && (!best || match.matched > best.matched)) best = match;
  }
  const parts: string[] = [];
  if (best?.missing.length) parts.push(`缺少必填列：${best.missing.join('、')}`);
  if (best?.duplicates.length) parts.push(`列重复：${best.duplicates.join('、')}`);
  return {
    file: fileName,
    sheet: sheetName,
    code: 'IMPORT_HEADER_INVALID',
    message: `工作表“${sheetName}”的表头与导入模板不一致（${parts.join('；')}），该工作表未导入：请使用导入模板，不要修改表头`,
  };
}

async function hasContent(sheet: SourceSheet): Promise<boolean> {
  for await (const row of sheet.rows()) {
    if (row.cells.some((c) => cellText(c).trim() !== '')) return true;
  }
  return false;
}
