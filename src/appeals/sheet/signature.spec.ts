import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { DomainError } from '../../domain/errors.js';
import type { IndicatorLine } from '../../reports/indicator-lines.js';
import { anIndicatorLine } from '../../reports/indicator-lines.factory.js';
import { storedValue, type SheetRow, type SheetSpec } from '../../reports/sheet-model.js';
import { XlsxReportWriter } from '../../reports/xlsx-writer.js';
import { appealInstructionsSheet, appealScoresheetRow, appealScoresheetSpec } from './appeal-sheet.content.js';
import { readAppealWorkbook } from './appeal-workbook.reader.js';
import {
  SIGNATURE_SHEET_NAME,
  cellAddress,
  diffCells,
  normaliseCellValue,
  readSignatureSheet,
  signatureSheet,
  signedCellsOfSheets,
  signSheet,
  verifySheet,
  type MaterialSheet,
  type SignatureHeader,
  type SignedCell,
} from './signature.js';

const header: SignatureHeader = {
  version: 1,
  exportId: 12,
  runId: 7,
  periodCode: '2025',
  uscc: '91510100MA6C000001',
  revision: 0,
  issuedAt: '2026-01-05T02:00:00.000Z',
};
const SECRET = 'test-secret';

describe('normaliseCellValue', () => {
  it('treats empty cells as no cell', () => {
    for (const empty of [null, undefined, '', '   ', '\r\n', Number.NaN, Number.POSITIVE_INFINITY]) expect(normaliseCellValue(empty)).toBeNull();
  });

  it('gives the same number text for what a float or a re-save makes of one number', () => {
    for (const eight of [8, 8.0, 7.999999999999999, 8.000000001, 8.0000000001]) expect(normaliseCellValue(eight)).toBe('8');
    // JavaScript's shortest form, Excel's and LibreOffice's 15 digits, a 12-digit rounding
    for (const rate of [0.9523809523809523, 0.952380952380952, 0.952380952381]) expect(normaliseCellValue(rate)).toBe('0.9523809524');
    expect(normaliseCellValue(-0)).toBe('0');
    expect(normaliseCellValue(1e-20)).toBe('0');
    expect(normaliseCellValue(0.0001)).toBe('0.0001');
    expect(normaliseCellValue(1.5e-7)).toBe('1.5e-7');
    expect(normaliseCellValue(27.5)).toBe('27.5');
    expect(normaliseCellValue(-10)).toBe('-10');
    expect(normaliseCellValue(123456789012.5)).toBe('123456789013');
    expect(normaliseCellValue(8.00000001)).toBe('8.00000001');
    expect(normaliseCellValue(0.1 + 0.2)).toBe('0.3');
  });

  it('keeps a percentage the number it holds', () => {
    // 0.96 shown as 96.00% is still 0.96: number formats are not part of the value
    expect(normaliseCellValue(0.96)).toBe('0.96');
    expect(normaliseCellValue(0.9600000000000001)).toBe('0.96');
    expect(normaliseCellValue(96)).toBe('96');
  });

  it('writes dates as ISO dates, with the time when not midnight UTC', () => {
    expect(normaliseCellValue(new Date(Date.UTC(2026, 0, 20)))).toBe('2026-01-20');
    expect(normaliseCellValue(new Date(Date.UTC(2026, 0, 20, 0, 0, 0, 400)))).toBe('2026-01-20');
    expect(normaliseCellValue(new Date(Date.UTC(2026, 0, 20, 8, 30)))).toBe('2026-01-20T08:30:00Z');
    expect(normaliseCellValue(new Date(Number.NaN))).toBeNull();
  });

  it('unifies text forms: NFC, line ends, surrounding blanks, rich text and links', () => {
    expect(normaliseCellValue('Cafe\u0301')).toBe('Café');
    expect(normaliseCellValue('a\r\nb\rc\n')).toBe('a\nb\nc');
    expect(normaliseCellValue('  锦江花园 ')).toBe('锦江花园');
    expect(normaliseCellValue({ richText: [{ text: '锦江' }, { font: { bold: true }, text: '花园' }] })).toBe('锦江花园');
    expect(normaliseCellValue({ text: '证据', hyperlink: 'https://example.org/e.pdf' })).toBe('证据');
    expect(normaliseCellValue(true)).toBe('TRUE');
    expect(normaliseCellValue(false)).toBe('FALSE');
  });

  it('keeps numbers, formulas and errors apart from text that reads like them', () => {
    expect(normaliseCellValue('8')).toBe("'8");
    expect(normaliseCellValue('8')).not.toBe(normaliseCellValue(8));
    expect(normaliseCellValue('2026-01-20')).not.toBe(normaliseCellValue(new Date(Date.UTC(2026, 0, 20))));
    expect(normaliseCellValue('TRUE')).not.toBe(normaliseCellValue(true));
    expect(normaliseCellValue({ formula: 'SUM(J3:J9)', result: 27 })).toBe('=SUM(J3:J9)');
    expect(normaliseCellValue('=SUM(J3:J9)')).toBe("'=SUM(J3:J9)");
    expect(normaliseCellValue({ sharedFormula: 'J3', result: 27 })).toBe('=(J3)');
    expect(normaliseCellValue({ error: '#N/A' })).toBe('#N/A');
    expect(normaliseCellValue('#N/A')).toBe("'#N/A");
    // ordinary text starting with digits is not marked
    expect(normaliseCellValue('7-P0001-satisfaction')).toBe('7-P0001-satisfaction');
    expect(normaliseCellValue('2025年')).toBe('2025年');
  });
});

/** the measured rate as a float, as LibreOffice may shorten it */
const line = (over: Partial<IndicatorLine>): IndicatorLine =>
  anIndicatorLine({ mainValue: 0.9523809523809523, factsText: '满意率（计分用） 95.2381%；有效问卷数 42', ...over });

const LINES: IndicatorLine[] = [
  line({}),
  line({
    lineId: '7-P0001-fees',
    section: 'fees',
    sectionLabel: '物业费收缴',
    mainFact: 'feeCollectionRateByHousehold',
    mainValue: 0.96,
    points: 8,
    max: 15,
    evidence: '12 月数据\n见台账',
  }),
  line({
    lineId: '7-P0001-veto-fund',
    section: 'veto',
    sectionLabel: '一票否决',
    mainFact: 'maintenanceFundMisuses',
    mainValue: 1,
    points: null,
    max: null,
    factsText: '挪用专项维修资金',
  }),
];

function material(): MaterialSheet[] {
  const dated: SheetSpec = { name: '日期', title: '日期', columns: [{ header: '期限', width: 12, format: 'date' }] };
  return [
    appealInstructionsSheet({ title: '锦江物业 · 填写说明', appealDeadline: '2026-01-20', revision: 0 }),
    { spec: appealScoresheetSpec('=HYPERLINK("x") 锦江物业 · 评分明细'), rows: LINES.map(appealScoresheetRow) },
    { spec: dated, rows: [{ cells: ['2026-01-20'] }, { cells: ['not a date'] }] },
    { spec: { ...dated, name: '隐藏', hidden: true }, rows: [{ cells: ['2026-01-20'] }] },
  ];
}

describe('signedCellsOfSheets', () => {
  it('signs title, headers and data, without hidden sheets or the appeal columns', () => {
    const cells = signedCellsOfSheets(material());
    const at = (sheet: string, address: string) => cells.find((c) => c.sheet === sheet && c.address === address)?.value;
    expect(at('评分明细', 'A1')).toBe('\'=HYPERLINK("x") 锦江物业 · 评分明细');
    expect(at('评分明细', 'A2')).toBe('行号');
    expect(at('评分明细', 'M2')).toBe('申诉主张值');
    expect(at('评分明细', 'A3')).toBe('7-P0001-satisfaction');
    expect(at('评分明细', 'H3')).toBe('0.9523809524');
    expect(at('评分明细', 'J4')).toBe('8');
    expect(at('评分明细', 'L4')).toBe('12 月数据\n见台账');
    expect(cells.filter((c) => c.sheet === '评分明细' && /^[MNO]([3-9]|\d\d)$/.test(c.address))).toEqual([]);
    expect(at('日期', 'A3')).toBe('2026-01-20');
    expect(at('日期', 'A4')).toBe('not a date');
    expect(cells.some((c) => c.sheet === '隐藏')).toBe(false);
    // sheet, row, column order
    const order = cells.map((c) => c.sheet).filter((s, i, all) => all.indexOf(s) === i);
    expect(order).toEqual(['填写说明', '评分明细', '日期']);
  });

  it('stays the same when only the appeal columns are filled', () => {
    const filled = material().map((sheet, i) =>
      i === 1 ? { ...sheet, rows: sheet.rows.map((r: SheetRow) => ({ ...r, cells: [...r.cells.slice(0, 12), 0.99, '理由', '证据.pdf'] })) } : sheet,
    );
    expect(signedCellsOfSheets(filled)).toEqual(signedCellsOfSheets(material()));
  });
});

describe('signing', () => {
  const cells = signedCellsOfSheets(material());

  it('verifies what it signed, in any cell order, and nothing else', () => {
    const signature = signSheet(SECRET, header, cells);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verifySheet(SECRET, header, cells, signature)).toBe(true);
    expect(verifySheet(SECRET, header, [...cells].reverse(), signature)).toBe(true);
    expect(verifySheet('other secret', header, cells, signature)).toBe(false);
    expect(verifySheet(SECRET, { ...header, uscc: '91510100MA6C000002' }, cells, signature)).toBe(false);
    expect(verifySheet(SECRET, { ...header, revision: 1 }, cells, signature)).toBe(false);
    const changed = cells.map((c) => (c.address === 'J3' && c.sheet === '评分明细' ? { ...c, value: '30' } : c));
    expect(verifySheet(SECRET, header, changed, signature)).toBe(false);
    expect(verifySheet(SECRET, header, cells, 'not hex')).toBe(false);
    expect(verifySheet(SECRET, header, cells, signature.toUpperCase())).toBe(true);
  });

  it('names every added, removed and changed cell', () => {
    const actual: SignedCell[] = cells
      .filter((c) => !(c.sheet === '评分明细' && c.address === 'B3'))
      .map((c) => (c.sheet === '评分明细' && c.address === 'J3' ? { ...c, value: '30' } : c))
      .concat({ sheet: '评分明细', address: 'P3', value: '新增' });
    expect(diffCells(cells, actual)).toEqual([
      { sheet: '评分明细', address: 'B3', expected: 'P0001', actual: null },
      { sheet: '评分明细', address: 'J3', expected: '27', actual: '30' },
      { sheet: '评分明细', address: 'P3', expected: null, actual: '新增' },
    ]);
    expect(diffCells(cells, [...cells].reverse())).toEqual([]);
  });

  it('writes the header and signature in a hidden sheet and reads them back', () => {
    const signature = signSheet(SECRET, header, cells);
    const sheet = signatureSheet(header, signature);
    expect(sheet.spec.name).toBe(SIGNATURE_SHEET_NAME);
    expect(sheet.spec.hidden).toBe(true);
    const labels = sheet.rows.map((r) => r.cells[0]);
    expect(labels).toEqual(expect.arrayContaining(['导出编号', '考核运行', '考核周期', '统一社会信用代码', '修订版本', '导出时间', '签名算法', '签名']));
    const rows = [[sheet.spec.title], ['项目', '内容'], ...sheet.rows.map((r) => r.cells.map((c) => (c === null ? null : String(c))))];
    expect(readSignatureSheet(rows)).toEqual({ ...header, signature });
    expect(signedCellsOfSheets([sheet])).toEqual([]);
  });

  it('refuses a missing or malformed signature sheet', () => {
    const sheet = signatureSheet(header, signSheet(SECRET, header, cells));
    const rows = sheet.rows.map((r) => r.cells.map((c) => (c === null ? null : String(c))));
    const refused = (broken: (string | null)[][]) => {
      try {
        readSignatureSheet(broken, 'a.xlsx');
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe('APPEAL_SHEET_SIGNATURE_MISSING');
        expect((error as DomainError).messageZh).toContain('a.xlsx');
        return;
      }
      throw new Error('accepted');
    };
    refused([]);
    refused(rows.filter((r) => r[0] !== '签名'));
    refused(rows.map((r) => (r[0] === '签名' ? ['签名', 'abc'] : r)));
    refused(rows.map((r) => (r[0] === '导出编号' ? ['导出编号', '十二'] : r)));
    refused(rows.map((r) => (r[0] === '签名算法' ? ['签名算法', 'MD5'] : r)));
    refused(rows.map((r) => (r[0] === '导出时间' ? ['导出时间', 'yesterday'] : r)));
    refused(rows.map((r) => (r[0] === '签名格式版本' ? ['签名格式版本', '2'] : r)));
  });
});

describe('the signature over real files: shared and inline strings, re-saved numbers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redprop-signature-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The same sheets as a non-streaming exceljs Workbook writes them (shared strings), as another app might re-save them. */
  async function writeShared(path: string, sheets: readonly MaterialSheet[], resave: (value: unknown) => unknown): Promise<void> {
    const workbook = new ExcelJS.Workbook();
    for (const { spec, rows } of sheets) {
      const sheet = workbook.addWorksheet(spec.name, { state: spec.hidden ? 'hidden' : 'visible' });
      sheet.getCell(1, 1).value = resave(spec.title) as ExcelJS.CellValue;
      spec.columns.forEach((c, i) => (sheet.getCell(2, i + 1).value = resave(c.header) as ExcelJS.CellValue));
      rows.forEach((row, r) =>
        row.cells.forEach((value, i) => {
          const format = row.formats?.[i] ?? spec.columns[i]?.format ?? 'text';
          const stored = storedValue(value, format);
          if (stored.value === null) return;
          const cell = sheet.getCell(r + 3, i + 1);
          cell.value = resave(stored.value) as ExcelJS.CellValue;
          if (format === 'percent') cell.numFmt = '0.00%';
          if (format === 'date') cell.numFmt = 'yyyy-mm-dd';
        }),
      );
    }
    await workbook.xlsx.writeFile(path, { useSharedStrings: true });
  }

  it('reads identical normalised cells and the same signature from both', async () => {
    const sheets = material().filter((s) => !s.spec.hidden);
    const expected = signedCellsOfSheets(sheets);
    const signature = signSheet(SECRET, header, expected);
    const withSignature = [...sheets, signatureSheet(header, signature)];

    const inline = join(dir, 'inline.xlsx');
    const writer = XlsxReportWriter.open(inline);
    for (const s of withSignature) await writer.addSheet(s.spec, s.rows);
    await writer.close();

    // what a re-save may do: 15-digit or float-noise numbers, rich text runs, CR LF line ends
    const shared = join(dir, 'shared.xlsx');
    await writeShared(shared, withSignature, (value) => {
      if (value === 0.9523809523809523) return 0.952380952380952;
      if (value === 8) return 7.999999999999999;
      if (value === 0.96) return 0.9600000000000001;
      if (typeof value === 'string' && value.includes('\n')) return value.replace(/\n/g, '\r\n');
      if (value === '锦江花园') return { richText: [{ text: '锦江' }, { font: { bold: true }, text: '花园' }] };
      return value;
    });

    const fromInline = await readAppealWorkbook(inline);
    const fromShared = await readAppealWorkbook(shared);
    expect(fromInline.cells).toEqual(expected);
    expect(fromShared.cells).toEqual(fromInline.cells);
    expect(fromShared.signature).toEqual(fromInline.signature);
    expect(verifySheet(SECRET, fromInline.signature, fromInline.cells, fromInline.signature.signature)).toBe(true);
    expect(verifySheet(SECRET, fromShared.signature, fromShared.cells, fromShared.signature.signature)).toBe(true);
    expect(signSheet(SECRET, fromShared.signature, fromShared.cells)).toBe(signature);
    // the raw values differ, the normalised ones do not
    const raw = new ExcelJS.Workbook();
    await raw.xlsx.readFile(shared);
    expect(raw.getWorksheet('评分明细')!.getCell('H3').value).toBe(0.952380952380952);
    expect(raw.getWorksheet('评分明细')!.getCell('H4').value).toBe(0.9600000000000001);
    expect(raw.getWorksheet('日期')!.getCell('A3').value).toEqual(new Date(Date.UTC(2026, 0, 20)));
    expect(cellAddress(3, 8)).toBe('H3');
  });
});
