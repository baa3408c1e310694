/**
 * The appeal sheet's integrity signature (issue 5, item 1): an HMAC-SHA256, with a server-side
 * secret, over the sheet's header (export, run, period, company, revision, time) and every cell a
 * company is not meant to change — all cells of the visible sheets except the appeal columns of
 * the data rows. Pure: no exceljs here; the reader (appeal-workbook.reader.ts) hands over cell
 * values as exceljs reads them.
 *
 * Companies open the file in Excel, WPS or LibreOffice and save it again, so the signature is over
 * normalised values (`normaliseCellValue`), never over bytes or raw XML:
 * - text: Unicode NFC, CR LF and CR → LF, trimmed at both ends (apps differ in keeping trailing
 *   blanks and line ends; a blank is never a change of meaning). Rich text is its plain text, a
 *   hyperlink its text.
 * - numbers: rounded to 10 significant digits, written the shortest way (8, 8.0 and
 *   7.999999999999999 all give `8`; 0.9523809523809523 and LibreOffice's 0.952380952380952 give
 *   `0.9523809524`), and a value within 1e-9 (relative) of a whole number is that number
 *   (8.000000001 → `8`); -0 is `0`. A percentage is the number it holds (0.96, whatever its format).
 * - booleans: `TRUE` / `FALSE`; dates: `YYYY-MM-DD` at midnight UTC, else
 *   `YYYY-MM-DDTHH:mm:ssZ` (to the second); errors: their text (`#N/A`).
 * - a formula is `=` followed by the formula (its cached result is ignored): a formula where a
 *   value was is a change, even when it computes the same value.
 * - numbers and text are NOT unified: text that would read as another kind of value — a number,
 *   a date, TRUE/FALSE, an error, or anything starting with `=` or `'` — gets a leading `'` (the
 *   spreadsheet convention for "this is text"). So text "8" (`'8`) differs from the number 8
 *   (`8`), and text "=SUM(A1)" (`'=SUM(A1)`) from the formula (`=SUM(A1)`).
 * - empty cells (null, '' or blanks only) are not cells: only cells with a value are signed, so a
 *   style-only cell an app adds or drops changes nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import { safeSheetName, storedValue, type CellValue, type SheetRow, type SheetSpec } from '../../reports/sheet-model.js';
import { cellText } from '../../reports/safe-text.js';

/** Significant digits a number is compared with: below what a float or an app's re-save can disturb. */
export const SIGNIFICANT_DIGITS = 10;

export type NormalisedKind = 'text' | 'number' | 'boolean' | 'date' | 'formula' | 'error';

/** The plain text of a cell and what kind of value it is, or null for an empty cell. */
export function canonicalCell(value: unknown): { kind: NormalisedKind; text: string } | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const text = value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
    return text === '' ? null : { kind: 'text', text };
  }
  if (typeof value === 'number') return Number.isFinite(value) ? { kind: 'number', text: numberText(value) } : null;
  if (typeof value === 'boolean') return { kind: 'boolean', text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { kind: 'date', text: dateText(value) };
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.formula === 'string') return { kind: 'formula', text: `=${v.formula}` };
    if (typeof v.sharedFormula === 'string') return { kind: 'formula', text: `=${typeof v.formula === 'string' ? v.formula : `(${v.sharedFormula})`}` };
    if (typeof v.error === 'string') return { kind: 'error', text: v.error };
    if (Array.isArray(v.richText)) return canonicalCell((v.richText as { text?: unknown }[]).map((r) => (typeof r?.text === 'string' ? r.text : '')).join(''));
    if ('hyperlink' in v && 'text' in v) return canonicalCell(v.text);
    if ('text' in v) return canonicalCell(v.text);
  }
  // no reader hands over any other value: nothing to sign
  return null;
}

/** Text that, unmarked, would read the same as a number, date, boolean, error or formula. */
const AMBIGUOUS_TEXT =
  /^(?:[='].*|[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?|TRUE|FALSE|#(?:N\/A|NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|GETTING_DATA|SPILL!|CALC!))$/is;

/**
 * The canonical text of what a cell holds, so that a workbook re-saved by Excel, WPS or
 * LibreOffice gives the same text (rules above); null for an empty cell.
 */
export function normaliseCellValue(value: unknown): string | null {
  const cell = canonicalCell(value);
  if (cell === null) return null;
  return cell.kind === 'text' && AMBIGUOUS_TEXT.test(cell.text) ? `'${cell.text}` : cell.text;
}

/** The plain text of a cell (as `canonicalCell`, without the text mark), or null when empty. */
export function plainCellText(value: unknown): string | null {
  return canonicalCell(value)?.text ?? null;
}

/** How close (relative) to a whole number a value is taken as that number: float noise like 8.000000001. */
const WHOLE_TOLERANCE = 1e-9;

function numberText(value: number): string {
  const whole = Math.round(value);
  if (Math.abs(value - whole) <= WHOLE_TOLERANCE * Math.max(1, Math.abs(value))) return whole === 0 ? '0' : String(whole);
  const rounded = Number(value.toPrecision(SIGNIFICANT_DIGITS));
  return rounded === 0 ? '0' : String(rounded);
}

function dateText(date: Date): string {
  const iso = new Date(Math.round(date.getTime() / 1000) * 1000).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`;
}

// ---- signed cells ---------------------------------------------------------------------------

export interface SignedCell {
  sheet: string;
  /** A1 style */
  address: string;
  /** normalised (`normaliseCellValue`) */
  value: string;
}

/** `A`, `B`, …, `Z`, `AA`, … for a 1-based column number. */
export function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** `A1` style address of a 1-based row and column. */
export function cellAddress(row: number, column: number): string {
  return `${columnLetter(column)}${row}`;
}

function parseAddress(address: string): { row: number; column: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(address);
  if (!m) return { row: 0, column: 0 };
  let column = 0;
  for (const ch of m[1]) column = column * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]), column };
}

export interface MaterialSheet {
  readonly spec: SheetSpec;
  readonly rows: readonly SheetRow[];
}

/**
 * The cells the xlsx writer writes for these sheets (title in A1, headers in row 2, data from
 * row 3, with the writer's own text and number handling), normalised; hidden sheets and, on a
 * protected sheet, the unlocked columns of the data rows left out. Sheet order, then row, then column.
 */
export function signedCellsOfSheets(sheets: readonly MaterialSheet[]): SignedCell[] {
  const cells: SignedCell[] = [];
  for (const { spec, rows } of sheets) {
    if (spec.hidden) continue;
    const sheet = safeSheetName(spec.name);
    const push = (row: number, column: number, value: unknown) => {
      const text = normaliseCellValue(value);
      if (text !== null) cells.push({ sheet, address: cellAddress(row, column), value: text });
    };
    push(1, 1, cellText(spec.title));
    spec.columns.forEach((c, i) => push(2, i + 1, cellText(c.header)));
    const unlocked = new Set(spec.protection?.unlockedColumns ?? []);
    rows.forEach((row, r) => {
      row.cells.forEach((value: CellValue, i) => {
        if (value === null || unlocked.has(i)) return;
        push(r + 3, i + 1, storedValue(value, row.formats?.[i] ?? spec.columns[i]?.format ?? 'text').value);
      });
    });
  }
  return cells;
}

// ---- signing --------------------------------------------------------------------------------

export interface SignatureHeader {
  version: 1;
  exportId: number;
  runId: number;
  periodCode: string;
  uscc: string;
  revision: number;
  /** ISO instant */
  issuedAt: string;
}

export const SIGNATURE_ALGORITHM = 'HMAC-SHA256';

/**
 * What is signed: one JSON line for the header (fields in a fixed order), then one JSON line
 * `[sheet, address, value]` per cell, cells sorted by sheet name, row and column (so the order in
 * which a reader meets them does not matter).
 */
export function signaturePayload(header: SignatureHeader, cells: readonly SignedCell[]): string {
  const head = JSON.stringify([
    'redprop-appeal-sheet',
    header.version,
    header.exportId,
    header.runId,
    header.periodCode,
    header.uscc,
    header.revision,
    header.issuedAt,
  ]);
  const sorted = cells
    .map((c) => ({ c, at: parseAddress(c.address) }))
    .sort((a, b) => (a.c.sheet < b.c.sheet ? -1 : a.c.sheet > b.c.sheet ? 1 : a.at.row - b.at.row || a.at.column - b.at.column));
  return [head, ...sorted.map(({ c }) => JSON.stringify([c.sheet, c.address, c.value]))].join('\n');
}

/** HMAC-SHA256 of the payload, hex. */
export function signSheet(secret: string, header: SignatureHeader, cells: readonly SignedCell[]): string {
  return createHmac('sha256', secret).update(signaturePayload(header, cells), 'utf8').digest('hex');
}

export function verifySheet(secret: string, header: SignatureHeader, cells: readonly SignedCell[], signature: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = Buffer.from(signSheet(secret, header, cells), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature.toLowerCase(), 'hex'));
}

// ---- differences ----------------------------------------------------------------------------

export interface CellChange {
  sheet: string;
  address: string;
  /** null: the cell was added */
  expected: string | null;
  /** null: the cell was emptied or removed */
  actual: string | null;
}

/** Every cell added, removed or changed, in the order of `expected` (then the added ones, in theirs). */
export function diffCells(expected: readonly SignedCell[], actual: readonly SignedCell[]): CellChange[] {
  const key = (c: SignedCell) => `${c.sheet}\u0000${c.address}`;
  const got = new Map(actual.map((c) => [key(c), c]));
  const had = new Set<string>();
  const changes: CellChange[] = [];
  for (const c of expected) {
    had.add(key(c));
    const now = got.get(key(c));
    if (!now) changes.push({ sheet: c.sheet, address: c.address, expected: c.value, actual: null });
    else if (now.value !== c.value) changes.push({ sheet: c.sheet, address: c.address, expected: c.value, actual: now.value });
  }
  for (const c of actual) if (!had.has(key(c))) changes.push({ sheet: c.sheet, address: c.address, expected: null, actual: c.value });
  return changes;
}

// ---- the signature sheet --------------------------------------------------------------------

export const SIGNATURE_SHEET_NAME = '签名';

const LABELS = {
  version: '签名格式版本',
  exportId: '导出编号',
  runId: '考核运行',
  periodCode: '考核周期',
  uscc: '统一社会信用代码',
  revision: '修订版本',
  issuedAt: '导出时间',
  algorithm: '签名算法',
  signature: '签名',
} as const;

/** The hidden sheet that carries the header and the signature, every value as text. */
export function signatureSheet(header: SignatureHeader, signature: string): MaterialSheet & { rows: SheetRow[] } {
  const row = (label: string, value: string): SheetRow => ({ cells: [label, value] });
  return {
    spec: {
      name: SIGNATURE_SHEET_NAME,
      title: '申诉评分表签名（请勿修改，改动后申诉不予受理）',
      columns: [
        { header: '项目', width: 18, format: 'text' },
        { header: '内容', width: 70, format: 'text' },
      ],
      hidden: true,
      protection: { unlockedColumns: [] },
    },
    rows: [
      row(LABELS.version, String(header.version)),
      row(LABELS.exportId, String(header.exportId)),
      row(LABELS.runId, String(header.runId)),
      row(LABELS.periodCode, header.periodCode),
      row(LABELS.uscc, header.uscc),
      row(LABELS.revision, String(header.revision)),
      row(LABELS.issuedAt, header.issuedAt),
      row(LABELS.algorithm, SIGNATURE_ALGORITHM),
      row(LABELS.signature, signature),
    ],
  };
}

function signatureMissing(fileName: string | undefined, why: string): DomainError {
  const file = fileName ? `文件 ${fileName} ` : '';
  return new DomainError(
    'APPEAL_SHEET_SIGNATURE_MISSING',
    `${fileName ? `${fileName}: ` : ''}no valid signature sheet (${why})`,
    `${file}没有完整的签名页（工作表“${SIGNATURE_SHEET_NAME}”），不是本系统导出的申诉评分表或签名页已被改动：请重新下载申诉评分表，只在黄色的申诉列填写`,
    [why],
  );
}

/**
 * The header and signature back from the signature sheet's rows (each row's cells as plain text,
 * any rows above or around them ignored). Refused with APPEAL_SHEET_SIGNATURE_MISSING when an
 * item is missing or malformed.
 */
export function readSignatureSheet(rows: readonly (readonly (string | null)[])[], fileName?: string): SignatureHeader & { signature: string } {
  const items = new Map<string, string>();
  for (const row of rows) {
    const label = row[0]?.trim();
    const value = row[1]?.trim();
    if (label && value && !items.has(label)) items.set(label, value);
  }
  const text = (label: string): string => {
    const value = items.get(label);
    if (value === undefined) throw signatureMissing(fileName, `item ${label} missing`);
    return value;
  };
  const whole = (label: string): number => {
    const value = text(label);
    if (!/^\d{1,15}$/.test(value)) throw signatureMissing(fileName, `item ${label} is not a whole number: ${value}`);
    return Number(value);
  };
  const version = items.get(LABELS.version) ?? '1';
  if (version !== '1') throw signatureMissing(fileName, `unknown signature format version ${version}`);
  const algorithm = text(LABELS.algorithm);
  if (algorithm !== SIGNATURE_ALGORITHM) throw signatureMissing(fileName, `unknown algorithm ${algorithm}`);
  const signature = text(LABELS.signature).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(signature)) throw signatureMissing(fileName, 'signature is not 64 hex digits');
  const issuedAt = text(LABELS.issuedAt);
  if (Number.isNaN(Date.parse(issuedAt))) throw signatureMissing(fileName, `export time is not an instant: ${issuedAt}`);
  return {
    version: 1,
    exportId: whole(LABELS.exportId),
    runId: whole(LABELS.runId),
    periodCode: text(LABELS.periodCode),
    uscc: text(LABELS.uscc),
    revision: whole(LABELS.revision),
    issuedAt,
    signature,
  };
}
