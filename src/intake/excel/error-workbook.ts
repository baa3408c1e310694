import { rename, rm } from 'node:fs/promises';
import { temporaryPathOf } from '../../files/temporary-files.js';
import ExcelJS from 'exceljs';
import type { CellInput } from './cells.js';
import { ERROR_COLUMN, SUMMARY_SHEET } from './families.js';
import { describeRowFaults, FIRST_FAULTS_KEPT, MAX_FAULTS_KEPT, type FaultBook, type ImportFault } from './import-faults.js';
import type { SheetLayout } from './sheet-layout.js';
import type { SourceRow } from './sheet-scan.js';

export const FAULT_FILL = 'FFFFC7CE';
const FAULT_FONT = 'FF9C0006';
const HEADER_FILL = 'FFEDEDED';

const faultFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FAULT_FILL } };
const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };

/**
 * The workbook handed back when an import is refused: a 错误汇总 sheet first, then every
 * data sheet with all its rows as they were, an added 错误说明 column naming each fault of
 * the row, and the faulty cells filled light red. Written with exceljs's streaming writer
 * (a rejected file may have 500,000 rows). Values are copied, never formulas: a formula
 * without a cached result is written as its text. Corrected, it can be imported as it is.
 */
export class ErrorWorkbookWriter {
  private sheet: ExcelJS.Worksheet | undefined;
  private layout: SheetLayout | undefined;
  private sheetName = '';
  private readonly temporary: string;

  private constructor(
    private readonly path: string,
    private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    private readonly book: FaultBook,
    temporary: string,
  ) {
    this.temporary = temporary;
  }

  static create(path: string, book: FaultBook, summary: { fileName: string; generatedAt: Date }): ErrorWorkbookWriter {
    const temporary = temporaryPathOf(path);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: temporary, useStyles: true, useSharedStrings: false });
    workbook.creator = 'redprop';
    const writer = new ErrorWorkbookWriter(path, workbook, book, temporary);
    writer.writeSummary(summary.fileName, summary.generatedAt);
    return writer;
  }

  /** Starts a data sheet: copies the rows above the header and the header, with 错误说明 after it. */
  beginSheet(name: string, layout: SheetLayout, header: SourceRow, preamble: readonly SourceRow[]): void {
    this.endSheet();
    this.sheetName = name;
    this.layout = layout;
    const sheet = this.workbook.addWorksheet(name, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: header.number, topLeftCell: `A${header.number + 1}`, activeCell: `A${header.number + 1}` }],
    });
    const widths = new Map(layout.columns.map(({ column, index }) => [index, column.width]));
    sheet.columns = [...Array.from({ length: layout.width }, (_, i) => ({ width: widths.get(i) ?? 14 })), { width: 60 }];
    this.sheet = sheet;
    for (const row of preamble) this.copyRow(row, []).commit();
    const headerRow = this.copyRow(header, []);
    for (let c = 1; c <= layout.width; c++) {
      const cell = headerRow.getCell(c);
      cell.font = { bold: true };
      cell.fill = headerFill;
    }
    const errorHeader = headerRow.getCell(layout.width + 1);
    errorHeader.value = ERROR_COLUMN;
    errorHeader.font = { bold: true, color: { argb: FAULT_FONT } };
    errorHeader.fill = faultFill;
    headerRow.commit();
  }

  /** Copies a data row with its faults, if any. */
  addRow(row: SourceRow): void {
    const faults = this.book.rowFaults(this.sheetName, row.number);
    this.copyRow(row, faults).commit();
  }

  async finish(): Promise<string> {
    this.endSheet();
    try {
      await this.workbook.commit();
      await rename(this.temporary, this.path);
    } catch (error) {
      await rm(this.temporary, { force: true });
      throw error;
    }
    return this.path;
  }

  private endSheet(): void {
    this.sheet?.commit();
    this.sheet = undefined;
  }

  private copyRow(source: SourceRow, faults: readonly ImportFault[]): ExcelJS.Row {
    const layout = this.layout!;
    const row = this.sheet!.getRow(source.number);
    const dateFormats = new Map(
      layout.columns
        .filter(({ column }) => column.type.kind === 'date' || column.type.kind === 'datetime')
        .map(({ column, index }) => [index, column.type.kind === 'date' ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm']),
    );
    for (let i = 0; i < Math.min(source.cells.length, layout.width); i++) {
      const value = copiedValue(source.cells[i] ?? null);
      if (value === null) continue;
      const cell = row.getCell(i + 1);
      cell.value = value;
      if (value instanceof Date) cell.numFmt = dateFormats.get(i) ?? 'yyyy-mm-dd hh:mm';
    }
    if (faults.length > 0) {
      const indexOf = new Map(layout.columns.map(({ column, index }) => [column.field, index]));
      for (const fault of faults) {
        const index = fault.field === undefined ? undefined : indexOf.get(fault.field);
        if (index !== undefined) row.getCell(index + 1).fill = faultFill;
      }
      const note = row.getCell(layout.width + 1);
      note.value = describeRowFaults(faults);
      note.font = { color: { argb: FAULT_FONT } };
      note.alignment = { wrapText: true, vertical: 'top' };
    }
    return row;
  }

  private writeSummary(fileName: string, generatedAt: Date): void {
    const book = this.book;
    const sheet = this.workbook.addWorksheet(SUMMARY_SHEET);
    sheet.columns = [{ width: 18 }, { width: 30 }, { width: 10 }, { width: 24 }, { width: 80 }];
    const add = (values: (string | number | null)[], style?: (row: ExcelJS.Row) => void) => {
      const row = sheet.addRow(values);
      style?.(row);
      row.commit();
    };
    const bold = (row: ExcelJS.Row) => {
      row.font = { bold: true };
    };
    add([`导入未通过：共 ${book.total} 处错误，未写入任何数据`], (row) => {
      row.font = { bold: true, size: 14, color: { argb: FAULT_FONT } };
    });
    add(['文件', fileName]);
    add(['检查时间', generatedAt.toISOString().replace('T', ' ').slice(0, 19) + ' UTC']);
    add(['处理办法', '按各工作表“错误说明”列（标红的单元格）修改后，可直接重新导入本工作簿（本汇总表不会被导入）']);
    add([]);
    add(['按错误类型统计'], bold);
    add(['错误代码', '示例说明', '次数'], (row) => {
      bold(row);
      row.fill = headerFill;
    });
    for (const c of book.countsByCode()) add([c.code, c.example, c.count]);
    add([]);
    const sheetFaults = book.sheetFaults();
    if (sheetFaults.length > 0) {
      add(['整个工作表的问题'], bold);
      for (const f of sheetFaults) add([f.sheet, f.message, null, f.code]);
      add([]);
    }
    const first = book.first.filter((f) => f.row !== undefined);
    add(
      [`错误明细（前 ${Math.min(first.length, FIRST_FAULTS_KEPT)} 处${book.total > first.length + sheetFaults.length ? `，共 ${book.total} 处` : ''}）`],
      bold,
    );
    add(['工作表', '列', '行号', '错误代码', '说明'], (row) => {
      bold(row);
      row.fill = headerFill;
    });
    for (const f of first) add([f.sheet, f.column ?? '', f.row ?? null, f.code, f.message]);
    if (book.truncated) add([`错误过多：超出 ${MAX_FAULTS_KEPT.toLocaleString('en')} 处的部分未在各行逐一标出，请先改正已标出的错误后重新导入`]);
    sheet.commit();
  }
}

/** A cell's value for the error workbook: plain values; a formula only as its result or as text. */
function copiedValue(input: CellInput): string | number | boolean | Date | null {
  if (input === null) return null;
  if (typeof input !== 'object' || input instanceof Date) return input;
  if ('formula' in input) {
    const result = input.result;
    if (result !== null && typeof result === 'object' && !(result instanceof Date)) return result.error;
    if (result !== null && result !== undefined && !(typeof result === 'number' && Number.isNaN(result))) return result;
    return `=${input.formula}`;
  }
  return input.error;
}
