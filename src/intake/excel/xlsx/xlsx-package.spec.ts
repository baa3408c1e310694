import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { handMadeXlsx, zipOf, type HandMadeWorkbook } from '../../../../test/support/zip.js';
import { XlsxPackage, resolveTarget, relationshipsPartOf, type XlsxRow } from './xlsx-package.js';
import { ZipReadError } from './zip-archive.js';

const BUDGET = { maxPartBytes: 10 * 1024 * 1024, maxTotalBytes: 20 * 1024 * 1024 };

describe('reading a SpreadsheetML package', () => {
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-xlsx-package-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const fileOf = async (bytes: Buffer) => {
    const path = join(dir, `${++n}.xlsx`);
    await writeFile(path, bytes);
    return path;
  };
  const read = async (spec: HandMadeWorkbook | Buffer) => {
    const pkg = await XlsxPackage.open(await fileOf(Buffer.isBuffer(spec) ? spec : handMadeXlsx(spec)), BUDGET);
    try {
      const sheets: { name: string; hidden: boolean; rows: XlsxRow[] }[] = [];
      for (const sheet of await pkg.sheets()) {
        const rows: XlsxRow[] = [];
        for await (const row of pkg.rows(sheet)) rows.push(row);
        sheets.push({ name: sheet.name, hidden: sheet.hidden, rows });
      }
      return sheets;
    } finally {
      pkg.close();
    }
  };

  it('resolves relative and absolute part names, and the rels part of a part', () => {
    expect(resolveTarget('xl/workbook.xml', 'worksheets/sheet1.xml')).toBe('xl/worksheets/sheet1.xml');
    expect(resolveTarget('xl/workbook.xml', '/xl/worksheets/sheet1.xml')).toBe('xl/worksheets/sheet1.xml');
    expect(resolveTarget('xl/workbook.xml', '../customXml/item1.xml')).toBe('customXml/item1.xml');
    expect(resolveTarget('', 'xl/workbook.xml')).toBe('xl/workbook.xml');
    expect(resolveTarget('xl/workbook.xml', 'worksheets/%E8%A1%A81.xml')).toBe('xl/worksheets/表1.xml');
    expect(relationshipsPartOf('xl/workbook.xml')).toBe('xl/_rels/workbook.xml.rels');
  });

  const sheetData = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>内联</t></is></c></row>';
  const sharedStrings = ['<si><t>共享</t></si>'];
  const expected = [{ name: '表一', hidden: false, rows: [{ number: 1, cells: ['共享', null, '内联'] }] }];

  it.each([
    ['relative targets, workbook first', { targets: 'relative' }],
    ['absolute targets (openpyxl)', { targets: 'absolute' }],
    ['sheets before the workbook in the zip (Excel, exceljs)', { sheetsFirst: true }],
    ['stored, not deflated', { method: 'store' }],
    ['a workbook part elsewhere than xl/workbook.xml', { workbookPart: 'book/main.xml', targets: 'absolute' }],
  ] as const)('opens %s', async (_, layout) => {
    expect(await read({ sheets: [{ name: '表一', sheetData }], sharedStrings, ...layout })).toEqual(expected);
  });

  it('reads rich text without phonetic runs, _x escapes, booleans, errors, formulas and their cached results', async () => {
    const sheets = await read({
      sharedStrings: [
        '<si><r><rPr><b/></rPr><t>锦江</t></r><r><t xml:space="preserve"> 小区</t></r><rPh sb="0" eb="2"><t>ジンジャン</t></rPh></si>',
        '<si><t>行一_x000D_\n行二</t></si>',
      ],
      sheets: [
        {
          name: 'S',
          sheetData:
            '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c>' +
            '<c r="E2"><f>1+2</f><v>3</v></c><c r="F2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="G2"><f t="shared" si="0"/></c><c r="H2" t="e"><f>1/0</f><v>#DIV/0!</v></c>' +
            '<c r="I2" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c></row>',
        },
      ],
    });
    expect(sheets[0].rows).toEqual([
      {
        number: 2,
        cells: [
          '锦江 小区',
          '行一\r\n行二',
          true,
          { error: '#N/A' },
          { formula: '1+2', result: 3 },
          { formula: '"a"&"b"', result: 'ab' },
          { formula: '', result: null },
          { formula: '1/0', result: { error: '#DIV/0!' } },
          '富文本',
        ],
      },
    ]);
  });

  it('reads dates by the cell format (built-in, custom and Chinese), the 1904 system, and t="d"', async () => {
    const styles = {
      numFmts: '<numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot; hh:mm"/>',
      cellXfs: '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="2"/>',
    };
    const data =
      '<row r="1"><c r="A1" s="1"><v>45720</v></c><c r="B1" s="2"><v>45720.395833333336</v></c><c r="C1" s="3"><v>45720</v></c><c r="D1" t="d"><v>2025-03-04T09:30:00</v></c></row>';
    const [plain] = await read({ styles, sheets: [{ name: 'S', sheetData: data }] });
    expect(plain.rows[0].cells).toEqual([new Date(Date.UTC(2025, 2, 4)), new Date(Date.UTC(2025, 2, 4, 9, 30)), 45720, new Date(Date.UTC(2025, 2, 4, 9, 30))]);
    const [in1904] = await read({ styles, date1904: true, sheets: [{ name: 'S', sheetData: '<row r="1"><c r="A1" s="1"><v>44258</v></c></row>' }] });
    expect(in1904.rows[0].cells).toEqual([new Date(Date.UTC(2025, 2, 4))]);
  });

  it('numbers rows and cells that leave out their r attribute, keeps hidden states and the workbook order', async () => {
    const sheets = await read({
      sheets: [
        {
          name: '乙',
          sheetData:
            '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row r="4"><c r="B4"><v>2</v></c><c><v>3</v></c></row><row><c><v>4</v></c></row>',
        },
        { name: '甲', state: 'veryHidden', sheetData: '' },
      ],
      sheetsFirst: true,
    });
    expect(sheets).toEqual([
      {
        name: '乙',
        hidden: false,
        rows: [
          { number: 1, cells: ['a', 1] },
          { number: 4, cells: [null, 2, 3] },
          { number: 5, cells: [4] },
        ],
      },
      { name: '甲', hidden: true, rows: [] },
    ]);
  });

  it('refuses a sheet cut off mid-row, naming its part, rather than reading the rows before the cut', async () => {
    const partXml = '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2';
    await expect(read({ sheets: [{ name: 'S', sheetData: '', partXml }] })).rejects.toThrow(/xl\/worksheets\/sheet1\.xml: .*unclosed/i);
  });

  it('refuses a deflate stream that is cut short and a part whose CRC does not match', async () => {
    const partXml = '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>';
    const sheets = [{ name: 'S', sheetData: '', partXml }];
    const part = 'xl/worksheets/sheet1.xml';
    await expect(read({ sheets, entries: { [part]: { data: deflateRawSync(partXml).subarray(0, 20) } } })).rejects.toThrow(ZipReadError);
    await expect(read({ sheets, entries: { [part]: { crc: 12345 } } })).rejects.toThrow(/CRC-32/);
  });

  it('refuses two sheets on one part, a cell of more text than a cell holds, and a zip of too many entries', async () => {
    const doc = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const rels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${doc}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${doc}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
    const shared = {
      sheets: [
        { name: 'A', sheetData: '' },
        { name: 'B', sheetData: '' },
      ],
      entries: { 'xl/_rels/workbook.xml.rels': { content: rels } },
    };
    await expect(read(shared)).rejects.toThrow(/two sheets refer to the part xl\/worksheets\/sheet1\.xml/);
    const split = Array.from({ length: 40 }, () => 'x'.repeat(8000)).join('<x/>');
    await expect(read({ sheets: [{ name: 'S', sheetData: `<row r="1"><c r="A1"><v>${split}</v></c></row>` }] })).rejects.toThrow(/holds more than/);
    const many = Array.from({ length: 10_001 }, (_, i) => ({ name: `p/${i}.xml`, content: 'x' }));
    await expect(read(zipOf(many))).rejects.toThrow(/10001 entries/);
  });

  it('refuses a shared-string index that does not exist', async () => {
    await expect(
      read({ sharedStrings: ['<si><t>a</t></si>'], sheets: [{ name: 'S', sheetData: '<row r="1"><c r="A1" t="s"><v>7</v></c></row>' }] }),
    ).rejects.toThrow(/shared string 7/);
  });
});
