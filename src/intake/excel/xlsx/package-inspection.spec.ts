import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handMadeXlsx, type HandMadeWorkbook } from '../../../../test/support/zip.js';
import { inspectPackage, type PackageFinding } from './package-inspection.js';
import { ZipArchive } from './zip-archive.js';

const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const sheetRels = (...relationships: string[]) => ({
  name: 'xl/worksheets/_rels/sheet1.xml.rels',
  content: `<Relationships xmlns="${RELS}">${relationships.join('')}</Relationships>`,
});

describe('what a workbook carries besides cells', () => {
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-inspect-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const findings = async (extra: Partial<HandMadeWorkbook>) => {
    const path = join(dir, `${++n}.xlsx`);
    await writeFile(path, handMadeXlsx({ sheets: [{ name: 'S', sheetData: '' }], ...extra }));
    const archive = await ZipArchive.open(path, { maxPartBytes: 1 << 20, maxTotalBytes: 1 << 22 });
    try {
      const found: PackageFinding[] = [];
      await inspectPackage(archive, (f) => found.push(f));
      return found;
    } finally {
      archive.close();
    }
  };

  it('finds nothing in a plain workbook, nor in one with a web hyperlink', async () => {
    expect(await findings({})).toEqual([]);
    expect(
      await findings({
        extraParts: [sheetRels(`<Relationship Id="rId1" Type="${DOC}/hyperlink" Target="https://www.example.gov.cn/" TargetMode="External"/>`)],
      }),
    ).toEqual([]);
  });

  it('finds an Excel 4.0 macro sheet by its content type, its path and its relationship', async () => {
    expect(await findings({ extraParts: [{ name: 'xl/macrosheets/sheet1.xml', content: '<xm:macrosheet/>' }] })).toEqual([
      { kind: 'macros', part: 'xl/macrosheets/sheet1.xml' },
    ]);
    expect(
      await findings({
        contentTypes: '<Override PartName="/xl/other/m.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
        extraParts: [{ name: 'xl/other/m.xml', content: '<x/>' }],
      }),
    ).toEqual([{ kind: 'macros', part: 'xl/other/m.xml' }]);
    expect(
      await findings({
        extraParts: [
          sheetRels('<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="../m/sheet1.xml"/>'),
        ],
      }),
    ).toEqual([{ kind: 'macros', part: 'xl/worksheets/_rels/sheet1.xml.rels' }]);
  });

  it('finds ActiveX controls and OLE objects', async () => {
    expect(await findings({ extraParts: [{ name: 'xl/activeX/activeX1.xml', content: '<ax/>' }] })).toEqual([
      { kind: 'active-content', part: 'xl/activeX/activeX1.xml' },
    ]);
    expect(
      await findings({
        contentTypes: '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>',
        extraParts: [{ name: 'xl/stuff/oleObject1.bin', content: 'x' }],
      }),
    ).toEqual([{ kind: 'active-content', part: 'xl/stuff/oleObject1.bin' }]);
  });

  it('finds a relationship to outside the file anywhere but a hyperlink, and external workbook links', async () => {
    expect(
      await findings({ extraParts: [sheetRels(`<Relationship Id="rId2" Type="${DOC}/image" Target="http://tracker.example/p.png" TargetMode="External"/>`)] }),
    ).toEqual([{ kind: 'external', part: 'xl/worksheets/_rels/sheet1.xml.rels', target: 'http://tracker.example/p.png' }]);
    expect(await findings({ extraParts: [{ name: 'xl/externalLinks/externalLink1.xml', content: '<externalLink/>' }] })).toEqual([
      { kind: 'external', part: 'xl/externalLinks/externalLink1.xml', target: '' },
    ]);
  });
});
