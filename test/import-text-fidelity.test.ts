import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { communities, companies, projects, streets } from '../src/db/schema.js';
import { sheetSpecOfKind } from '../src/intake/excel/families.js';
import { SpreadsheetImportService } from '../src/intake/excel/spreadsheet-import.service.js';
import { IntakeService } from '../src/intake/intake.service.js';
import type { CommunityRecord, CompanyRecord, ProjectRecord, StreetRecord } from '../src/intake/records.js';
import { createTestApp, testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { aCommunity, aCompany, aProject, aStreet, validUscc } from './support/factories.js';
import { encodeGbk, randomGbkText, randomText, seededRandom } from './support/random-text.js';
import { rowOf } from './support/spreadsheets.js';

/**
 * Imports never change a character: random names written by other tools are stored byte for byte.
 * The exceljs 4.4 stream reader the import used to rely on turned a character that a 16 KiB
 * inflate chunk split into U+FFFD (exceljs#2084); the first test shows this corpus meets that case.
 */
const WORKBOOKS = 200;
const PROJECTS_PER_WORKBOOK = 150;
const CSV_FILES = 50;

type Master = { streets: StreetRecord[]; communities: CommunityRecord[]; companies: CompanyRecord[]; projects: ProjectRecord[] };

/** Workbook `n`'s master data: the same codes every time, new random names. */
function masterOf(n: number): Master {
  const random = seededRandom(1000 + n);
  const name = () => randomText(random, 1, 60);
  const street = aStreet({ name: name() });
  const community = aCommunity({ name: name() });
  const company = aCompany({ uscc: validUscc(1), name: name() });
  const other = aCompany({ uscc: validUscc(2), name: name(), hasPartyOrg: false });
  return {
    streets: [street],
    communities: [community],
    companies: [company, other],
    projects: Array.from({ length: PROJECTS_PER_WORKBOOK }, (_, i) =>
      aProject({ code: `XM${String(i + 1).padStart(8, '0')}`, name: name(), companyUscc: i % 2 === 0 ? company.uscc : other.uscc }),
    ),
  };
}

type Form = 'shared strings' | 'inline strings' | 'absolute targets';
const formOf = (n: number): Form => (['shared strings', 'inline strings', 'absolute targets'] as const)[n % 3];

/** The master workbook as exceljs's streaming writer writes it; in the absolute-target form, rewritten as openpyxl lays it out. */
async function writeWorkbook(path: string, master: Master, form: Form): Promise<void> {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: form !== 'inline strings', useStyles: true });
  const sheets: [keyof Master, Parameters<typeof sheetSpecOfKind>[0]][] = [
    ['streets', 'streets'],
    ['communities', 'communities'],
    ['companies', 'companies'],
    ['projects', 'projects'],
  ];
  for (const [key, kind] of sheets) {
    const spec = sheetSpecOfKind(kind);
    const sheet = writer.addWorksheet(spec.sheet);
    sheet.addRow(spec.columns.map((c) => c.header)).commit();
    for (const record of master[key]) sheet.addRow(rowOf(spec, record)).commit();
    sheet.commit();
  }
  await writer.commit();
  if (form === 'absolute targets') await absoluteTargets(path);
}

async function absoluteTargets(path: string): Promise<void> {
  const zip = await JSZip.loadAsync(await readFile(path));
  const rels = 'xl/_rels/workbook.xml.rels';
  const text = await zip.file(rels)!.async('string');
  const absolute = text.replace(/Target="(?!\/)([^"]+)"/g, 'Target="/xl/$1"');
  expect(absolute).toContain('Target="/xl/worksheets/sheet1.xml"');
  zip.file(rels, absolute);
  const root = await zip.file('_rels/.rels')!.async('string');
  zip.file('_rels/.rels', root.replace('Target="xl/workbook.xml"', 'Target="/xl/workbook.xml"'));
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
}

const allNames = (m: Master) => [...m.streets, ...m.communities, ...m.companies, ...m.projects].map((r) => r.name);

describe('the corpus of the text fidelity test', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-fidelity-corpus-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('corrupts text when read with exceljs 4.4 stream reader (the defect this guards against)', async () => {
    let corrupted = 0;
    for (let n = 0; n < 12; n++) {
      const master = masterOf(n);
      const path = join(dir, `${n}.xlsx`);
      await writeWorkbook(path, master, formOf(n) === 'inline strings' ? 'inline strings' : 'shared strings');
      const written = new Set(allNames(master));
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
        sharedStrings: 'cache',
        worksheets: 'emit',
        styles: 'ignore',
        hyperlinks: 'ignore',
        entries: 'ignore',
      });
      for await (const sheet of reader) {
        for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
          const value = (row.values as unknown[])[2];
          if (typeof value === 'string' && row.number > 1 && !written.has(value)) corrupted++;
        }
      }
    }
    expect(corrupted).toBeGreaterThan(0);
  });
});

describeEachBackend('imports keep every character', ({ database }) => {
  let app: INestApplicationContext;
  let importer: SpreadsheetImportService;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-fidelity-'));
    app = await createTestApp(database(), testConfig({ reportsDir: join(dir, 'reports') }));
    importer = app.get(SpreadsheetImportService);
    await app.get(IntakeService).load({}, { mode: 'replace' });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function storedNames(): Promise<Map<string, string>> {
    const db = database().db;
    const rows = [
      ...(await db.select({ key: streets.code, name: streets.name }).from(streets)).map((r) => ({ ...r, key: `street:${r.key}` })),
      ...(await db.select({ key: communities.code, name: communities.name }).from(communities)).map((r) => ({ ...r, key: `community:${r.key}` })),
      ...(await db.select({ key: companies.uscc, name: companies.name }).from(companies)).map((r) => ({ ...r, key: `company:${r.key}` })),
      ...(await db.select({ key: projects.code, name: projects.name }).from(projects)).map((r) => ({ ...r, key: `project:${r.key}` })),
    ];
    return new Map(rows.map((r) => [r.key, r.name]));
  }
  const expectedNames = (m: Master) =>
    new Map([
      ...m.streets.map((r) => [`street:${r.code}`, r.name] as const),
      ...m.communities.map((r) => [`community:${r.code}`, r.name] as const),
      ...m.companies.map((r) => [`company:${r.uscc}`, r.name] as const),
      ...m.projects.map((r) => [`project:${r.code}`, r.name] as const),
    ]);

  /** Compares what is stored with what was written, as UTF-8 bytes; returns how many strings were checked. */
  async function expectStoredByteForByte(expected: Map<string, string>, source: string): Promise<number> {
    const stored = await storedNames();
    for (const [key, name] of expected) {
      const actual = stored.get(key);
      if (actual === undefined || !Buffer.from(actual).equals(Buffer.from(name))) {
        throw new Error(`${source}: ${key} was written as ${JSON.stringify(name)} and stored as ${JSON.stringify(actual)}`);
      }
    }
    return expected.size;
  }

  it(`stores every name of ${WORKBOOKS} workbooks (exceljs streaming writer: shared strings, inline strings, absolute part targets) byte for byte`, async () => {
    let checked = 0;
    const forms = new Map<Form, number>();
    for (let n = 0; n < WORKBOOKS; n++) {
      const master = masterOf(n);
      const form = formOf(n);
      const path = join(dir, `master-${n}.xlsx`);
      await writeWorkbook(path, master, form);
      const outcome = await importer.importFile(path);
      expect(outcome.counts).toEqual({ streets: 1, communities: 1, companies: 2, projects: PROJECTS_PER_WORKBOOK });
      checked += await expectStoredByteForByte(expectedNames(master), `workbook ${n} (${form})`);
      forms.set(form, (forms.get(form) ?? 0) + 1);
      await rm(path);
    }
    expect(checked).toBe(WORKBOOKS * (PROJECTS_PER_WORKBOOK + 4));
    console.log(
      `text fidelity: ${checked.toLocaleString('en')} strings from ${WORKBOOKS} workbooks (${[...forms].map(([f, k]) => `${k} ${f}`).join(', ')}) stored byte for byte`,
    );
  });

  it(`stores every name of ${CSV_FILES} CSV files in UTF-8 (with and without BOM) and ${CSV_FILES} in GBK byte for byte`, async () => {
    const spec = sheetSpecOfKind('projects');
    const csvField = (value: unknown) => {
      const text = value === null || value === undefined ? '' : String(value);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const { streets, communities, companies } = masterOf(0);
    const sourced = <T>(records: T[]) => records.map((record) => ({ record }));
    await app.get(IntakeService).load({ streets: sourced(streets), communities: sourced(communities), companies: sourced(companies) }, { mode: 'merge' });
    let checked = 0;
    for (let n = 0; n < 2 * CSV_FILES; n++) {
      const gbk = n % 2 === 1;
      const random = seededRandom(5000 + n);
      const rows = Array.from({ length: PROJECTS_PER_WORKBOOK }, (_, i) =>
        aProject({
          code: `XM${String(i + 1).padStart(8, '0')}`,
          name: gbk ? randomGbkText(random, 1, 60) : randomText(random, 1, 60),
          companyUscc: validUscc(1 + (i % 2)),
        }),
      );
      const lines = [spec.columns.map((c) => c.header), ...rows.map((r) => rowOf(spec, r))].map((cells) => cells.map(csvField).join(','));
      const text = `${lines.join('\r\n')}\r\n`;
      const path = join(dir, `projects-${n}.csv`);
      await writeFile(path, gbk ? encodeGbk(text) : n % 4 === 0 ? `\ufeff${text}` : text);
      expect((await importer.importFile(path)).counts).toEqual({ projects: PROJECTS_PER_WORKBOOK });
      checked += await expectStoredByteForByte(new Map(rows.map((r) => [`project:${r.code}`, r.name])), `CSV ${n} (${gbk ? 'GBK' : 'UTF-8'})`);
    }
    console.log(`text fidelity: ${checked.toLocaleString('en')} strings from ${2 * CSV_FILES} CSV files (UTF-8 and GBK) stored byte for byte`);
  });
});
