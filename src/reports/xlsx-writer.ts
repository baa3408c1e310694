/**
 * The exceljs adapter: writes report sheets with the streaming `WorkbookWriter`, row by row,
 * committing each row as it goes, so that a workbook of any size is never held in memory.
 * Nothing else in redprop's report code knows about exceljs.
 */
import { once } from 'node:events';
import { temporaryPathOf } from '../files/temporary-files.js';
import { mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import { cellText } from './safe-text.js';
import { safeSheetName, storedValue, type CellFormat, type Highlight, type SheetRow, type SheetRows, type SheetSpec, type WorkbookSink } from './sheet-model.js';

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

/** The fill of the cells people may type in on a protected sheet (light yellow). */
export const UNLOCKED_FILL = 'FFFFF2CC';

/**
 * What a protected sheet still lets people do. No password: protection shows where to type and
 * keeps slips out, it is not a security boundary (anyone can unprotect a sheet, and a password
 * in this public source would be no secret). Changes are caught by the appeal sheet's signature.
 * Filtering (hides rows, changes no cell) and resizing columns and rows stay allowed; sorting,
 * inserting and deleting do not, since they move cells.
 */
const SHEET_PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  autoFilter: true,
};

const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };

/** Rows between two looks at the zip stream's back-pressure. */
const DRAIN_CHECK_ROWS = 200;

type Style = Partial<ExcelJS.Style>;

/** One object per distinct style: exceljs recognises a style object it has seen and skips its serialisation. */
class StyleCache {
  private readonly styles = new Map<string, Style>();

  /** `unlocked`: a cell people may type in on a protected sheet (unlocked, filled yellow whatever the row's fill) */
  get(format: CellFormat, fill: Highlight | undefined, bold: boolean, unlocked = false): Style {
    const key = `${format}|${unlocked ? 'u' : fill ?? ''}|${bold ? 'b' : ''}`;
    let style = this.styles.get(key);
    if (!style) {
      style = { numFmt: NUMBER_FORMATS[format] };
      if (unlocked) {
        style.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: UNLOCKED_FILL } };
        style.protection = { locked: false };
      } else if (fill) {
        style.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILLS[fill] } };
      }
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
    this.temporaryPath = temporaryPathOf(path);
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
      // 'hidden', not 'veryHidden': LibreOffice has no "very hidden" and saves such a sheet back as 'hidden'
      state: spec.hidden ? 'hidden' : 'visible',
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
      headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', differentFirst: false, differentOddEven: false },
    });
    worksheet.columns = spec.columns.map((c) => ({ width: c.width }));
    if (spec.autoFilter && columns > 0) worksheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns } };
    // written when the sheet is committed
    if (spec.protection) await worksheet.protect('', { ...SHEET_PROTECTION });

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
    const unlocked = spec.protection?.unlockedColumns ?? [];
    const width = Math.max(row.cells.length, row.fill ? spec.columns.length : 0, ...unlocked.map((c) => c + 1));
    for (let i = 0; i < width; i++) {
      const value = row.cells[i] ?? null;
      const fill = row.cellFills?.[i] ?? row.fill;
      const open = unlocked.includes(i);
      if (value === null && !fill && !open) continue;
      const format = row.formats?.[i] ?? spec.columns[i]?.format ?? 'text';
      const cell = target.getCell(i + 1);
      const written = storedValue(value, format);
      cell.value = written.value;
      cell.style = this.styles.get(written.format, fill, row.bold ?? false, open);
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
