import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { DEFAULT_IMPORT_LIMITS, openSpreadsheet } from './spreadsheet-file.js';
import { scanTable, type ScanEvent } from './sheet-scan.js';

describe('reading workbooks with the streaming reader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-xlsx-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const sheetsOf = async (path: string) => {
    const file = await openSpreadsheet(path, DEFAULT_IMPORT_LIMITS);
    const result: { name: string; hidden: boolean; rows: unknown[][] }[] = [];
    for await (const sheet of file.sheets()) {
      const rows: unknown[][] = [];
      for await (const row of sheet.rows()) rows.push([row.number, ...row.cells]);
      result.push({ name: sheet.name, hidden: sheet.hidden, rows });
    }
    return result;
  };

  it('reads every sheet of a workbook with many sheets, whatever the order of its parts', async () => {
    // exceljs writes xl/workbook.xml last: its own streaming reader then loses parts from the sixth sheet on
    const workbook = new ExcelJS.Workbook();
    for (let i = 1; i <= 8; i++) workbook.addWorksheet(`表${i}`, { state: i === 8 ? 'hidden' : 'visible' }).addRow([`值${i}`, i]);
    const path = join(dir, 'many.xlsx');
    await workbook.xlsx.writeFile(path);
    const sheets = await sheetsOf(path);
    expect(sheets.map((s) => s.name)).toEqual(['表1', '表2', '表3', '表4', '表5', '表6', '表7', '表8']);
    expect(sheets[7]).toEqual({ name: '表8', hidden: true, rows: [[1, '值8', 8]] });
  });

  it('reads a streamed workbook with inline strings, dates and formulas (their cached results, never evaluated)', async () => {
    const path = join(dir, 'inline.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: true });
    for (let i = 1; i <= 7; i++) {
      const sheet = writer.addWorksheet(`S${i}`);
      const row = sheet.addRow(['文本', new Date(Date.UTC(2025, 2, 4, 9, 30)), { formula: 'B1+1', result: 3 }, { formula: 'NOW()' }]);
      row.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
      row.commit();
      sheet.commit();
    }
    await writer.commit();
    const sheets = await sheetsOf(path);
    expect(sheets).toHaveLength(7);
    expect(sheets[6].rows).toEqual([[1, '文本', new Date(Date.UTC(2025, 2, 4, 9, 30)), { formula: 'B1+1', result: 3 }, { formula: 'NOW()', result: null }]]);
  });

  it('finds the header below a title row, skips instructions and hidden sheets, and names unknown sheets', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['任意内容']);
    const fees = workbook.addWorksheet('物业费收缴');
    fees.addRow(['2025 年 3 月物业费收缴情况']);
    fees.addRow(['收费月份', '项目编码', '应收金额(元)', '实收金额（元）*', '应缴户数', '实缴户数', '备注']);
    fees.addRow(['2025-03', 'P1', 10, 5, 2, 1, '多余的列不导入']);
    fees.addRow([]);
    fees.addRow(['2025-04', 'P1', 10, 'x', 2, 1]);
    workbook.addWorksheet('隐藏', { state: 'hidden' }).addRow(['x']);
    workbook.addWorksheet('Sheet9').addRow(['y']);
    const path = join(dir, 'title.xlsx');
    await workbook.xlsx.writeFile(path);
    const events: ScanEvent[] = [];
    for await (const event of scanTable(await openSpreadsheet(path, DEFAULT_IMPORT_LIMITS), { timeZone: 'Asia/Shanghai', maxRows: 10 })) events.push(event);
    expect(
      events.map((e) =>
        e.type === 'row'
          ? [e.type, e.row.number, e.parsed.kind]
          : e.type === 'sheet'
            ? [e.type, e.layout.headerRow, e.preamble.length]
            : [e.type, e.fault.code],
      ),
    ).toEqual([
      ['sheet', 2, 1],
      ['row', 3, 'record'],
      ['row', 5, 'faulty'],
      ['fault', 'IMPORT_SHEET_UNKNOWN'],
    ]);
    const first = events[1] as Extract<ScanEvent, { type: 'row' }>;
    expect(first.parsed).toEqual({
      kind: 'record',
      values: { projectCode: 'P1', month: '2025-03', billedAmount: 10, collectedAmount: 5, householdsBilled: 2, householdsPaid: 1 },
    });
  });
});
