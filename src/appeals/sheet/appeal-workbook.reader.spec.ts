import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { DomainError } from '../../domain/errors.js';
import { parsePeriod } from '../../domain/period.js';
import type { IndicatorLine } from '../../reports/indicator-lines.js';
import { anIndicatorLine } from '../../reports/indicator-lines.factory.js';
import { UNLOCKED_FILL, XlsxReportWriter } from '../../reports/xlsx-writer.js';
import { appealInstructionsSheet, appealScoresheetRow, appealScoresheetSpec } from './appeal-sheet.content.js';
import { readAppealWorkbook } from './appeal-workbook.reader.js';
import { noticeSheet } from './notice.content.js';
import { diffCells, signatureSheet, signedCellsOfSheets, signSheet, verifySheet, type MaterialSheet, type SignatureHeader } from './signature.js';

const SECRET = 'reader-secret';
const header: SignatureHeader = {
  version: 1,
  exportId: 3,
  runId: 7,
  periodCode: '2025',
  uscc: '91510100MA6C000001',
  revision: 0,
  issuedAt: '2026-01-05T02:00:00.000Z',
};

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
    mainValue: 0.8,
    points: 8,
    max: 15,
    evidence: '12 月数据\n见台账',
  }),
  line({
    lineId: '7-P0001-party-branch',
    section: 'party',
    sectionLabel: '党建引领',
    mainFact: 'hasPartyBranch',
    mainValue: false,
    factsText: '小区建立党支部 否',
    points: 0,
    max: 2,
  }),
  line({
    lineId: '7-91510100MA6C000001-veto-fund',
    projectCode: null,
    projectName: null,
    section: 'veto',
    sectionLabel: '一票否决',
    mainFact: 'maintenanceFundMisuses',
    mainValue: 1,
    factsText: '挪用专项维修资金',
    points: null,
    max: null,
  }),
];

const sheets: MaterialSheet[] = [
  appealInstructionsSheet({ title: '锦江物业 · 填写说明', appealDeadline: '2026-01-20', revision: 0 }),
  { spec: appealScoresheetSpec('锦江物业 · 评分明细'), rows: LINES.map(appealScoresheetRow) },
  noticeSheet({
    company: { name: '锦江物业', uscc: header.uscc },
    period: parsePeriod('2025')!,
    runId: 7,
    revision: 0,
    publishedOn: '2026-01-05',
    appealDeadline: '2026-01-20',
    rectificationDeadline: '2026-02-04',
    lines: LINES,
  }),
];
const expected = signedCellsOfSheets(sheets);
const signature = signSheet(SECRET, header, expected);

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('appeal workbook: written protected and signed, read back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redprop-appeal-reader-'));
  const exported = join(dir, 'exported.xlsx');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    const writer = XlsxReportWriter.open(exported);
    for (const s of [...sheets, signatureSheet(header, signature)]) await writer.addSheet(s.spec, s.rows);
    await writer.close();
  });

  /** Opens the exported file with exceljs as a company's spreadsheet app would, edits it and saves it as `name`. */
  async function edited(name: string, edit: (workbook: ExcelJS.Workbook) => void): Promise<string> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(exported);
    edit(workbook);
    const path = join(dir, name);
    await workbook.xlsx.writeFile(path);
    return path;
  }

  it('protects the sheets, unlocks and fills yellow only the appeal cells, hides the signature', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(exported);
    expect(workbook.worksheets.map((w) => [w.name, w.state])).toEqual([
      ['填写说明', 'visible'],
      ['评分明细', 'visible'],
      ['告知单', 'visible'],
      ['签名', 'hidden'],
    ]);
    for (const w of workbook.worksheets) {
      const protection = (w as unknown as { sheetProtection: Record<string, unknown> | null }).sheetProtection;
      expect(protection).toMatchObject({ sheet: true, autoFilter: true, formatColumns: true });
      expect(protection?.hashValue).toBeUndefined();
      expect(protection?.sort).toBeUndefined();
    }
    const score = workbook.getWorksheet('评分明细')!;
    for (let row = 3; row < 3 + LINES.length; row++) {
      for (const column of ['M', 'N', 'O']) {
        const cell = score.getCell(`${column}${row}`);
        expect(cell.value).toBeNull();
        expect(cell.protection).toMatchObject({ locked: false });
        expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe(UNLOCKED_FILL);
      }
      expect(score.getCell(`A${row}`).protection?.locked ?? true).toBe(true);
    }
    expect(score.getCell('M3').numFmt).toBe('0.00%');
    expect(score.getCell('M5').numFmt).toBe('@');
    expect(score.getCell('A3').numFmt).toBe('@');
    expect(score.getCell('M7').protection?.locked ?? true).toBe(true);
    // the veto row keeps its black fill outside the appeal columns
    expect((score.getCell('A6').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFBFBFBF');
  });

  it('reads the signature and the signed cells of the file as exported', async () => {
    const book = await readAppealWorkbook(exported);
    expect(book.fileName).toBe('exported.xlsx');
    expect(book.signature).toEqual({ ...header, signature });
    expect(book.cells).toEqual(expected);
    expect(book.lines).toEqual([]);
    expect(verifySheet(SECRET, book.signature, book.cells, book.signature.signature)).toBe(true);
  });

  it('reads the filled appeal lines; filling them keeps the signature valid', async () => {
    const path = await edited('filled.xlsx', (workbook) => {
      const score = workbook.getWorksheet('评分明细')!;
      score.getCell('M3').value = 0.97;
      score.getCell('N3').value = '问卷漏录';
      score.getCell('O3').value = { text: '问卷.xlsx', hyperlink: 'https://example.org/q.xlsx' };
      score.getCell('N4').value = { richText: [{ text: '收费' }, { text: '漏报' }] };
      score.getCell('M5').value = '是';
      score.getCell('M6').value = { formula: '0+1', result: 1 };
      score.getCell('M7').value = { formula: '1-1' };
    });
    const book = await readAppealWorkbook(path);
    // M7 is below the data rows: locked on the sheet, yet typed in (protection lifted); a line without an id
    expect(verifySheet(SECRET, book.signature, book.cells, book.signature.signature)).toBe(true);
    expect(book.lines).toEqual([
      { row: 3, lineId: '7-P0001-satisfaction', claimed: 0.97, reason: '问卷漏录', evidence: '问卷.xlsx' },
      { row: 4, lineId: '7-P0001-fees', claimed: null, reason: '收费漏报', evidence: null },
      { row: 5, lineId: '7-P0001-party-branch', claimed: '是', reason: null, evidence: null },
      { row: 6, lineId: '7-91510100MA6C000001-veto-fund', claimed: 1, reason: null, evidence: null },
      // below the lines, and a formula without a result
      { row: 7, lineId: '', claimed: '=1-1', reason: null, evidence: null },
    ]);
  });

  it('finds every changed cell outside the appeal columns', async () => {
    const path = await edited('tampered.xlsx', (workbook) => {
      const score = workbook.getWorksheet('评分明细')!;
      score.getCell('J3').value = 30;
      score.getCell('N3').value = '理由';
      score.getCell('P3').value = '多写一格';
      workbook.getWorksheet('告知单')!.getCell('E8').value = null;
      workbook.addWorksheet('新表').getCell('A1').value = 1;
    });
    const book = await readAppealWorkbook(path);
    expect(verifySheet(SECRET, book.signature, book.cells, book.signature.signature)).toBe(false);
    expect(diffCells(expected, book.cells)).toEqual([
      { sheet: '评分明细', address: 'J3', expected: '27', actual: '30' },
      { sheet: '告知单', address: 'E8', expected: '27 / 30（失 3 分）', actual: null },
      { sheet: '评分明细', address: 'P3', expected: null, actual: '多写一格' },
      { sheet: '新表', address: 'A1', expected: null, actual: '1' },
    ]);
  });

  it('does not sign the signature sheet as a cell, but signs its content through the header', async () => {
    const path = await edited('other-company.xlsx', (workbook) => {
      const sheet = workbook.getWorksheet('签名')!;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === '统一社会信用代码') row.getCell(2).value = '91510100MA6C000002';
      });
    });
    const book = await readAppealWorkbook(path);
    expect(book.signature.uscc).toBe('91510100MA6C000002');
    expect(book.cells).toEqual(expected);
    expect(verifySheet(SECRET, book.signature, book.cells, book.signature.signature)).toBe(false);
  });

  it('refuses what is not an appeal sheet, with coded errors naming the file', async () => {
    const csv = join(dir, 'sheet.csv');
    writeFileSync(csv, 'a,b\n');
    expect((await refusal(readAppealWorkbook(csv))).code).toBe('APPEAL_SHEET_UNREADABLE');
    const garbage = join(dir, 'garbage.xlsx');
    writeFileSync(garbage, 'not a zip at all, just text that pretends to be a workbook');
    const unreadable = await refusal(readAppealWorkbook(garbage));
    expect(unreadable.code).toBe('APPEAL_SHEET_UNREADABLE');
    expect(unreadable.messageZh).toContain('garbage.xlsx');
    const macro = join(dir, 'macro.xlsm');
    copyFileSync(exported, macro);
    expect((await refusal(readAppealWorkbook(macro))).code).toBe('IMPORT_MACROS_REFUSED');

    const unsigned = await edited('unsigned.xlsx', (workbook) => workbook.removeWorksheet(workbook.getWorksheet('签名')!.id));
    const missing = await refusal(readAppealWorkbook(unsigned));
    expect(missing.code).toBe('APPEAL_SHEET_SIGNATURE_MISSING');
    expect(missing.messageZh).toContain('unsigned.xlsx');

    const noScore = await edited('no-score.xlsx', (workbook) => (workbook.getWorksheet('评分明细')!.name = '明细'));
    expect((await refusal(readAppealWorkbook(noScore))).code).toBe('APPEAL_SHEET_SCORESHEET_MISSING');

    const renamed = await edited('renamed-column.xlsx', (workbook) => (workbook.getWorksheet('评分明细')!.getCell('N2').value = '理由'));
    const column = await refusal(readAppealWorkbook(renamed));
    expect(column.code).toBe('APPEAL_SHEET_SCORESHEET_MISSING');
    expect(column.messageZh).toContain('申诉理由');
    expect(column.messageZh).toContain('renamed-column.xlsx');
  });
});
