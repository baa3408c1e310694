/**
 * Reads an appeal sheet a company sends back, with the project's streaming workbook reader
 * (`intake/excel/xlsx/`), in two steps so that nothing of the file is held before it is known to
 * be a sheet worth reading, and then no more than its own sheet as exported:
 *
 * 1. `openAppealWorkbook`: the file passes the import's safety checks (.xlsx only, size, not
 *    encrypted, no macros or other code, no external links), then only the workbook part, the
 *    styles and the hidden signature sheet are read (shared strings looked up one by one), each part
 *    within a small budget: the signature header names the export it claims to be.
 * 2. `readContent(export)`: once the caller has found that export and checked whose it is, every
 *    signed cell and the filled appeal lines are read, the whole file held to a budget sized by the
 *    sheet as exported (its cells and their text), so that memory follows the company's own sheet,
 *    not whatever the upload unpacks to.
 *
 * No formula is ever evaluated: a formula cell is a formula (see signature.ts), its cached result
 * what a claim reads.
 */
import { extname, basename } from 'node:path';
import { DomainError } from '../../domain/errors.js';
import { checkXlsxFile } from '../../intake/excel/spreadsheet-file.js';
import { XlsxFormatError, XlsxPackage, type DeferredString, type XlsxCell, type XlsxSheetInfo } from '../../intake/excel/xlsx/xlsx-package.js';
import { XmlPartError } from '../../intake/excel/xlsx/xml-part.js';
import { ZipReadError } from '../../intake/excel/xlsx/zip-archive.js';
import { formatBytes } from '../../intake/excel/import-errors.js';
import { LINE_ID_HEADER, SCORESHEET_SHEET_NAME } from '../../reports/scoresheet.content.js';
import { APPEAL_COLUMNS, CLAIMED_HEADER, EVIDENCE_HEADER, REASON_HEADER } from './appeal-sheet.content.js';
import {
  SIGNATURE_SHEET_NAME,
  cellAddress,
  normaliseCellValue,
  plainCellText,
  readSignatureSheet,
  type SignatureHeader,
  type SignedCell,
} from './signature.js';

/** Caps of an uploaded appeal sheet before its export is known: one company's score sheet is far below them. */
export const APPEAL_SHEET_LIMITS = { maxBytes: 20 * 1024 * 1024, maxUnpackedBytes: 200 * 1024 * 1024 } as const;

/** Any one part read before the export is known (workbook, styles, signature sheet, shared strings looked through). */
const FIRST_STEP_PART_BYTES = 16 * 1024 * 1024;
/** Rows of the signature sheet: it has a title, a header and nine items. */
const SIGNATURE_SHEET_MAX_ROWS = 100;

/**
 * What an appeal sheet may unpack to, from its export: room for any office suite's own parts
 * (styles, theme), then per exported cell its XML and per character of text its UTF-8 and
 * shared-string entry. Generous for a re-save by Excel, WPS or LibreOffice (about 10 times what
 * exceljs writes); a file far beyond it is not the sheet that was handed out.
 */
export function contentBudget(exported: readonly SignedCell[]): number {
  const text = exported.reduce((sum, c) => sum + c.value.length, 0);
  return Math.min(APPEAL_SHEET_LIMITS.maxUnpackedBytes, 4 * 1024 * 1024 + exported.length * 1024 + text * 16);
}

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

export interface AppealWorkbookContent {
  /** every signed cell: visible sheets, without the appeal columns of the score sheet's data rows */
  cells: SignedCell[];
  /** the score-sheet rows with any appeal cell filled */
  lines: AppealSheetLine[];
}

export interface AppealWorkbookFile {
  fileName: string;
  signature: SignatureHeader & { signature: string };
  /**
   * Reads the rest, the whole file held to `budgetBytes` unpacked (`contentBudget` of the sheet as
   * exported); with `sheets`, a visible sheet the export did not have is a change, refused unread.
   */
  readContent(budgetBytes: number, sheets?: ReadonlySet<string>): Promise<AppealWorkbookContent>;
  close(): void;
}

const MACRO_EXTENSIONS = new Set(['.xlsm', '.xltm', '.xlam']);

const unreadable = (fileName: string, reason: string, part?: string) =>
  new DomainError(
    'APPEAL_SHEET_UNREADABLE',
    `cannot read ${fileName} as an appeal sheet${part ? ` (part ${part})` : ''}: ${reason}`,
    `无法读取申诉评分表“${fileName}”${part ? `（部件 ${part} 已损坏或不完整）` : ''}：须为本系统导出、填写后保存为 Excel 工作簿（.xlsx）的文件，未加密`,
    [reason],
  );

const tooLarge = (fileName: string, limit: number, sized: boolean) =>
  new DomainError(
    'APPEAL_SHEET_TOO_LARGE',
    `${fileName} unpacks to more than ${limit} bytes${sized ? ', far more than the sheet as exported' : ''}`,
    sized
      ? `文件 ${fileName} 解压后远大于导出时的申诉评分表（上限 ${formatBytes(limit)}），不是下载的评分表或已被改动：请重新下载，只在黄色的申诉列填写`
      : `文件 ${fileName} 解压后过大（上限 ${formatBytes(limit)}），不是本系统导出的申诉评分表`,
  );

const scoresheetMissing = (fileName: string, what: string, messageZh: string) =>
  new DomainError('APPEAL_SHEET_SCORESHEET_MISSING', `${fileName}: ${what}`, messageZh);

/** The reader's faults as the appeal's coded refusals. */
function refusal(fileName: string, error: unknown, sized: boolean): unknown {
  if (error instanceof DomainError) return error;
  if (error instanceof ZipReadError && error.overBudget) return tooLarge(fileName, error.overBudget.limit, sized);
  if (error instanceof ZipReadError || error instanceof XmlPartError || error instanceof XlsxFormatError)
    return unreadable(fileName, error.message, error.part ?? undefined);
  return error;
}

async function refusing<T>(fileName: string, sized: boolean, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw refusal(fileName, error, sized);
  }
}

/** Opens an uploaded appeal sheet and reads its signature header (step 1 above). */
export async function openAppealWorkbook(path: string): Promise<AppealWorkbookFile> {
  const name = basename(path);
  const extension = extname(name).toLowerCase();
  if (extension !== '.xlsx' && !MACRO_EXTENSIONS.has(extension)) throw unreadable(name, `not an .xlsx file (${extension || 'no extension'})`);
  const { fileName } = await checkXlsxFile(path, APPEAL_SHEET_LIMITS).catch((error: unknown) => {
    // the import's refusals stand (size, macros, external links), but a file that is no workbook is an unreadable appeal sheet
    if (error instanceof DomainError && (error.code === 'IMPORT_FILE_UNREADABLE' || error.code === 'IMPORT_FILE_ENCRYPTED')) {
      throw new DomainError(
        'APPEAL_SHEET_UNREADABLE',
        error.message,
        error.code === 'IMPORT_FILE_ENCRYPTED' ? error.messageZh : unreadable(name, '').messageZh,
        [error.code],
      );
    }
    throw error;
  });

  const pkg = await refusing(fileName, false, () =>
    XlsxPackage.open(path, { maxPartBytes: FIRST_STEP_PART_BYTES, maxTotalBytes: APPEAL_SHEET_LIMITS.maxUnpackedBytes }),
  );
  try {
    const sheets = await refusing(fileName, false, () => pkg.sheets());
    const signatureSheet = sheets.find((s) => s.name === SIGNATURE_SHEET_NAME);
    if (!signatureSheet) {
      throw new DomainError(
        'APPEAL_SHEET_SIGNATURE_MISSING',
        `${fileName}: no signature sheet`,
        `文件 ${fileName} 中没有签名页（工作表“${SIGNATURE_SHEET_NAME}”），不是本系统导出的申诉评分表或已被改动：请重新下载申诉评分表，只在黄色的申诉列填写`,
      );
    }
    const signature = readSignatureSheet(await refusing(fileName, false, () => signatureTexts(pkg, signatureSheet, fileName)), fileName);
    return {
      fileName,
      signature,
      readContent: (budgetBytes, exportedSheets) => refusing(fileName, true, () => readContent(pkg, sheets, fileName, budgetBytes, exportedSheets)),
      close: () => pkg.close(),
    };
  } catch (error) {
    pkg.close();
    throw error;
  }
}

/** A whole appeal sheet at once, within the upload caps (checks and tests; the service reads in two steps). */
export async function readAppealWorkbook(path: string): Promise<AppealWorkbookContent & Pick<AppealWorkbookFile, 'fileName' | 'signature'>> {
  const file = await openAppealWorkbook(path);
  try {
    return { fileName: file.fileName, signature: file.signature, ...(await file.readContent(APPEAL_SHEET_LIMITS.maxUnpackedBytes)) };
  } finally {
    file.close();
  }
}

/** The signature sheet's first two columns as text, shared strings looked up without reading them all. */
async function signatureTexts(pkg: XlsxPackage, sheet: XlsxSheetInfo, fileName: string): Promise<(string | null)[][]> {
  const rows: { number: number; cells: (XlsxCell | DeferredString)[] }[] = [];
  for await (const row of pkg.rowsDeferred(sheet)) {
    if (rows.length >= SIGNATURE_SHEET_MAX_ROWS)
      throw unreadable(fileName, `the signature sheet has more than ${SIGNATURE_SHEET_MAX_ROWS} rows`, sheet.part ?? undefined);
    rows.push({ number: row.number, cells: row.cells.slice(0, 2) });
  }
  const isDeferred = (cell: XlsxCell | DeferredString | undefined): cell is DeferredString =>
    cell !== null && typeof cell === 'object' && 'sharedString' in cell;
  const wanted = new Set(rows.flatMap((r) => r.cells.filter(isDeferred).map((c) => c.sharedString)));
  const strings = await pkg.sharedStringsAt(wanted);
  const texts: (string | null)[][] = [];
  for (const row of rows) {
    texts[row.number - 1] = row.cells.map((cell) => (isDeferred(cell) ? (strings.get(cell.sharedString) ?? null) : plainCellText(cell)));
  }
  return Array.from(texts, (r) => r ?? []);
}

/** Every signed cell and the filled appeal lines (step 2 above). */
async function readContent(
  pkg: XlsxPackage,
  sheets: readonly XlsxSheetInfo[],
  fileName: string,
  budget: number,
  exportedSheets?: ReadonlySet<string>,
): Promise<AppealWorkbookContent> {
  pkg.restrict({ maxPartBytes: budget, maxTotalBytes: budget });
  const added = exportedSheets ? sheets.filter((s) => !s.hidden && s.name !== SIGNATURE_SHEET_NAME && !exportedSheets.has(s.name)) : [];
  if (added.length > 0) {
    throw new DomainError(
      'APPEAL_SHEET_MODIFIED',
      `${fileName}: sheet(s) added: ${added.map((s) => s.name).join(', ')}`,
      `文件 ${fileName} 中新增了工作表（${added.map((s) => s.name).join('、')}），申诉未受理；请在新下载的评分表中只填写黄色的申诉列`,
    );
  }
  const scoresheet = sheets.find((s) => s.name === SCORESHEET_SHEET_NAME);
  if (!scoresheet) {
    throw scoresheetMissing(
      fileName,
      `no sheet ${SCORESHEET_SHEET_NAME}`,
      `文件 ${fileName} 中没有“${SCORESHEET_SHEET_NAME}”工作表：请使用下载的申诉评分表填写，不要改工作表名称`,
    );
  }
  const cells: SignedCell[] = [];
  const lines: AppealSheetLine[] = [];
  for (const sheet of sheets) {
    if (sheet.hidden || sheet.name === SIGNATURE_SHEET_NAME) continue;
    const isScoresheet = sheet === scoresheet;
    let columns: { lineId: number; claimed: number; reason: number; evidence: number; appeal: Set<number> } | undefined;
    for await (const row of pkg.rows(sheet)) {
      if (isScoresheet && row.number === 2) columns = appealColumnsOf(row.cells, fileName);
      const appealRow = isScoresheet && row.number >= 3;
      if (appealRow && !columns) throw scoresheetHeaderMissing(fileName, LINE_ID_HEADER);
      row.cells.forEach((cell, i) => {
        if (appealRow && columns!.appeal.has(i)) return;
        const value = normaliseCellValue(cell);
        if (value !== null) cells.push({ sheet: sheet.name, address: cellAddress(row.number, i + 1), value });
      });
      if (!appealRow) continue;
      const { lineId, claimed, reason, evidence } = columns!;
      const line = {
        claimed: claimValue(row.cells[claimed] ?? null),
        reason: plainCellText(row.cells[reason] ?? null),
        evidence: plainCellText(row.cells[evidence] ?? null),
      };
      if (line.claimed === null && line.reason === null && line.evidence === null) continue;
      lines.push({ row: row.number, lineId: plainCellText(row.cells[lineId] ?? null) ?? '', ...line });
    }
    if (isScoresheet && !columns) throw scoresheetHeaderMissing(fileName, LINE_ID_HEADER);
  }
  return { cells, lines };
}

function scoresheetHeaderMissing(fileName: string, header: string): DomainError {
  return scoresheetMissing(
    fileName,
    `sheet ${SCORESHEET_SHEET_NAME} has no column ${header}`,
    `文件 ${fileName} 的“${SCORESHEET_SHEET_NAME}”工作表第 2 行没有“${header}”列：请使用下载的申诉评分表填写，不要改动表头`,
  );
}

/** The 0-based columns of the 行号 and the three appeal columns, from the score sheet's header row. */
function appealColumnsOf(header: readonly XlsxCell[], fileName: string) {
  const positions = new Map<string, number>();
  header.forEach((cell, i) => {
    const text = plainCellText(cell);
    if (text !== null && !positions.has(text)) positions.set(text, i);
  });
  const column = (name: string): number => {
    const found = positions.get(name);
    if (found === undefined) throw scoresheetHeaderMissing(fileName, name);
    return found;
  };
  const columns = { lineId: column(LINE_ID_HEADER), claimed: column(CLAIMED_HEADER), reason: column(REASON_HEADER), evidence: column(EVIDENCE_HEADER) };
  const appeal = new Set([columns.claimed, columns.reason, columns.evidence]);
  if (appeal.size !== APPEAL_COLUMNS.length) throw unreadable(fileName, 'appeal columns repeated');
  return { ...columns, appeal };
}

/** What a claim reads from a cell: its value, a formula's cached result, rich text as text; null when empty. */
function claimValue(cell: XlsxCell): unknown {
  if (cell === null) return null;
  if (typeof cell === 'string') return cell.trim() === '' ? null : cell;
  if (typeof cell === 'number' || typeof cell === 'boolean' || cell instanceof Date) return cell;
  if ('formula' in cell) return cell.result === null ? `=${cell.formula}` : claimValue(cell.result);
  return cell.error;
}
