/**
 * The exceljs adapter: writes report sheets with the streaming `WorkbookWriter`, row by row,
 * committing each row as it goes, so that a workbook of any size is never held in memory.
 * Nothing else in redprop's report code knows about exceljs.
 */
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { cellText } from './safe-text.js';
import type { CellFormat, CellValue, Highlight, SheetRow, SheetRows, SheetSpec, WorkbookSink } from './sheet-model.js';

const NUMBER_FORMATS: Record<CellFormat, string> = {
  // Text format on every text cell: see safe-text.ts for why (no re-evaluation as a formula on edit)
  text: '@',
  integer: '#,##0',
  decimal2: '0.00',
  percent: '0.00%',
  date: 'yyyy-mm-dd',
};

const FILLS: Record<Highlight, string> = {
  best: 'FFC6EFCE',
  worst: 'FFFFC7CE',
  red: 'FFF8CBAD',
  black: 'FFBFBFBF',
  section: 'FFDDEBF7',
};

const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };

/** Rows between two looks at the zip stream's back-pressure. */
const DRAIN_CHECK_ROWS = 200;

type Style = Partial<ExcelJS.Style>;

/** One object per distinct style: exceljs recognises a style object it has seen and skips its serialisation. */
class StyleCache {
  private readonly styles = new Map<string, Style>();

  get(format: CellFormat, fill: Highlight | undefined, bold: boolean): Style {
    const key = `${format}|${fill ?? ''}|${bold ? 'b' : ''}`;
    let style = this.styles.get(key);
    if (!style) {
      style = { numFmt: NUMBER_FORMATS[format] };
      if (fill) style.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILLS[fill] } };
      if (bold) style.font = { bold: true };
      this.styles.set(key, style);
    }
    return style;
  }

  readonly title: Style = { numFmt: '@', font: { bold: true, size: 14 }, alignment: { vertical: 'middle' } };
  readonly header: Style = {
    numFmt: '@',
    font: { bold: true },
    fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } },
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
    border: { top: THIN, bottom: THIN, left: THIN, right: THIN },
  };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface XlsxWriterOptions {
  /** stored as the workbook's creation time */
  createdAt?: Date;
}

/** A workbook being written to `path` (through a temporary file: a failed report leaves nothing half-written). */
export class XlsxReportWriter implements WorkbookSink {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly styles = new StyleCache();
  private readonly temporaryPath: string;
  private finished = false;

  private constructor(
    readonly path: string,
    options: XlsxWriterOptions,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.temporaryPath = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: this.temporaryPath,
      useStyles: true,
      // inline strings: a shared-strings table would keep every distinct text in memory until the end
      useSharedStrings: false,
    });
    this.workbook.creator = 'redprop';
    this.workbook.created = options.createdAt ?? new Date();
    this.workbook.modified = this.workbook.created;
  }

  static open(path: string, options: XlsxWriterOptions = {}): XlsxReportWriter {
    return new XlsxReportWriter(path, options);
  }

  async addSheet(spec: SheetSpec, rows: SheetRows): Promise<number> {
    const columns = spec.columns.length;
    const worksheet = this.workbook.addWorksheet(safeSheetName(spec.name), {
      views: [{ state: 'frozen', xSplit: spec.freezeColumns ?? 0, ySplit: 2 }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: '1:2',
        margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      },
      headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', differentFirst: false, differentOddEven: false } as ExcelJS.HeaderFooter,
    });
    worksheet.columns = spec.columns.map((c) => ({ width: c.width }));
    if (spec.autoFilter && columns > 0) worksheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns } };

    const title = worksheet.getRow(1);
    title.height = 24;
    const titleCell = title.getCell(1);
    titleCell.value = cellText(spec.title);
    titleCell.style = this.styles.title;
    if (columns > 1) worksheet.mergeCells(1, 1, 1, columns);
    title.commit();

    const header = worksheet.getRow(2);
    spec.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = cellText(c.header);
      cell.style = this.styles.header;
    });
    header.commit();

    let written = 0;
    for await (const row of rows as AsyncIterable<SheetRow>) {
      this.writeRow(worksheet.getRow(written + 3), row, spec);
      written++;
      if (written % DRAIN_CHECK_ROWS === 0) await drained(worksheet);
    }
    worksheet.commit();
    return written;
  }

  private writeRow(target: ExcelJS.Row, row: SheetRow, spec: SheetSpec): void {
    const width = Math.max(row.cells.length, row.fill ? spec.columns.length : 0);
    for (let i = 0; i < width; i++) {
      const value = row.cells[i] ?? null;
      const fill = row.cellFills?.[i] ?? row.fill;
      if (value === null && !fill) continue;
      const format = row.formats?.[i] ?? spec.columns[i]?.format ?? 'text';
      const cell = target.getCell(i + 1);
      const written = cellValue(value, format);
      cell.value = written.value;
      cell.style = this.styles.get(written.format, fill, row.bold ?? false);
    }
    target.commit();
  }

  /** Finishes the file and moves it into place. */
  async close(): Promise<string> {
    await this.workbook.commit();
    this.finished = true;
    await rename(this.temporaryPath, this.path);
    return this.path;
  }

  /** Gives up: the temporary file is removed, the target is left as it was. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const internals = this.workbook as unknown as { zip?: { abort?: () => void }; stream?: { destroy?: () => void } };
    try {
      internals.zip?.abort?.();
      internals.stream?.destroy?.();
    } finally {
      await rm(this.temporaryPath, { force: true });
    }
  }
}

/**
 * A value as exceljs should store it. Strings always become string cells (never `{ formula }`),
 * with the Text format; a `YYYY-MM-DD` string in a date column becomes a date.
 */
function cellValue(value: CellValue, format: CellFormat): { value: ExcelJS.CellValue; format: CellFormat } {
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

/**
 * Waits while the zip stream behind the sheet is full. The streaming writer ignores back-pressure
 * (its buffers pass chunks on whatever the deflater's state), so a fast producer would pile the
 * whole sheet up in memory; checking the entry stream's `needDrain` keeps memory flat.
 */
async function drained(worksheet: ExcelJS.Worksheet): Promise<void> {
  const entry = (worksheet as unknown as { _stream?: { pipes?: { _writableState?: { needDrain?: boolean }; once?: unknown }[] } })._stream?.pipes?.[0];
  if (entry?._writableState?.needDrain) {
    await once(entry as unknown as NodeJS.EventEmitter, 'drain');
  } else {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function safeSheetName(name: string): string {
  return name.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Sheet';
}
