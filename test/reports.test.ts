import { EVERYTHING } from '../src/domain/access.js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { AssessmentService, type RunReport } from '../src/assessment/assessment.service.js';
import { IntakeService } from '../src/intake/intake.service.js';
import { LINE_ID_HEADER, SCORESHEET_SHEET_NAME } from '../src/reports/scoresheet.content.js';
import { looksLikeFormula } from '../src/reports/safe-text.js';
import { ReportsService, type WrittenReport } from '../src/reports/reports.service.js';
import { SeedService, type SeedOutcome } from '../src/seeding/seed.service.js';
import { createTestApp, testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { validUscc } from './support/factories.js';

/** A company name that a spreadsheet app would run as a formula if it were not kept as text. */
const HOSTILE = '=HYPERLINK("http://x","y")';

const SHEETS: Record<string, string[]> = {
  'street-annual': ['概况', '项目排名', '企业排名', '指标明细', '红黑榜', '诚信台账', '方法说明'],
  'company-scoresheet': ['企业汇总', SCORESHEET_SHEET_NAME, '项目汇总', '方法说明'],
  'monthly-bulletin': ['概况', '项目投诉排名', '项目收缴率排名', '企业排名', '名单变动', '说明'],
  'quarterly-dispatch': ['概况', '项目投诉排名', '项目收缴率排名', '企业排名', '名单变动', '说明'],
  'list-publication': ['红黑榜公示', '本期移出', '方法说明'],
};

async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/** Row 2 holds the headers (row 1 is the title). */
function headers(sheet: ExcelJS.Worksheet): string[] {
  return (sheet.getRow(2).values as unknown[]).slice(1).map(String);
}

/** The data rows of a sheet as objects keyed by header. */
function records(sheet: ExcelJS.Worksheet): Record<string, unknown>[] {
  const names = headers(sheet);
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, number) => {
    if (number <= 2) return;
    const values = (row.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(names.map((name, i) => [name, values[i] ?? null])));
  });
  return rows;
}

function everyCell(workbook: ExcelJS.Workbook, visit: (cell: ExcelJS.Cell, sheet: ExcelJS.Worksheet) => void): void {
  workbook.eachSheet((sheet) => sheet.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (cell) => visit(cell, sheet))));
}

describeEachBackend('report workbooks', ({ database }) => {
  let app: INestApplicationContext;
  let reports: ReportsService;
  let assessments: AssessmentService;
  let seeded: SeedOutcome;
  let published: RunReport;
  let written: WrittenReport[];
  let hostileUscc: string;
  const dir = mkdtempSync(join(tmpdir(), 'redprop-reports-'));
  const byKind = (kind: string) => written.filter((w) => w.kind === kind);

  beforeAll(async () => {
    app = await createTestApp(database(), testConfig({ reportsDir: dir }));
    reports = app.get(ReportsService);
    assessments = app.get(AssessmentService);
    seeded = await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    // the first planted red-list company gets a name that looks like a formula, before the assessment
    hostileUscc = seeded.planted.redListCompanies[0]!;
    await app.get(IntakeService).load({ companies: [{ record: { uscc: hostileUscc, name: HOSTILE, hasPartyOrg: true } }] }, { mode: 'merge' });
    published = await assessments.run({ period: '2025', streetCode: null, publish: true });
    written = await reports.writeYear(2025);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every kind under <reportsDir>/<period>/ with its sheets and headers, readable by exceljs', async () => {
    expect(new Set(written.map((w) => w.kind))).toEqual(new Set(Object.keys(SHEETS)));
    expect(byKind('monthly-bulletin')).toHaveLength(12);
    expect(byKind('quarterly-dispatch')).toHaveLength(4);
    expect(byKind('company-scoresheet')).toHaveLength(12);
    for (const report of written) {
      expect(basename(dirname(report.path))).toBe(report.period);
      expect(dirname(dirname(report.path))).toBe(dir);
      const workbook = await readWorkbook(report.path);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(SHEETS[report.kind]);
      for (const sheet of workbook.worksheets) {
        expect(headers(sheet).length).toBeGreaterThan(0);
        expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
        expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1, printTitlesRow: '1:2' });
      }
    }
    expect(readdirSync(join(dir, '2025')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('ranks projects by their stored totals, with stars as ★ and percentages formatted', async () => {
    const [annual] = byKind('street-annual').filter((w) => w.streetCode === null);
    const workbook = await readWorkbook(annual.path);
    const ranking = workbook.getWorksheet('项目排名')!;
    expect(headers(ranking).slice(0, 4)).toEqual(['排名', '项目编码', '项目名称', '物业服务企业']);
    const rows = records(ranking);
    expect(rows).toHaveLength(40);
    const { projects } = await assessments.companyResult(published.runId, hostileUscc, EVERYTHING);
    for (const p of projects) {
      const row = rows.find((r) => r['项目编码'] === p.code)!;
      expect(row['总分']).toBe(p.total);
      expect(row['物业服务企业']).toBe(HOSTILE);
      expect(row['星级']).toBe('★'.repeat(p.stars!));
    }
    const totals = rows.map((r) => r['总分'] as number);
    expect([...totals].sort((a, b) => b - a)).toEqual(totals);
    expect(rows[0]['排名']).toBe(1);

    const detail = records(workbook.getWorksheet('指标明细')!);
    const satisfaction = detail.find((r) => r['项目编码'] === projects[0].code && r['指标'] === '群众满意度')!;
    expect(satisfaction['得分']).toBe(projects[0].outcome.parts.find((p) => p.part === 'satisfaction')!.points);
    const rawCell = workbook.getWorksheet('指标明细')!.getRow(3).getCell(6);
    expect(rawCell.numFmt).toBe('0.00%');

    const companies = records(workbook.getWorksheet('企业排名')!);
    expect(companies.find((r) => r['统一社会信用代码'] === hostileUscc)).toMatchObject({ 物业服务企业: HOSTILE, 信用等级: 'AAA' });
    const lists = records(workbook.getWorksheet('红黑榜')!);
    expect(
      lists
        .filter((r) => r['名单'] === '红榜')
        .map((r) => r['统一社会信用代码'])
        .sort(),
    ).toEqual([...seeded.planted.redListCompanies].sort());
    expect(records(workbook.getWorksheet('诚信台账')!)).toHaveLength(published.summary.ledgerEntries!);
    const method = records(workbook.getWorksheet('方法说明')!);
    expect(method.find((r) => r['项目'] === '考核运行编号')!['数值']).toBe(published.runId);
    expect(method.find((r) => r['项目'] === '规则集指纹')!['说明']).toBe(published.ruleSet.fingerprint);
  });

  it('limits a street report to that street', async () => {
    const streets = byKind('street-annual').filter((w) => w.streetCode !== null);
    expect(streets).toHaveLength(2);
    const total = (
      await Promise.all(
        streets.map(async (w) => {
          const rows = records((await readWorkbook(w.path)).getWorksheet('项目排名')!);
          expect(new Set(rows.map((r) => r['街道'])).size).toBe(1);
          return rows.length;
        }),
      )
    ).reduce((a, b) => a + b, 0);
    expect(total).toBe(40);
  });

  it('publishes the planted red and black lists with reasons, clauses and dates', async () => {
    const rows = records((await readWorkbook(byKind('list-publication')[0].path)).getWorksheet('红黑榜公示')!);
    const red = rows.filter((r) => r['名单'] === '红榜');
    expect(red.map((r) => r['统一社会信用代码']).sort()).toEqual([...seeded.planted.redListCompanies].sort());
    expect(red.find((r) => r['统一社会信用代码'] === hostileUscc)).toMatchObject({ 物业服务企业: HOSTILE, 本期情况: '本期新列入' });
    const black = rows.filter((r) => r['名单'] === '黑榜').map((r) => r['统一社会信用代码']);
    expect(black).toEqual(expect.arrayContaining([...seeded.planted.blackListCompanies, seeded.planted.vetoCompany]));
    for (const r of rows) {
      expect(r['列入原因']).toEqual(expect.any(String));
      expect(r['依据条款']).toEqual(expect.any(String));
      expect((r['列入日期'] as Date).toISOString().slice(0, 10)).toBe('2025-12-31');
      expect(r['最长期限至']).toBeInstanceOf(Date);
    }
  });

  it('gives the company score sheet one row per indicator line with a unique line id', async () => {
    const report = byKind('company-scoresheet').find((w) => w.companyUscc === hostileUscc)!;
    const workbook = await readWorkbook(report.path);
    const sheet = workbook.getWorksheet(SCORESHEET_SHEET_NAME)!;
    expect(headers(sheet)[0]).toBe(LINE_ID_HEADER);
    const rows = records(sheet);
    const ids = rows.map((r) => r[LINE_ID_HEADER] as string);
    expect(new Set(ids).size).toBe(ids.length);
    const { projects } = await assessments.companyResult(published.runId, hostileUscc, EVERYTHING);
    for (const p of projects) {
      expect(ids).toContain(`${published.runId}-${p.code}-satisfaction`);
      const lines = rows.filter((r) => r['项目编码'] === p.code);
      const points = lines.reduce((sum, r) => sum + ((r['得分'] as number | null) ?? 0), 0);
      expect(Math.round(points * 100) / 100).toBeCloseTo(p.total! + (p.outcome.bonus.raw - p.outcome.bonus.capped), 2);
    }
    const summary = records(workbook.getWorksheet('企业汇总')!);
    expect(summary.find((r) => r['项目'] === '物业服务企业')!['说明']).toBe(HOSTILE);
  });

  it('marks the best and worst of the monthly bulletin with fills', async () => {
    const report = byKind('monthly-bulletin').find((w) => w.period === '2025-12')!;
    const sheet = (await readWorkbook(report.path)).getWorksheet('项目收缴率排名')!;
    const fills: Record<string, string | undefined> = {};
    sheet.eachRow((row, number) => {
      if (number <= 2) return;
      const mark = row.getCell(12).value as string | null;
      if (mark) fills[mark] = (row.getCell(2).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
    });
    expect(fills['收缴最好']).toBe('FFC6EFCE');
    expect(fills['收缴最差']).toBe('FFFFC7CE');
    expect(sheet.getRow(3).getCell(8).numFmt).toBe('0.00%');
    // the lists moved on 2025-12-31, when 2025 was published: the December bulletin shows it
    const movements = records((await readWorkbook(report.path)).getWorksheet('名单变动')!);
    expect(
      movements
        .filter((r) => r['变动'] === '列入')
        .map((r) => r['统一社会信用代码'])
        .sort(),
    ).toEqual([...seeded.planted.redListCompanies, ...seeded.planted.blackListCompanies, seeded.planted.vetoCompany].sort());
  });

  it('writes the formula-like company name as literal text in every report, and no cell anywhere is a formula', async () => {
    expect(looksLikeFormula(HOSTILE)).toBe(true);
    const kindsWithName = new Set<string>();
    for (const report of written) {
      const workbook = await readWorkbook(report.path);
      let found = 0;
      everyCell(workbook, (cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        expect(cell.formula).toBeUndefined();
        if (cell.value === HOSTILE) {
          found++;
          expect(cell.type).toBe(ExcelJS.ValueType.String);
          expect(cell.numFmt).toBe('@');
        }
      });
      const concernsIt = report.kind !== 'company-scoresheet' || report.companyUscc === hostileUscc;
      const street =
        report.streetCode === null ||
        (await assessments.companyResult(published.runId, hostileUscc, EVERYTHING)).projects.some((p) => p.outcome.streetCode === report.streetCode);
      if (concernsIt && street) {
        expect({ report: basename(report.path), found: found > 0 }).toEqual({ report: basename(report.path), found: true });
        kindsWithName.add(report.kind);
      }
    }
    expect(kindsWithName).toEqual(new Set(Object.keys(SHEETS)));
  });

  it('refuses what it cannot make, with coded errors and no file', async () => {
    await expect(reports.write({ kind: 'street-annual', period: '2024' }, EVERYTHING)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    await expect(reports.write({ kind: 'street-annual', period: '2025', streetCode: '999999999' }, EVERYTHING)).rejects.toMatchObject({
      code: 'STREET_UNKNOWN',
    });
    await expect(reports.write({ kind: 'company-scoresheet', period: '2025', companyUscc: validUscc(987654) }, EVERYTHING)).rejects.toMatchObject({
      code: 'COMPANY_UNKNOWN',
    });
    await expect(reports.write({ kind: 'monthly-bulletin', period: '2025' }, EVERYTHING)).rejects.toMatchObject({ code: 'REPORT_PERIOD_KIND' });
    const draft = await assessments.run({ period: '2025-H1', streetCode: null, publish: false });
    await expect(reports.write({ kind: 'list-publication', period: '2025-H1' }, EVERYTHING)).rejects.toMatchObject({ code: 'RUN_NOT_PUBLISHED' });
    const annual = await reports.write({ kind: 'street-annual', period: '2025-H1' }, EVERYTHING);
    expect(annual.runId).toBe(draft.runId);
    expect(
      readdirSync(dir)
        .filter((d) => d.startsWith('2025-H'))
        .sort(),
    ).toEqual(['2025-H1']);
    expect(readdirSync(dir).sort()).toEqual([
      '2025',
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2025-H1',
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
    ]);
  });
});

describeEachBackend('report workbooks compared with the previous period', ({ database }) => {
  let app: INestApplicationContext;
  const dir = mkdtempSync(join(tmpdir(), 'redprop-reports-previous-'));
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("compares with the previous period's published run", async () => {
    // the half-years published in order (lists move forward in time: 2025-H1 may not follow 2025)
    app = await createTestApp(database(), testConfig({ reportsDir: dir }));
    const assessments = app.get(AssessmentService);
    const seeded = await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    const uscc = seeded.planted.redListCompanies[0];
    const h1 = await assessments.run({ period: '2025-H1', streetCode: null, publish: true });
    await assessments.run({ period: '2025-H2', streetCode: null, publish: true });
    const report = await app.get(ReportsService).write({ kind: 'street-annual', period: '2025-H2' }, EVERYTHING);
    const workbook = await readWorkbook(report.path);
    const overview = records(workbook.getWorksheet('概况')!);
    const item = (name: string) => overview.find((r) => r['项目'] === name)?.['数值'] as number;
    expect(overview.find((r) => r['项目'] === '上期考核运行')!['说明']).toContain(`#${h1.runId}`);
    expect(item('星级上升的项目') + item('星级持平的项目') + item('星级下降的项目') + item('本期新参评的项目')).toBe(40 - item('不参评项目'));
    const ranking = workbook.getWorksheet('项目排名')!;
    expect(headers(ranking)).toEqual(expect.arrayContaining(['上期总分', '上期星级']));
    const { projects } = await assessments.companyResult(h1.runId, uscc, EVERYTHING);
    const row = records(ranking).find((r) => r['项目编码'] === projects[0].code)!;
    expect(row['上期总分']).toBe(projects[0].total);
  });
});
