import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DatabaseAdminService } from '../src/db/database-admin.service.js';
import { eq } from 'drizzle-orm';
import { complaintTickets, projects } from '../src/db/schema.js';
import { DomainError } from '../src/domain/errors.js';
import { FAULT_FILL } from '../src/intake/excel/error-workbook.js';
import { ERROR_COLUMN, FAMILIES, FAMILY_NAMES, LISTS_SHEET, SUMMARY_SHEET, type FamilyName, type SheetSpec } from '../src/intake/excel/families.js';
import { ImportRejectedError } from '../src/intake/excel/import-errors.js';
import { SpreadsheetImportService } from '../src/intake/excel/spreadsheet-import.service.js';
import { TemplateService } from '../src/intake/excel/template.service.js';
import { IntakeService } from '../src/intake/intake.service.js';
import { createTestApp, testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { filledTemplate as fillTemplate, familySheet, rowOf } from './support/spreadsheets.js';
import { storedZip } from './support/zip.js';
import { aCommunity, aComplaint, aCompany, aFee, aPartyCheck, aProject, aRating, aStreet, aSurveyAnswer, anEvent, validUscc } from './support/factories.js';

const spec = familySheet;

describeEachBackend('spreadsheet templates and import', ({ database }) => {
  let app: INestApplicationContext;
  let importer: SpreadsheetImportService;
  let templates: TemplateService;
  let intake: IntakeService;
  let admin: DatabaseAdminService;
  let dir: string;
  const counts = async () => Object.fromEntries((await admin.countRows()).map((c) => [c.table, c.rows]));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-import-'));
    app = await createTestApp(database(), testConfig({ reportsDir: join(dir, 'reports') }));
    importer = app.get(SpreadsheetImportService);
    templates = app.get(TemplateService);
    intake = app.get(IntakeService);
    admin = app.get(DatabaseAdminService);
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => intake.load({}, { mode: 'replace' }));

  const filledTemplate = (family: FamilyName, name: string, rows: Record<string, unknown[][]>) => fillTemplate(templates, dir, family, name, rows);

  const masterRows = () => ({
    街道: [rowOf(spec('master', 0), aStreet())],
    社区: [rowOf(spec('master', 1), aCommunity())],
    物业服务企业: [rowOf(spec('master', 2), aCompany())],
    物业项目: [rowOf(spec('master', 3), aProject())],
  });

  async function importMasters(): Promise<void> {
    await importer.importFile(await filledTemplate('master', '基础信息.xlsx', masterRows()));
  }

  it('writes templates that open in exceljs with headers, instructions, drop-downs, formats and a frozen header', async () => {
    await importMasters();
    for (const family of FAMILY_NAMES) {
      const path = join(dir, `t-${family}.xlsx`);
      const outcome = await templates.writeTemplate(family, path);
      expect(outcome.codeLists).toEqual({ streets: 1, communities: 1, companies: 1, projects: 1 });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(path);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['说明', ...FAMILIES[family].sheets.map((s) => s.sheet), LISTS_SHEET]);
      expect(workbook.getWorksheet(LISTS_SHEET)!.state).toBe('hidden');
      const instructions = workbook.getWorksheet('说明')!;
      const described: string[] = [];
      instructions.eachRow((row) => described.push(String(row.getCell(2).value ?? '')));
      for (const sheetSpec of FAMILIES[family].sheets) {
        const sheet = workbook.getWorksheet(sheetSpec.sheet)!;
        expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(sheetSpec.columns.map((c) => c.header));
        expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
        for (const column of sheetSpec.columns) expect(described).toContain(column.header);
      }
    }

    const complaints = new ExcelJS.Workbook();
    await complaints.xlsx.readFile(join(dir, 't-complaints.xlsx'));
    const sheet = complaints.getWorksheet('投诉工单')!;
    const lists = complaints.getWorksheet(LISTS_SHEET)!;
    // 诉求类别: the Chinese labels from the hidden list sheet; 项目编码: the stored codes
    const category = sheet.getCell('F2').dataValidation;
    expect(category).toMatchObject({ type: 'list', showErrorMessage: true, errorStyle: 'stop' });
    const listValues = (formula: string) => {
      const [, column, last] = /\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)$/.exec(formula)!;
      const values: unknown[] = [];
      for (let row = 2; row <= Number(last); row++) values.push(lists.getCell(`${column}${row}`).value);
      return values;
    };
    expect(listValues(category.formulae[0] as string)).toEqual(['环境卫生', '秩序安全', '维修养护', '绿化养护', '停车管理', '收费争议', '服务态度', '其他']);
    expect(listValues(sheet.getCell('B2').dataValidation.formulae[0] as string)).toEqual(['XM00000001']);
    expect(sheet.getCell('G2').dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    expect(sheet.getColumn(3).numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(sheet.getColumn(1).numFmt).toBe('@');

    const events = new ExcelJS.Workbook();
    await events.xlsx.readFile(join(dir, 't-events.xlsx'));
    expect(events.getWorksheet('加减分事件')!.getColumn(5).numFmt).toBe('yyyy-mm-dd');
    const kinds = events.getWorksheet('加减分事件')!.getCell('B2').dataValidation;
    expect(kinds.type).toBe('list');
  });

  it('imports a filled template of every family, stores its rows, and importing the same files again changes nothing', async () => {
    const files: string[] = [];
    files.push(await filledTemplate('master', 'master.xlsx', masterRows()));
    files.push(
      await filledTemplate('surveys', 'surveys.xlsx', {
        满意度调查: [1, 2, 3].map((q) => rowOf(spec('surveys'), aSurveyAnswer({ questionNo: q, answer: q + 2 }))),
      }),
    );
    files.push(
      await filledTemplate('complaints', 'complaints.xlsx', {
        投诉工单: [
          rowOf(spec('complaints'), aComplaint()),
          rowOf(spec('complaints'), aComplaint({ ticketNo: 'T2025-0000002', respondedAt: null, resolvedAt: null, resolved: false, revisitVerdict: null })),
        ],
      }),
    );
    files.push(await filledTemplate('fees', 'fees.xlsx', { 物业费收缴: [rowOf(spec('fees'), aFee()), rowOf(spec('fees'), aFee({ month: '2025-04' }))] }));
    files.push(
      await filledTemplate('party', 'party.xlsx', {
        党建指标: [
          rowOf(spec('party'), aPartyCheck({ scope: null as never })),
          rowOf(spec('party'), aPartyCheck({ indicatorCode: 'joint_meetings', period: '2025-03', value: 2 })),
          rowOf(
            spec('party'),
            aPartyCheck({ scope: 'company', projectCode: null, companyUscc: validUscc(1), indicatorCode: 'company_party_activities', value: 6 }),
          ),
        ],
      }),
    );
    files.push(
      await filledTemplate('events', 'events.xlsx', {
        加减分事件: [
          rowOf(spec('events'), { ...anEvent(), occurredOn: new Date(Date.UTC(2025, 4, 12)) }),
          rowOf(spec('events'), anEvent({ eventNo: 'E2025-000002', kind: 'honour', honourLevel: 'city', projectCode: null })),
        ],
      }),
    );
    files.push(
      await filledTemplate('ratings', 'ratings.xlsx', {
        三方互评: [rowOf(spec('ratings'), aRating()), rowOf(spec('ratings'), aRating({ raterRole: 'community_party_org', rating: 4 }))],
      }),
    );

    const outcomes = [];
    for (const file of files) outcomes.push(await importer.importFile(file));
    expect(outcomes.map((o) => o.counts)).toEqual([
      { streets: 1, communities: 1, companies: 1, projects: 1 },
      { surveyAnswers: 3 },
      { complaints: 2 },
      { fees: 2 },
      { partyChecks: 3 },
      { events: 2 },
      { ratings: 2 },
    ]);
    expect(outcomes[0].masters).toEqual({
      streets: { added: 1, updated: 0 },
      communities: { added: 1, updated: 0 },
      companies: { added: 1, updated: 0 },
      projects: { added: 1, updated: 0 },
    });
    const first = await counts();
    expect(first).toMatchObject({
      streets: 1,
      communities: 1,
      companies: 1,
      projects: 1,
      survey_answers: 3,
      complaint_tickets: 2,
      fee_records: 2,
      party_checks: 3,
      credit_events: 2,
      three_party_ratings: 2,
    });
    // a time typed in the sheet is Beijing time: 2025-03-04 09:30 is 01:30 UTC
    const tickets = await database().db.select().from(complaintTickets);
    const ticket = tickets.find((t) => t.ticketNo === 'T2025-0000001')!;
    expect(ticket.receivedAt.toISOString()).toBe('2025-03-04T01:30:00.000Z');

    for (const file of files) await importer.importFile(file);
    expect(await counts()).toEqual(first);
    const again = await importer.importFile(files[0]);
    expect(again.masters.projects).toEqual({ added: 0, updated: 1 });
  });

  it('a file with faults in several rows writes nothing and yields an error workbook naming each fault', async () => {
    await importMasters();
    const before = await counts();
    // one workbook with three data sheets, built from scratch: sheets are recognised by name
    const workbook = new ExcelJS.Workbook();
    const sheetOf = (s: SheetSpec) => {
      const sheet = workbook.addWorksheet(s.sheet);
      sheet.addRow(s.columns.map((c) => c.header));
      return sheet;
    };
    const surveys = sheetOf(spec('surveys'));
    surveys.addRow(rowOf(spec('surveys'), aSurveyAnswer()));
    surveys.addRow(rowOf(spec('surveys'), aSurveyAnswer({ questionNo: 2, answer: 9 })));
    const fees = sheetOf(spec('fees'));
    fees.addRow(rowOf(spec('fees'), aFee()));
    fees.addRow(rowOf(spec('fees'), aFee({ month: '2025-04', collectedAmount: 130000 })));
    fees.addRow(rowOf(spec('fees'), aFee({ month: '2025-05', projectCode: 'XM99999999' })));
    fees.addRow(rowOf(spec('fees'), { ...aFee({ month: '2025-06' }), householdsPaid: '四百三十一' }));
    fees.addRow(rowOf(spec('fees'), { ...aFee({ month: '2025-07' }), billedAmount: { formula: 'C2*2' } }));
    fees.addRow(rowOf(spec('fees'), { ...aFee({ month: '2025-08' }), billedAmount: { formula: '100000+20000', result: 120000 } }));
    const complaints = sheetOf(spec('complaints'));
    complaints.addRow([...rowOf(spec('complaints'), aComplaint()).slice(0, 2), '2025-13-45 10:00', ...rowOf(spec('complaints'), aComplaint()).slice(3)]);
    const path = join(dir, '街道汇总.xlsx');
    await workbook.xlsx.writeFile(path);

    const error = await importer.importFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRejectedError);
    const rejected = error as ImportRejectedError;
    expect(rejected.code).toBe('IMPORT_REJECTED');
    expect(rejected.category).toBe('bad_input');
    expect(rejected.errorWorkbook).toBe(join(dir, 'reports', 'import-errors', '街道汇总.错误.xlsx'));
    expect(rejected.details[0]).toContain(rejected.errorWorkbook);
    expect(rejected.totalFaults).toBe(6);
    expect(await counts()).toEqual(before);

    const result = new ExcelJS.Workbook();
    await result.xlsx.readFile(rejected.errorWorkbook);
    expect(result.worksheets.map((s) => s.name)).toEqual([SUMMARY_SHEET, '满意度调查', '物业费收缴', '投诉工单']);
    const note = (sheet: string, row: number) => {
      const ws = result.getWorksheet(sheet)!;
      const column = (ws.getRow(1).values as unknown[]).indexOf(ERROR_COLUMN);
      return String(ws.getCell(row, column).value ?? '');
    };
    expect(note('满意度调查', 2)).toBe('');
    expect(note('满意度调查', 3)).toContain('【答案】答案应为 1 至 5 的整数，实际为“9”（ANSWER_OUT_OF_RANGE）');
    expect(note('物业费收缴', 2)).toBe('');
    expect(note('物业费收缴', 3)).toContain('【实收金额（元）】实收金额 130000 大于应收金额 120000（COLLECTED_EXCEEDS_BILLED）');
    expect(note('物业费收缴', 4)).toContain('【项目编码】项目编码“XM99999999”不存在（UNKNOWN_PROJECT）');
    expect(note('物业费收缴', 5)).toContain('【实缴户数】“实缴户数”应为数字，实际为“四百三十一”（CELL_NOT_NUMBER）');
    expect(note('物业费收缴', 6)).toContain('【应收金额（元）】“应收金额（元）”单元格含公式，请粘贴为数值（CELL_FORMULA）');
    expect(note('物业费收缴', 7)).toBe('');
    expect(note('投诉工单', 2)).toContain('【受理时间】“受理时间”应为日期时间（如 2025-03-04 09:30），实际为“2025-13-45 10:00”（CELL_DATETIME_INVALID）');

    const feeSheet = result.getWorksheet('物业费收缴')!;
    expect(feeSheet.getCell('D3').fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: FAULT_FILL } });
    expect(feeSheet.getCell('C3').fill?.type === 'pattern' && (feeSheet.getCell('C3').fill as ExcelJS.FillPattern).fgColor?.argb).not.toBe(FAULT_FILL);
    // every row is there, as it was; no formula is written back
    expect(feeSheet.getCell('A7').value).toBe('XM00000001');
    expect(feeSheet.getCell('C7').value).toBe(120000);
    expect(feeSheet.getCell('C6').value).toBe('=C2*2');
    expect(feeSheet.getCell('C6').formula).toBeUndefined();

    const summary = result.getWorksheet(SUMMARY_SHEET)!;
    expect(String(summary.getCell('A1').value)).toContain('共 6 处错误');
    const codes: string[] = [];
    summary.eachRow((row) => codes.push(String(row.getCell(1).value)));
    expect(codes).toEqual(
      expect.arrayContaining([
        'ANSWER_OUT_OF_RANGE',
        'COLLECTED_EXCEEDS_BILLED',
        'UNKNOWN_PROJECT',
        'CELL_NOT_NUMBER',
        'CELL_FORMULA',
        'CELL_DATETIME_INVALID',
      ]),
    );

    // the corrected error workbook imports as it is
    const fix = new ExcelJS.Workbook();
    await fix.xlsx.readFile(rejected.errorWorkbook);
    fix.getWorksheet('满意度调查')!.getCell('E3').value = 4;
    const f = fix.getWorksheet('物业费收缴')!;
    f.getCell('D3').value = 120000;
    f.getCell('A4').value = 'XM00000001';
    f.getCell('F5').value = 431;
    f.getCell('C6').value = 120000;
    fix.getWorksheet('投诉工单')!.getCell('C2').value = '2025-03-04 09:30';
    const fixed = join(dir, '街道汇总-改正.xlsx');
    await fix.xlsx.writeFile(fixed);
    const outcome = await importer.importFile(fixed);
    expect(outcome.counts).toEqual({ surveyAnswers: 2, complaints: 1, fees: 6 });
  });

  it('facts may refer to master data of a sheet further on in the same workbook', async () => {
    const build = async (name: string, feeRows: unknown[][]) => {
      const workbook = new ExcelJS.Workbook();
      const add = (s: SheetSpec, rows: unknown[][]) => {
        const sheet = workbook.addWorksheet(s.sheet);
        sheet.addRow(s.columns.map((c) => c.header));
        for (const row of rows) sheet.addRow(row);
      };
      add(spec('fees'), feeRows);
      add(spec('master', 0), [rowOf(spec('master', 0), aStreet())]);
      add(spec('master', 1), [rowOf(spec('master', 1), aCommunity())]);
      add(spec('master', 2), [rowOf(spec('master', 2), aCompany())]);
      add(spec('master', 3), [rowOf(spec('master', 3), aProject())]);
      const path = join(dir, name);
      await workbook.xlsx.writeFile(path);
      return path;
    };
    const faulty = await build('facts-first-faulty.xlsx', [rowOf(spec('fees'), aFee()), rowOf(spec('fees'), aFee({ projectCode: 'XM404' }))]);
    const error = (await importer.importFile(faulty).catch((e: unknown) => e)) as ImportRejectedError;
    expect(error.firstFaults.map((f) => [f.sheet, f.row, f.code])).toEqual([['物业费收缴', 3, 'UNKNOWN_PROJECT']]);
    expect((await counts()).projects).toBe(0);

    const outcome = await importer.importFile(await build('facts-first.xlsx', [rowOf(spec('fees'), aFee())]));
    expect(outcome.counts).toEqual({ streets: 1, communities: 1, companies: 1, projects: 1, fees: 1 });
  });

  it.each([
    ['openpyxl', 'openpyxl-import.xlsx'],
    ['LibreOffice', 'libreoffice-import.xlsx'],
  ])('imports every sheet of a workbook saved by %s (test/fixtures, made by scripts/fixtures/)', async (_, fixture) => {
    const path = join(dir, fixture);
    await copyFile(join(import.meta.dirname, 'fixtures', fixture), path);
    const outcome = await importer.importFile(path);
    expect(outcome.counts).toEqual({
      streets: 2,
      communities: 3,
      companies: 3,
      projects: 5,
      surveyAnswers: 60,
      complaints: 6,
      fees: 10,
      partyChecks: 12,
      events: 2,
      ratings: 4,
    });
    const names = (await database().db.select({ code: projects.code, name: projects.name }).from(projects)).map((p) => p.name).sort();
    expect(names).toEqual(['府南新居', '抚琴小区🏠', '浣花溪畔 Ⅱ期', '锦江花园', '青华苑']);
    const [ticket] = await database().db.select().from(complaintTickets).where(eq(complaintTickets.ticketNo, 'T2025-0000001'));
    expect(ticket.receivedAt.toISOString()).toBe('2025-03-04T01:30:00.000Z');
    expect(ticket.resolvedAt).toBeNull();
  });

  it('refuses a yearly 三方联动 total in one row with a coded fault that says to enter one row per month, as the template says', async () => {
    await importMasters();
    const before = await counts();
    const path = await filledTemplate('party', '党建.xlsx', {
      党建指标: [
        rowOf(spec('party'), aPartyCheck()),
        rowOf(spec('party'), aPartyCheck({ indicatorCode: 'joint_meetings', period: '2025', value: 12, evidence: '全年会议纪要' })),
      ],
    });
    const error = (await importer.importFile(path, { dryRun: true }).catch((e: unknown) => e)) as ImportRejectedError;
    expect(error).toBeInstanceOf(ImportRejectedError);
    expect(error.totalFaults).toBe(1);
    expect(error.firstFaults[0]).toMatchObject({ sheet: '党建指标', row: 3, column: '考核周期', code: 'PARTY_COUNT_MONTHLY_ONLY' });
    expect(error.firstFaults[0].message).toContain('须按月填报：每月一行，考核周期填月份（如 2025-01）');
    expect(await counts()).toEqual(before);

    // the same twelve meetings entered month by month are taken
    const monthly = Array.from({ length: 12 }, (_, m) =>
      rowOf(spec('party'), aPartyCheck({ indicatorCode: 'joint_meetings', period: `2025-${String(m + 1).padStart(2, '0')}`, value: 1 })),
    );
    const fixed = await filledTemplate('party', '党建-逐月.xlsx', { 党建指标: monthly });
    expect((await importer.importFile(fixed)).counts).toEqual({ partyChecks: 12 });

    const template = new ExcelJS.Workbook();
    await template.xlsx.readFile(join(dir, 'party-template.xlsx'));
    const instructions: string[] = [];
    template.getWorksheet('说明')!.eachRow((row) => instructions.push((row.values as unknown[]).join(' ')));
    expect(instructions.join('\n')).toContain('“三方联动联席会议次数”须按月填报，每月一行、填月份（如 2025-07），按年度或季度合计的一行会被拒绝');
  });

  it('a dry run checks everything and reports the counts, writing nothing', async () => {
    const path = await filledTemplate('master', 'dry.xlsx', masterRows());
    const outcome = await importer.importFile(path, { dryRun: true });
    expect(outcome).toMatchObject({ dryRun: true, counts: { streets: 1, communities: 1, companies: 1, projects: 1 } });
    expect((await counts()).streets).toBe(0);

    const faulty = await filledTemplate('master', 'dry-faulty.xlsx', {
      ...masterRows(),
      物业项目: [rowOf(spec('master', 3), aProject({ occupiedHouseholds: 600 }))],
    });
    const error = await importer.importFile(faulty, { dryRun: true }).catch((e: unknown) => e);
    expect((error as ImportRejectedError).firstFaults.map((f) => [f.file, f.sheet, f.row, f.field, f.column, f.code])).toEqual([
      ['dry-faulty.xlsx', '物业项目', 2, 'occupiedHouseholds', '入住户数', 'OCCUPIED_EXCEEDS_HOUSEHOLDS'],
    ]);
    expect((await counts()).streets).toBe(0);
  });

  it('imports CSV in UTF-8 (with BOM) and in GBK, recognised from the header or named by --family', async () => {
    const utf8 = join(dir, 'streets-utf8.csv');
    await writeFile(utf8, '\uFEFF街道编码,街道名称\r\n510104001,草堂街道\r\n"S0003","金沙街道, 西区"\r\n', 'utf8');
    expect((await importer.importFile(utf8)).counts).toEqual({ streets: 2 });

    // 街道编码,街道名称 / S0002,浣花街道 in GBK bytes (Node has a GBK decoder, no encoder)
    const gbk = join(dir, 'streets-gbk.csv');
    await writeFile(gbk, Buffer.from('bdd6b5c0b1e0c2eb2cbdd6b5c0c3fbb3c60d0a53303030322ce4bdbba8bdd6b5c00d0a', 'hex'));
    expect((await importer.importFile(gbk, { family: 'master' })).counts).toEqual({ streets: 1 });
    expect((await counts()).streets).toBe(3);

    await importMasters();
    const fees = join(dir, 'fees.csv');
    const header = spec('fees')
      .columns.map((c) => c.header)
      .join(',');
    await writeFile(fees, `${header}\nXM00000001,2025/3,"120,000.00",110500.5,460,431\nXM00000001,2025-04,abc,1,1,1\n`, 'utf8');
    const error = await importer.importFile(fees).catch((e: unknown) => e);
    expect((error as ImportRejectedError).firstFaults.map((f) => [f.sheet, f.row, f.field, f.code])).toEqual([
      ['物业费收缴', 3, 'billedAmount', 'CELL_NOT_NUMBER'],
    ]);
    await writeFile(fees, `${header}\nXM00000001,2025/3,"120,000.00",110500.5,460,431\n`, 'utf8');
    expect((await importer.importFile(fees)).counts).toEqual({ fees: 1 });

    const unknown = join(dir, 'unknown.csv');
    await writeFile(unknown, 'a,b\n1,2\n', 'utf8');
    expect(await importer.importFile(unknown).catch((e: DomainError) => e.code)).toBe('IMPORT_FAMILY_UNKNOWN');
  });

  it('refuses macros, external links, oversize files and too many rows with a clear code', async () => {
    const path = await filledTemplate('master', 'safe.xlsx', masterRows());
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'ok',
        (e: DomainError) => e.code,
      );

    const xlsm = join(dir, 'macro.xlsm');
    await copyFile(path, xlsm);
    expect(await code(importer.importFile(xlsm))).toBe('IMPORT_MACROS_REFUSED');

    // the checks read the zip directory before anything is parsed: a skeleton workbook will do
    const withEntry = async (name: string, entry: string) => {
      const target = join(dir, name);
      await writeFile(target, storedZip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>', [entry]: 'x' }));
      return target;
    };
    expect(await code(importer.importFile(await withEntry('skeleton.xlsx', 'xl/worksheets/sheet1.xml')))).not.toMatch(/REFUSED/);
    expect(await code(importer.importFile(await withEntry('vba.xlsx', 'xl/vbaProject.bin')))).toBe('IMPORT_MACROS_REFUSED');
    expect(await code(importer.importFile(await withEntry('links.xlsx', 'xl/externalLinks/externalLink1.xml')))).toBe('IMPORT_EXTERNAL_LINKS_REFUSED');
    // code and links found anywhere in the package, each refused naming the part
    const refusal = async (name: string, entry: string, content = 'x') => {
      const target = join(dir, name);
      const rels = entry.endsWith('.rels') ? content : '<Relationships/>';
      await writeFile(
        target,
        storedZip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>', [entry]: entry.endsWith('.rels') ? rels : content }),
      );
      return (await importer.importFile(target).catch((e: unknown) => e)) as DomainError;
    };
    const xlm = await refusal('xlm.xlsx', 'xl/macrosheets/sheet1.xml');
    expect([xlm.code, xlm.details]).toEqual(['IMPORT_MACROS_REFUSED', ['xl/macrosheets/sheet1.xml']]);
    expect((await refusal('activex.xlsx', 'xl/activeX/activeX1.xml')).code).toBe('IMPORT_ACTIVE_CONTENT_REFUSED');
    expect((await refusal('ole.xlsx', 'xl/embeddings/oleObject1.bin')).code).toBe('IMPORT_ACTIVE_CONTENT_REFUSED');
    const linked = await refusal(
      'linked-image.xlsx',
      'xl/worksheets/_rels/sheet1.xml.rels',
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://example.com/p.png" TargetMode="External"/></Relationships>',
    );
    expect([linked.code, linked.details]).toEqual(['IMPORT_EXTERNAL_LINKS_REFUSED', ['xl/worksheets/_rels/sheet1.xml.rels']]);

    const size = (await stat(path)).size;
    const tooLarge = (await importer.importFile(path, { limits: { maxBytes: size - 1 } }).catch((e: unknown) => e)) as DomainError;
    expect(tooLarge.code).toBe('IMPORT_FILE_TOO_LARGE');
    expect(tooLarge.messageZh).toContain('单个文件不能超过');
    expect(await code(importer.importFile(path, { limits: { maxUnpackedBytes: 1000 } }))).toBe('IMPORT_FILE_TOO_LARGE');
    expect(await code(importer.importFile(path, { limits: { maxRows: 3 } }))).toBe('IMPORT_TOO_MANY_ROWS');
    expect(await code(importer.importFile(path, { limits: { maxRows: 4 } }))).toBe('ok');

    const xls = join(dir, 'old.xls');
    await writeFile(xls, 'x');
    expect(await code(importer.importFile(xls))).toBe('IMPORT_FILE_TYPE');
    expect(await code(importer.importFile(join(dir, 'missing.xlsx')))).toBe('IMPORT_FILE_NOT_FOUND');
    const encrypted = join(dir, 'encrypted.xlsx');
    await writeFile(encrypted, Buffer.from('d0cf11e0a1b11ae1' + '00'.repeat(64), 'hex'));
    expect(await code(importer.importFile(encrypted))).toBe('IMPORT_FILE_ENCRYPTED');
    const notZip = join(dir, 'not-a-zip.xlsx');
    await writeFile(notZip, 'hello, this is not a workbook at all');
    expect(await code(importer.importFile(notZip))).toBe('IMPORT_FILE_UNREADABLE');
    expect((await counts()).streets).toBe(1);
  });

  it('reports an unknown sheet and a sheet whose header does not match, and no data at all', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['x', 'y']);
    const fees = workbook.addWorksheet('物业费收缴');
    fees.addRow(['项目编码', '月份']);
    fees.addRow(['XM00000001', '2025-03']);
    const path = join(dir, 'sheets.xlsx');
    await workbook.xlsx.writeFile(path);
    const error = (await importer.importFile(path).catch((e: unknown) => e)) as ImportRejectedError;
    expect(error.firstFaults.map((f) => [f.sheet, f.code])).toEqual([
      ['Sheet1', 'IMPORT_SHEET_UNKNOWN'],
      ['物业费收缴', 'IMPORT_HEADER_INVALID'],
    ]);
    expect(error.firstFaults[1].message).toContain('缺少必填列：收费月份、应收金额（元）、实收金额（元）、应缴户数、实缴户数');

    const empty = join(dir, 'empty-template.xlsx');
    await templates.writeTemplate('fees', empty);
    expect(await importer.importFile(empty).catch((e: DomainError) => e.code)).toBe('IMPORT_NO_DATA');
  });
});
