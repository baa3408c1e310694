import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import request from 'supertest';
import { createHttpApp } from '../src/api/http-app.js';
import { AppealSheetService } from '../src/appeals/appeal-sheet.service.js';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import { ApiKeysService } from '../src/auth/api-keys.service.js';
import { DatabaseAdminService } from '../src/db/database-admin.service.js';
import { EVERYTHING } from '../src/domain/access.js';
import { DomainError } from '../src/domain/errors.js';
import { SCORESHEET_SHEET_NAME } from '../src/reports/scoresheet.content.js';
import { SpreadsheetImportService } from '../src/intake/excel/spreadsheet-import.service.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { deflatedRepeat, handMadeXlsx, zipOf, type ZipEntrySpec } from './support/zip.js';

const MB = 1024 * 1024;
const SST = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
const SHARED_STRINGS_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings';

/** The growth of this process's resident memory while `work` runs, sampled every few milliseconds. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ outcome: T | undefined; error: unknown; growthMb: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  let outcome: T | undefined;
  let error: unknown;
  try {
    outcome = await work();
  } catch (caught) {
    error = caught;
  } finally {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  return { outcome, error, growthMb: Math.round((peak - base) / MB) };
}

/** The bombs, each as the zip entry of the part that carries it. */
const BOMBS: { name: string; code: string; entry: () => Omit<ZipEntrySpec, 'name'> }[] = [
  {
    // the directory says 4 KB; it inflates to 3 GB (3,072 × 1 MB of shared strings, 3.2 MB compressed)
    name: 'declared size lies (3 GB real)',
    code: 'IMPORT_FILE_UNREADABLE',
    entry: () => {
      const bomb = deflatedRepeat(SST, `<si><t>${'物'.repeat(340)}</t></si>`.repeat(1024), 3072, '</sst>');
      return { content: '', data: bomb.data, declaredSize: 4096, method: 'deflate', crc: 0 };
    },
  },
  {
    // no last block: it inflates on for as long as anyone reads (here: one text that never closes),
    // and it declares less than the shared strings may take, so that it is read
    name: 'deflate stream that never ends',
    code: 'IMPORT_FILE_UNREADABLE',
    entry: () => {
      const bomb = deflatedRepeat(`${SST}<si><t>`, 'A'.repeat(MB), 2048, '', false);
      return { content: '', data: bomb.data, declaredSize: 40 * MB, method: 'deflate', crc: 0 };
    },
  },
  {
    // honest about its size, under the file's budget, but no workbook has that many shared strings
    name: 'shared strings that declare 900 MB honestly',
    code: 'IMPORT_FILE_TOO_LARGE',
    entry: () => {
      const bomb = deflatedRepeat(SST, `<si><t>${'A'.repeat(100)}</t></si>`.repeat(8192), 900, '</sst>');
      return { content: '', data: bomb.data, declaredSize: bomb.size, method: 'deflate', crc: 0 };
    },
  },
];

describeEachBackend('hostile files', ({ database }) => {
  let app: INestApplication;
  let dir: string;
  let companyUscc: string;
  let companyKey: string;
  const counts = async () => JSON.stringify(await app.get(DatabaseAdminService).countRows());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redprop-hostile-'));
    app = await createHttpApp({ config: testConfig({ reportsDir: join(dir, 'reports') }), database: database() }, false);
    await app.init();
    const seeded = await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    await app.get(AssessmentService).run({ period: '2025', streetCode: null, publish: true });
    companyUscc = seeded.planted.redListCompanies[0]!;
    companyKey = (await app.get(ApiKeysService).create({ name: '企业', role: 'company', uscc: companyUscc, createdBy: 'test' })).key;
  });
  afterAll(() => app.close());

  /** A workbook whose shared strings part is the bomb; its sheet refers to one of them. */
  const importBomb = (bomb: (typeof BOMBS)[number]) => {
    const path = join(dir, `${bomb.code}-${BOMBS.indexOf(bomb)}.xlsx`);
    writeFileSync(
      path,
      handMadeXlsx({
        sheets: [{ name: '街道', sheetData: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' }],
        sharedStrings: ['<si><t>x</t></si>'],
        entries: { 'xl/sharedStrings.xml': bomb.entry() },
      }),
    );
    return path;
  };

  it.each(BOMBS.map((b) => [b.name, b] as const))('refuses an import whose %s, within bounded memory, writing nothing', async (_, bomb) => {
    const path = importBomb(bomb);
    const before = await counts();
    const { error, growthMb } = await rssGrowth(() => app.get(SpreadsheetImportService).importFile(path));
    console.log(
      `hostile import (${bomb.name}, ${(readFileSync(path).length / MB).toFixed(1)} MB file): ${(error as DomainError).code}, RSS growth ${growthMb} MB`,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(bomb.code);
    expect(JSON.stringify((error as DomainError).details) + (error as DomainError).message).toContain('sharedStrings.xml');
    expect(growthMb).toBeLessThan(300);
    expect(await counts()).toBe(before);
  });

  it('refuses a sheet cut off mid-row whole, writing none of the rows before the cut', async () => {
    const rows = Array.from(
      { length: 12 },
      (_, i) =>
        `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>S${1000 + i}</t></is></c><c r="B${i + 2}" t="inlineStr"><is><t>街道${i}</t></is></c></row>`,
    ).join('');
    const whole = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>街道编码</t></is></c><c r="B1" t="inlineStr"><is><t>街道名称</t></is></c></row>${rows}</sheetData></worksheet>`;
    const path = join(dir, 'truncated.xlsx');
    writeFileSync(path, handMadeXlsx({ sheets: [{ name: '街道', sheetData: '', partXml: whole.slice(0, whole.indexOf('<row r="9">') + 30) }] }));
    const before = await counts();
    const { error, growthMb } = await rssGrowth(() => app.get(SpreadsheetImportService).importFile(path));
    console.log(`hostile import (truncated sheet): ${(error as DomainError).code}, RSS growth ${growthMb} MB`);
    expect((error as DomainError).code).toBe('IMPORT_FILE_UNREADABLE');
    expect((error as DomainError).message).toContain('xl/worksheets/sheet1.xml');
    expect(await counts()).toBe(before);
  });

  it('takes an upload whose name is 300 characters long, giving it back shortened in the message', async () => {
    const bureauKey = (await app.get(ApiKeysService).create({ name: '区住建局', role: 'bureau', createdBy: 'test' })).key;
    const name = `${'草堂街道满意度调查'.repeat(34)}.xlsx`;
    const response = await request(app.getHttpServer())
      .post('/intake/upload')
      .set('Authorization', `Bearer ${bureauKey}`)
      .attach('file', Buffer.from('not a workbook'), name);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('IMPORT_FILE_UNREADABLE');
    expect(response.body.messageZh).toMatch(/草堂街道满意度调查.*…\.xlsx/);
  });

  it('takes back an appeal sheet to which a comment was added', async () => {
    const exported = await app.get(AppealSheetService).exportSheet({ period: '2025', uscc: companyUscc, actor: 'test' }, EVERYTHING);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(exported.path);
    const sheet = workbook.getWorksheet(SCORESHEET_SHEET_NAME)!;
    const headers = Array.from(sheet.getRow(2).values as unknown[], (v) => String(v ?? ''));
    sheet.getRow(3).getCell(headers.indexOf('申诉理由')).value = '收费台账有误';
    sheet.getRow(3).getCell(headers.indexOf('申诉理由')).note = '附件见邮件';
    const path = join(dir, 'commented.xlsx');
    await workbook.xlsx.writeFile(path);
    const names = Object.keys((await JSZip.loadAsync(readFileSync(path))).files);
    expect(names.some((n) => n.startsWith('xl/comments'))).toBe(true);
    const appeal = await app.get(AppealSheetService).importSheet({ path, actor: 'test' }, { kind: 'company', uscc: companyUscc });
    expect(appeal.lines).toHaveLength(1);
  });

  it('stays up through three concurrent bombs to POST /appeals from a company key, and answers /health after', async () => {
    // the company's own sheet, as downloaded, with a shared strings part added that is a bomb
    const exported = await app.get(AppealSheetService).exportSheet({ period: '2025', uscc: companyUscc, actor: 'test' }, EVERYTHING);
    const zip = await JSZip.loadAsync(readFileSync(exported.path));
    const entries: ZipEntrySpec[] = [];
    for (const [name, file] of Object.entries(zip.files)) {
      if (file.dir) continue;
      let content = await file.async('string');
      if (name === 'xl/_rels/workbook.xml.rels')
        content = content.replace('</Relationships>', `<Relationship Id="rIdBomb" Type="${SHARED_STRINGS_TYPE}" Target="sharedStrings.xml"/></Relationships>`);
      entries.push({ name, content, method: 'deflate' });
    }
    const bombs = BOMBS.map((bomb, i) => {
      const path = join(dir, `appeal-bomb-${i}.xlsx`);
      writeFileSync(path, zipOf([...entries, { name: 'xl/sharedStrings.xml', ...bomb.entry() }]));
      return path;
    });

    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const upload = async (path: string) => {
      const form = new FormData();
      form.append('file', new Blob([readFileSync(path)]), 'sheet.xlsx');
      const response = await fetch(`${base}/appeals`, { method: 'POST', headers: { Authorization: `Bearer ${companyKey}` }, body: form });
      return { status: response.status, body: (await response.json()) as { code: string }, retryAfter: response.headers.get('retry-after') };
    };
    const before = await counts();
    const { outcome: answers, growthMb } = await rssGrowth(() => Promise.all(bombs.map(upload)));
    console.log(`three concurrent appeal bombs: ${JSON.stringify(answers!.map((a) => `${a.status} ${a.body.code}`))}, RSS growth ${growthMb} MB`);
    for (const answer of answers!) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      if (answer.status === 429) expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      else expect(answer.body.code).toMatch(/^(APPEAL_SHEET_UNREADABLE|APPEAL_SHEET_TOO_LARGE|IMPORT_FILE_TOO_LARGE)$/);
    }
    expect(growthMb).toBeLessThan(300);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await counts()).toBe(before);
  });
});
