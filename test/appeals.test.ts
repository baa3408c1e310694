import { EVERYTHING } from '../src/domain/access.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { and, asc, eq } from 'drizzle-orm';
import { AppealSheetService, type ExportedSheet } from '../src/appeals/appeal-sheet.service.js';
import { AppealsService } from '../src/appeals/appeals.service.js';
import { CreditRepairService } from '../src/appeals/credit-repair.service.js';
import { AssessmentRepository } from '../src/assessment/assessment.repository.js';
import { AssessmentService, type RunReport } from '../src/assessment/assessment.service.js';
import { companies, companyResults, ledgerEntries, listEntries, listTransitions } from '../src/db/schema.js';
import { DomainError } from '../src/domain/errors.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { SCORESHEET_SHEET_NAME } from '../src/reports/scoresheet.content.js';
import { SeedService, type SeedOutcome } from '../src/seeding/seed.service.js';
import { createTestApp, testConfig, TestClock } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { reportRows } from './support/spreadsheets.js';

interface Objection {
  lineId: string;
  claimed?: string | number;
  reason?: string;
  evidence?: string;
}

/** Fills appeal columns the way a company would in Excel and saves the file under a new name. */
async function fillSheet(path: string, objections: Objection[], target: string, tamper?: (sheet: ExcelJS.Worksheet) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet(SCORESHEET_SHEET_NAME)!;
  const headers = Array.from(sheet.getRow(2).values as unknown[], (v) => (v === undefined || v === null ? '' : String(v)));
  const column = (prefix: string) => headers.findIndex((h) => h.startsWith(prefix));
  const [claimed, reason, evidence] = [column('申诉主张值'), column('申诉理由'), column('证据材料')];
  expect(Math.min(claimed, reason, evidence)).toBeGreaterThan(0);
  for (const o of objections) {
    let found = false;
    sheet.eachRow((row, number) => {
      if (number <= 2 || row.getCell(1).value !== o.lineId) return;
      found = true;
      if (o.claimed !== undefined) row.getCell(claimed).value = o.claimed;
      if (o.reason !== undefined) row.getCell(reason).value = o.reason;
      if (o.evidence !== undefined) row.getCell(evidence).value = o.evidence;
    });
    expect(found).toBe(true);
  }
  tamper?.(sheet);
  await workbook.xlsx.writeFile(target);
  return target;
}

/** The score-sheet line ids and their category of an exported sheet. */
async function sheetLines(path: string): Promise<{ lineId: string; category: string; points: unknown; row: number }[]> {
  const rows = await reportRows(path, SCORESHEET_SHEET_NAME);
  return rows.map((cells, i) => ({ lineId: String(cells[0]), category: String(cells[3]), points: cells[9], row: i + 3 }));
}

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describeEachBackend('appeals through the score sheet', ({ database }) => {
  let app: INestApplicationContext;
  let seeded: SeedOutcome;
  let published: RunReport;
  let sheets: AppealSheetService;
  let appeals: AppealsService;
  const clock = new TestClock();
  const dir = mkdtempSync(join(tmpdir(), 'redprop-appeals-'));

  beforeAll(async () => {
    app = await createTestApp(database(), testConfig({ reportsDir: dir }), clock);
    seeded = await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    published = await app.get(AssessmentService).run({ period: '2025', streetCode: null, publish: true });
    sheets = app.get(AppealSheetService);
    appeals = app.get(AppealsService);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    clock.offsetDays = 0;
    clock.fixed = null;
  });

  it('runs an appeal end to end: export, fill, import, street and bureau decisions, a new revision; the published result stays readable', async () => {
    const uscc = seeded.planted.vetoCompany;
    const db = database().db;
    const [company] = await db.select().from(companies).where(eq(companies.uscc, uscc));
    const before = (await app.get(AssessmentService).companyResult(published.runId, uscc, EVERYTHING)).company;
    expect(before.grade).toBe('C');
    expect(before.outcome.lists.map((l) => l.list)).toContain('black');

    const exported = await sheets.exportSheet({ period: '2025', uscc, actor: 'test-bureau' }, EVERYTHING);
    expect(exported.revision).toBe(0);
    const lines = await sheetLines(exported.path);
    const veto = lines.find((l) => l.category === '一票否决')!;
    const fee = lines.find((l) => l.category === '物业费收缴' && l.points !== 15)!;
    expect(veto).toBeDefined();
    expect(fee).toBeDefined();

    const filled = await fillSheet(
      exported.path,
      [
        { lineId: veto.lineId, claimed: 0, reason: '该挪用维修资金事件经复查不属实，处罚决定已撤销', evidence: '撤销决定书.pdf' },
        { lineId: fee.lineId, claimed: 0.97, reason: '12 月收缴数据漏报', evidence: '收费台账.xlsx' },
      ],
      join(dir, 'filled.xlsx'),
    );
    const appeal = await sheets.importSheet({ path: filled, actor: 'company-user', expectCompany: uscc, expectPeriod: '2025' }, EVERYTHING);
    expect(appeal.lines.map((l) => l.lineId).sort()).toEqual([veto.lineId, fee.lineId].sort());

    const submitted = await appeals.listLines({ uscc, states: ['submitted'] }, EVERYTHING);
    expect(submitted).toHaveLength(2);
    for (const { line } of submitted) {
      expect(line.state).toBe('submitted');
      const street = await appeals.decide(
        { appealLineId: line.id, outcome: 'accept', reason: '街道核实情况属实', reviewer: '草堂街道考核办', level: 'street' },
        EVERYTHING,
      );
      expect(street.state).toBe('bureau_review');
    }
    const vetoLine = submitted.find((s) => s.line.lineId === veto.lineId)!.line;
    const feeLine = submitted.find((s) => s.line.lineId === fee.lineId)!.line;
    const first = await appeals.decide(
      { appealLineId: vetoLine.id, outcome: 'accept', reason: '经复核，处罚已撤销', reviewer: '区住建局', level: 'bureau' },
      EVERYTHING,
    );
    expect(first.state).toBe('accepted');
    expect(first.revision).toMatchObject({ revision: 1, gradeBefore: 'C' });
    expect(first.revision!.gradeAfter).not.toBe('C');
    expect(first.revision!.listsAfter).not.toContain('black');
    expect(first.revision!.ledgerReversals).toBeGreaterThan(0);
    const second = await appeals.decide({ appealLineId: feeLine.id, outcome: 'accept', reason: '补报的收费台账经核实', reviewer: '区住建局' }, EVERYTHING);
    expect(second.revision!.revision).toBe(2);
    expect(second.revision!.scoreAfter!).toBeGreaterThan(second.revision!.scoreBefore!);

    // the current result is the newest revision; the published row is unchanged
    const after = await app.get(AssessmentService).companyResult(published.runId, uscc, EVERYTHING);
    expect(after.company.revision).toBe(2);
    expect(after.company.grade).toBe(second.revision!.gradeAfter);
    expect(after.company.score).toBe(second.revision!.scoreAfter);
    const feeProject = after.projects.find((p) => fee.lineId.includes(`-${p.code}-`))!;
    expect(feeProject.revision).toBe(2);
    expect(feeProject.outcome.parts.find((p) => p.part === 'feeCollection')!.points).toBe(15);
    const [original] = await db
      .select()
      .from(companyResults)
      .where(and(eq(companyResults.runId, published.runId), eq(companyResults.companyId, company.id)));
    expect(original.grade).toBe('C');
    expect(original.score).toBe(before.score);

    // lists and ledger: reversal with reason "appeal accepted", nothing deleted
    const entries = await db.select().from(listEntries).where(eq(listEntries.companyId, company.id));
    const black = entries.find((e) => e.list === 'black')!;
    const history = await db.select().from(listTransitions).where(eq(listTransitions.entryId, black.id)).orderBy(asc(listTransitions.id));
    expect(history.map((t) => t.kind)).toEqual(['entered', 'exited']);
    expect(history[1]).toMatchObject({ cause: 'appeal_accepted' });
    expect(history[1].note).toContain('appeal accepted');
    const ledger = await db.select().from(ledgerEntries).where(eq(ledgerEntries.companyId, company.id)).orderBy(asc(ledgerEntries.id));
    const reversals = ledger.filter((e) => e.reversesEntryId !== null);
    expect(reversals.length).toBe(first.revision!.ledgerReversals);
    for (const r of reversals) {
      expect(r.cause).toBe('appeal_accepted');
      expect(r.reason).toContain('appeal accepted');
      const reversed = ledger.find((e) => e.id === r.reversesEntryId)!;
      expect(reversed.points + r.points).toBe(0);
    }

    // the street annual shows the revised result and marks it
    const annual = await app.get(ReportsService).write({ kind: 'street-annual', period: '2025' }, EVERYTHING);
    const ranking = await reportRows(annual.path, '企业排名');
    const headerRow = (await reportRows(annual.path, '企业排名', true))[0];
    const row = ranking.find((r) => r.includes(uscc))!;
    expect(row[headerRow.indexOf('企业得分')]).toBe(second.revision!.scoreAfter);
    expect(row[headerRow.indexOf('申诉修订')]).toBe('已修订（第 2 版）');

    // audit: every step with who and when
    const audit = (await appeals.history(uscc, EVERYTHING)).entries.map((e) => `${e.action}/${e.actor}`);
    expect(audit).toEqual(
      expect.arrayContaining([
        'appeal_sheet.exported/test-bureau',
        'appeal.submitted/company-user',
        'appeal.street_accept/草堂街道考核办',
        'appeal.bureau_accept/区住建局',
        'fact.corrected/区住建局',
        'result.revised/区住建局',
      ]),
    );

    // a sheet of the previous revision is refused now
    const stale = await fillSheet(exported.path, [{ lineId: lines[0].lineId, claimed: 1, reason: '再议' }], join(dir, 'stale.xlsx'));
    expect((await refusal(sheets.importSheet({ path: stale, actor: 'company-user' }, EVERYTHING))).code).toBe('APPEAL_SHEET_OUTDATED');
  });

  describe('refusals', () => {
    let uscc: string;
    let exported: ExportedSheet;
    let lines: Awaited<ReturnType<typeof sheetLines>>;

    beforeAll(async () => {
      uscc = seeded.planted.redListCompanies[1]!;
      exported = await sheets.exportSheet({ period: '2025', uscc, actor: 'test' }, EVERYTHING);
      lines = await sheetLines(exported.path);
    });

    it('refuses a sheet with a changed cell outside the appeal columns, naming that cell', async () => {
      const line = lines.find((l) => typeof l.points === 'number')!;
      const file = await fillSheet(exported.path, [{ lineId: line.lineId, claimed: 1, reason: '理由' }], join(dir, 'tampered.xlsx'), (sheet) => {
        sheet.getRow(line.row).getCell(10).value = 99;
      });
      const error = await refusal(sheets.importSheet({ path: file, actor: 'company-user' }, EVERYTHING));
      expect(error.code).toBe('APPEAL_SHEET_MODIFIED');
      expect(error.details).toHaveLength(1);
      expect(error.details[0]).toContain(`${SCORESHEET_SHEET_NAME} 单元格 J${line.row}`);
      expect(error.details[0]).toContain('得分');
      expect(error.details[0]).toContain('99');
      expect(await appeals.listLines({ uscc }, EVERYTHING)).toEqual([]);
    });

    it("refuses another company's sheet and another period's", async () => {
      const file = await fillSheet(exported.path, [{ lineId: lines[0].lineId, claimed: 1, reason: '理由' }], join(dir, 'other.xlsx'));
      const other = seeded.planted.redListCompanies[2];
      const foreign = await refusal(sheets.importSheet({ path: file, actor: 'x', expectCompany: other }, EVERYTHING));
      expect(foreign.code).toBe('APPEAL_SHEET_FOREIGN');
      // nothing of the sheet's own company in the refusal
      expect(JSON.stringify([foreign.message, foreign.messageZh, foreign.details])).not.toContain(exported.uscc);
      expect((await refusal(sheets.importSheet({ path: file, actor: 'x', expectPeriod: '2024' }, EVERYTHING))).code).toBe('APPEAL_SHEET_WRONG_PERIOD');
    });

    it('refuses a line without a reason, naming its row', async () => {
      const file = await fillSheet(exported.path, [{ lineId: lines[1].lineId, claimed: 1 }], join(dir, 'no-reason.xlsx'));
      const error = await refusal(sheets.importSheet({ path: file, actor: 'x' }, EVERYTHING));
      expect(error.code).toBe('APPEAL_LINES_INVALID');
      expect(error.details.join('\n')).toContain(`第 ${lines[1].row} 行`);
      expect(error.details.join('\n')).toContain('APPEAL_REASON_MISSING');
    });

    it('refuses a claim that raises an event count (a new event needs its record and evidence)', async () => {
      const bonus = lines.find((l) => l.category === '加分');
      expect(bonus).toBeDefined();
      const file = await fillSheet(exported.path, [{ lineId: bonus!.lineId, claimed: 5, reason: '还有荣誉未计' }], join(dir, 'more-honours.xlsx'));
      const error = await refusal(sheets.importSheet({ path: file, actor: 'x' }, EVERYTHING));
      expect(error.details.join('\n')).toContain('APPEAL_EVENT_CLAIM_INCREASE');
    });

    it('refuses an appeal after the deadline, with the deadline', async () => {
      const file = await fillSheet(exported.path, [{ lineId: lines[0].lineId, claimed: 1, reason: '理由' }], join(dir, 'late.xlsx'));
      clock.offsetDays = 16;
      const error = await refusal(sheets.importSheet({ path: file, actor: 'x' }, EVERYTHING));
      expect(error.code).toBe('APPEAL_WINDOW_CLOSED');
      expect(error.messageZh).toContain(exported.appealDeadline);
    });

    it('replaces a not yet reviewed line on re-submission; a rejected line may be answered once, with new evidence', async () => {
      const target = lines.find((l) => typeof l.points === 'number')!;
      const once = await fillSheet(exported.path, [{ lineId: target.lineId, claimed: 1, reason: '第一次' }], join(dir, 'once.xlsx'));
      const first = await sheets.importSheet({ path: once, actor: 'c' }, EVERYTHING);
      const again = await fillSheet(exported.path, [{ lineId: target.lineId, claimed: 1, reason: '补充理由', evidence: '材料A.pdf' }], join(dir, 'again.xlsx'));
      const second = await sheets.importSheet({ path: again, actor: 'c' }, EVERYTHING);
      expect(second.lines[0].replaced).toBe(first.lines[0].appealLineId);
      const id = second.lines[0].appealLineId;
      await appeals.decide({ appealLineId: id, outcome: 'reject', reason: '证据不足', reviewer: '街道' }, EVERYTHING);

      const sameEvidence = await refusal(sheets.importSheet({ path: again, actor: 'c' }, EVERYTHING));
      expect(sameEvidence.details.join('\n')).toContain('APPEAL_NEW_EVIDENCE_REQUIRED');
      const answer = await fillSheet(
        exported.path,
        [{ lineId: target.lineId, claimed: 1, reason: '补充新证据', evidence: '材料B.pdf' }],
        join(dir, 'answer.xlsx'),
      );
      const answered = await sheets.importSheet({ path: answer, actor: 'c' }, EVERYTHING);
      expect(answered.lines[0].round).toBe(2);
      await appeals.decide({ appealLineId: answered.lines[0].appealLineId, outcome: 'accept', reason: '街道同意', reviewer: '街道' }, EVERYTHING);
      await appeals.decide({ appealLineId: answered.lines[0].appealLineId, outcome: 'reject', reason: '住建局不予采纳', reviewer: '住建局' }, EVERYTHING);
      const third = await fillSheet(exported.path, [{ lineId: target.lineId, claimed: 1, reason: '第三次', evidence: '材料C.pdf' }], join(dir, 'third.xlsx'));
      expect((await refusal(sheets.importSheet({ path: third, actor: 'c' }, EVERYTHING))).details.join('\n')).toContain('APPEAL_RESUBMISSION_USED');
      expect((await refusal(appeals.decide({ appealLineId: id, outcome: 'accept', reason: 'x', reviewer: 'y' }, EVERYTHING))).code).toBe('APPEAL_LINE_CLOSED');
    });
  });

  it('makes results final when the window closes with no open appeal, and refuses appeals after that', async () => {
    const uscc = seeded.planted.redListCompanies[2];
    const exported = await sheets.exportSheet({ period: '2025', uscc, actor: 'test' }, EVERYTHING);
    const lines = await sheetLines(exported.path);
    const open = await fillSheet(exported.path, [{ lineId: lines[0].lineId, claimed: 1, reason: '待审' }], join(dir, 'open.xlsx'));
    const pending = await sheets.importSheet({ path: open, actor: 'c' }, EVERYTHING);

    clock.offsetDays = 16;
    const [closed] = await appeals.closeWindows('scheduler');
    expect(closed.finalised).toBeGreaterThan(0);
    expect(closed.waiting).toBeGreaterThan(0);
    const again = await appeals.closeWindows('scheduler');
    expect(again[0].finalised).toBe(0);

    await appeals.decide({ appealLineId: pending.lines[0].appealLineId, outcome: 'reject', reason: '不属实', reviewer: '街道' }, EVERYTHING);
    clock.offsetDays = 16 + 16;
    await appeals.closeWindows('scheduler');
    expect((await refusal(sheets.importSheet({ path: open, actor: 'c' }, EVERYTHING))).code).toBe('APPEAL_RESULT_FINAL');
    expect((await appeals.history(uscc, EVERYTHING)).entries.map((e) => e.action)).toContain('result.final');
  });

  it('ends a black-list entry early through credit repair after the minimum duration, never before', async () => {
    const uscc = seeded.planted.blackListCompanies[0];
    const repairs = app.get(CreditRepairService);
    const [company] = await database().db.select().from(companies).where(eq(companies.uscc, uscc));
    const [entry] = await database()
      .db.select()
      .from(listEntries)
      .where(and(eq(listEntries.companyId, company.id), eq(listEntries.list, 'black')));
    clock.fixed = new Date(`${entry.minEndOn}T00:00:00+08:00`);
    clock.fixed = new Date(clock.fixed.getTime() - 86_400_000);
    const early = await refusal(repairs.apply({ uscc, rectification: '已整改', evidence: '整改报告.pdf', applicant: 'c' }, EVERYTHING));
    expect(early.code).toBe('CREDIT_REPAIR_TOO_EARLY');
    expect(early.messageZh).toContain(entry.minEndOn);

    clock.fixed = new Date(`${entry.minEndOn}T10:00:00+08:00`);
    const refused = await repairs.apply({ uscc, rectification: '已整改', evidence: '整改报告.pdf', applicant: 'c' }, EVERYTHING);
    await repairs.decide({ repairId: refused.repairId, approve: false, reason: '整改不到位', reviewer: '住建局' }, EVERYTHING);
    expect(
      (await app.get(AssessmentRepository).transaction((u) => app.get(AssessmentRepository).openListEntriesOf(u, company.id))).some(
        (e) => e.entryId === entry.id,
      ),
    ).toBe(true);

    const applied = await repairs.apply({ uscc, rectification: '再次整改', evidence: '验收意见.pdf', applicant: 'c' }, EVERYTHING);
    await repairs.decide({ repairId: applied.repairId, approve: true, reason: '整改到位，准予修复', reviewer: '住建局' }, EVERYTHING);
    const transitions = await database().db.select().from(listTransitions).where(eq(listTransitions.entryId, entry.id)).orderBy(asc(listTransitions.id));
    expect(transitions.at(-1)).toMatchObject({ kind: 'exited', cause: 'credit_repair', on: entry.minEndOn });
    expect((await appeals.history(uscc, EVERYTHING)).entries.map((e) => e.action).filter((a) => a.startsWith('credit_repair'))).toEqual([
      'credit_repair.applied',
      'credit_repair.refused',
      'credit_repair.applied',
      'credit_repair.approved',
    ]);
  });

  it('carries accepted corrections into a later run of the period, and no longer counts an annulled event', async () => {
    const uscc = seeded.planted.vetoCompany;
    const revised = (await app.get(AssessmentService).companyResult(published.runId, uscc, EVERYTHING)).company;
    expect(revised.revision).toBe(2);
    const rerun = await app.get(AssessmentService).run({ period: '2025', streetCode: null, publish: true });
    const fresh = (await app.get(AssessmentService).companyResult(rerun.runId, uscc, EVERYTHING)).company;
    expect(fresh.revision).toBe(0);
    expect(fresh.score).toBe(revised.score);
    expect(fresh.grade).toBe(revised.grade);
    expect(fresh.outcome.vetoes).toEqual([]);
    expect(fresh.outcome.badRecords).toBe(revised.outcome.badRecords);
    expect(rerun.fingerprint).not.toBe(published.fingerprint);
    const verified = await app.get(AssessmentService).verify(rerun.runId);
    expect(verified).toMatchObject({ inputDigest: true, fingerprint: true, outcomes: true });
  });
});
