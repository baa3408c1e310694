/**
 * Reads an appeal sheet a company sends back (the exceljs adapter of the appeal sheet): the
 * signature sheet, every signed cell (as `signedCellsOfSheets` gives them for the same content)
 * and the filled appeal lines. The file passes the import's safety checks first (.xlsx only,
 * size, not encrypted, no macros, no external links, unpacked size). A company's sheet is small,
 * so the whole workbook is read at once (shared and inline strings alike); no formula is ever
 * evaluated: a formula cell is a formula (see signature.ts), its cached result what a claim reads.
 */
import { extname, basename } from 'node:path';
import ExcelJS from 'exceljs';
import { DomainError } from '../../domain/errors.js';
import { checkXlsxFile } from '../../intake/excel/spreadsheet-file.js';
import { LINE_ID_HEADER, SCORESHEET_SHEET_NAME } from '../../reports/scoresheet.content.js';
import { APPEAL_COLUMNS, CLAIMED_HEADER, EVIDENCE_HEADER, REASON_HEADER } from './appeal-sheet.content.js';
import { SIGNATURE_SHEET_NAME, cellAddress, normaliseCellValue, plainCellText, readSignatureSheet, type SignatureHeader, type SignedCell } from './signature.js';

/** Caps of an uploaded appeal sheet: one company's score sheet is far below them. */
export const APPEAL_SHEET_LIMITS = { maxBytes: 20 * 1024 * 1024, maxUnpackedBytes: 200 * 1024 * 1024 } as const;

export interface AppealSheetLine {
  /** the sheet row (1-based) */
  row: number;
  /** the 行号 cell's text ('' when empty) */
  lineId: string;
  /** what the 申诉主张值 cell holds: a number, text, boolean or date (a formula's cached result), or null */
  claimed: unknown;
  reason: string | null;
  evidence: string | null;
}

export interface AppealWorkbook {
  fileName: string;
  signature: SignatureHeader & { signature: string };
  /** every signed cell: visible sheets, without the appeal columns of the score sheet's data rows */
  cells: SignedCell[];
  /** the score-sheet rows with any appeal cell filled */
  lines: AppealSheetLine[];
}

const MACRO_EXTENSIONS = new Set(['.xlsm', '.xltm', '.xlam']);

const unreadable = (fileName: string, reason: string) =>
  new DomainError(
    'APPEAL_SHEET_UNREADABLE',
    'bad_input',
    `cannot read ${fileName} as an appeal sheet: ${reason}`,
    `无法读取申诉评分表“${fileName}”：须为本系统导出、填写后保存为 Excel 工作簿（.xlsx）的文件，未加密`,
    [reason],
  );

const scoresheetMissing = (fileName: string, what: string, messageZh: string) =>
  new DomainError('APPEAL_SHEET_SCORESHEET_MISSING', 'bad_input', `${fileName}: ${what}`, messageZh);

/** Reads and checks an uploaded appeal sheet; the signature is verified by the caller. */
export async function readAppealWorkbook(path: string): Promise<AppealWorkbook> {
  const name = basename(path);
  const extension = extname(name).toLowerCase();
  if (extension !== '.xlsx' && !MACRO_EXTENSIONS.has(extension)) throw unreadable(name, `not an .xlsx file (${extension || 'no extension'})`);
  const { fileName } = await checkXlsxFile(path, APPEAL_SHEET_LIMITS).catch((error: unknown) => {
    // the import's refusals stand (size, macros, external links), but a file that is no workbook is an unreadable appeal sheet
    if (error instanceof DomainError && (error.code === 'IMPORT_FILE_UNREADABLE' || error.code === 'IMPORT_FILE_ENCRYPTED')) {
      throw new DomainError('APPEAL_SHEET_UNREADABLE', 'bad_input', error.message, error.code === 'IMPORT_FILE_ENCRYPTED' ? error.messageZh : unreadable(name, '').messageZh, [error.code]);
    }
    throw error;
  });

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw unreadable(fileName, (error as Error).message);
  }

  const signatureSheet = workbook.worksheets.find((w) => w.name === SIGNATURE_SHEET_NAME);
  if (!signatureSheet) {
    throw new DomainError(
      'APPEAL_SHEET_SIGNATURE_MISSING',
      'bad_input',
      `${fileName}: no signature sheet`,
      `文件 ${fileName} 中没有签名页（工作表“${SIGNATURE_SHEET_NAME}”），不是本系统导出的申诉评分表或已被改动：请重新下载申诉评分表，只在黄色的申诉列填写`,
    );
  }
  const signature = readSignatureSheet(sheetTexts(signatureSheet), fileName);

  const scoresheet = workbook.worksheets.find((w) => w.name === SCORESHEET_SHEET_NAME);
  if (!scoresheet) {
    throw scoresheetMissing(fileName, `no sheet ${SCORESHEET_SHEET_NAME}`, `文件 ${fileName} 中没有“${SCORESHEET_SHEET_NAME}”工作表：请使用下载的申诉评分表填写，不要改工作表名称`);
  }
  const headers = new Map<string, number>();
  scoresheet.getRow(2).eachCell((cell, column) => {
    const text = plainCellText(cell.value);
    if (text !== null && !headers.has(text)) headers.set(text, column);
  });
  const column = (header: string): number => {
    const found = headers.get(header);
    if (found === undefined) {
      throw scoresheetMissing(
        fileName,
        `sheet ${SCORESHEET_SHEET_NAME} has no column ${header}`,
        `文件 ${fileName} 的“${SCORESHEET_SHEET_NAME}”工作表第 2 行没有“${header}”列：请使用下载的申诉评分表填写，不要改动表头`,
      );
    }
    return found;
  };
  const lineIdColumn = column(LINE_ID_HEADER);
  const [claimedColumn, reasonColumn, evidenceColumn] = [column(CLAIMED_HEADER), column(REASON_HEADER), column(EVIDENCE_HEADER)];
  const appealColumns = new Set([claimedColumn, reasonColumn, evidenceColumn]);
  if (appealColumns.size !== APPEAL_COLUMNS.length) throw unreadable(fileName, 'appeal columns repeated');

  const cells: SignedCell[] = [];
  for (const sheet of workbook.worksheets) {
    if (sheet.state !== 'visible' || sheet.name === SIGNATURE_SHEET_NAME) continue;
    const skip = sheet === scoresheet ? (row: number, col: number) => row >= 3 && appealColumns.has(col) : () => false;
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        if (cell.type === ExcelJS.ValueType.Merge || skip(rowNumber, col)) return;
        const value = normaliseCellValue(cell.value);
        if (value !== null) cells.push({ sheet: sheet.name, address: cellAddress(rowNumber, col), value });
      });
    });
  }

  const lines: AppealSheetLine[] = [];
  scoresheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber < 3) return;
    const claimed = claimValue(row.getCell(claimedColumn).value);
    const reason = plainCellText(row.getCell(reasonColumn).value);
    const evidence = plainCellText(row.getCell(evidenceColumn).value);
    if (claimed === null && reason === null && evidence === null) return;
    lines.push({ row: rowNumber, lineId: plainCellText(row.getCell(lineIdColumn).value) ?? '', claimed, reason, evidence });
  });
  return { fileName, signature, cells, lines };
}

/** Each row's cells as plain text (row 1 first; missing rows and cells are null). */
function sheetTexts(sheet: ExcelJS.Worksheet): (string | null)[][] {
  const rows: (string | null)[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const texts: (string | null)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      texts[col - 1] = cell.type === ExcelJS.ValueType.Merge ? null : plainCellText(cell.value);
    });
    rows[rowNumber - 1] = Array.from(texts, (t) => t ?? null);
  });
  return Array.from(rows, (r) => r ?? []);
}

/** What a claim reads from a cell: its value, a formula's cached result, rich text or a link as text; null when empty. */
function claimValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) {
    // no cached result (exceljs drops a result of 0 or ''): the formula itself, which no claim reads
    const formula = value as { formula?: string; sharedFormula?: string; result?: ExcelJS.CellValue };
    return formula.result === undefined || formula.result === null ? `=${formula.formula ?? formula.sharedFormula ?? ''}` : claimValue(formula.result);
  }
  if (typeof value === 'object' && 'error' in value) return (value as { error: string }).error;
  return plainCellText(value);
}
