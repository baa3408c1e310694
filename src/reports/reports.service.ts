import { join } from 'node:path';
import { removeStaleTemporaries } from '../files/temporary-files.js';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AccessService, outOfScope } from '../access/access.service.js';
import { EVERYTHING, type AccessScope } from '../domain/access.js';
import { metricParameters } from '../assessment/assessment.service.js';
import { MetricsRepository } from '../assessment/metrics.repository.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError, badInput, companyUnknown } from '../domain/errors.js';
import { periodDates, periodMonths, previousPeriod, type Period } from '../domain/period.js';
import type { CompiledRuleSet } from '../rules/rule-set.js';
import { compileRunRuleSet, DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from '../rules/rule-set.loader.js';
import {
  addCounts,
  bulletinFigures,
  bulletinNotes,
  bulletinOverviewRows,
  bulletinOverviewSpec,
  bulletinTitle,
  companyBulletinRows,
  companyBulletinSpec,
  complaintRankingRows,
  complaintRankingSpec,
  countsOf,
  feeRankingRows,
  feeRankingSpec,
  movementRows,
  movementsSpec,
  zeroCounts,
  type BulletinInput,
  type Counts,
} from './bulletin.content.js';
import { companyLines, partFacts, projectLines } from './indicator-lines.js';
import { leftRows, leftSpec, publicationNotes, publicationRows, publicationSpec, publicationTitle } from './list-publication.content.js';
import { entriesLeftIn, entriesOfPeriod, listCounts, openEntriesOn, transitionsIn } from './list-status.js';
import { compareText, rankBy } from './ranking.js';
import { REPORT_KINDS, checkReportRequest, reportFileName, type CheckedReportRequest, type ReportKind, type ReportRequest } from './report-kinds.js';
import type { ProjectRow, ReportScope, RunInfo } from './report-data.js';
import { dateTimeText, periodLabel } from './report-text.js';
import { ReportsRepository, streetSelection, type ProjectScope } from './reports.repository.js';
import { chooseRun, publishedRun } from './run-choice.js';
import {
  companySummaryRows,
  companySummarySpec,
  projectSummaryRow,
  projectSummarySpec,
  scoresheetRow,
  scoresheetSpec,
  scoresheetTitle,
} from './scoresheet.content.js';
import type { SheetRow, SheetSpec, WorkbookSink } from './sheet-model.js';
import {
  companyRankingRow,
  companyRankingSpec,
  detailRows,
  detailSpec,
  ledgerRow,
  ledgerSpec,
  listRow,
  listSheetSpec,
  methodologyRows,
  methodologySpec,
  overviewRows,
  overviewSpec,
  projectRankingRow,
  projectRankingSpec,
  scopeText,
} from './street-annual.content.js';
import { XlsxReportWriter } from './xlsx-writer.js';

/** Stored outcomes read per query: bounds memory whatever the number of projects. */
export const PAGE_SIZE = 2000;

/** A report request checked and fixed for its caller, with its plan: what `writePrepared` writes. */
export interface PreparedReport {
  readonly request: CheckedReportRequest;
  readonly scope: ReportScope;
  readonly generatedAt: Date;
  readonly plan: ReportPlan;
}

interface ReportPlan {
  readonly runId: number | null;
  write(sink: WorkbookSink): Promise<void>;
}

export interface WrittenReport {
  kind: ReportKind;
  label: string;
  period: string;
  streetCode: string | null;
  companyUscc: string | null;
  path: string;
  sheets: { name: string; rows: number }[];
  runId: number | null;
  seconds: number;
}

/** Writes the report workbooks under `<reportsDir>/<period>/`. */
@Injectable()
export class ReportsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly repository: ReportsRepository,
    private readonly metrics: MetricsRepository,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Clears what a process killed while writing a workbook left behind. */
  async onApplicationBootstrap(): Promise<void> {
    const removed = await removeStaleTemporaries(this.config.reportsDir);
    if (removed > 0) this.logger.warn(`${removed} unfinished workbook(s) of stopped processes removed`);
  }

  /**
   * Checks a report request and fixes what it covers for the caller, before any work is queued: a
   * street office its own street (the default), a company only its own score sheet (over its
   * projects, or those of one of its streets), drafts for the bureau only; the street, the company
   * and a run to make it from must exist.
   */
  async prepare(request: ReportRequest, caller: AccessScope): Promise<PreparedReport> {
    const checked = checkReportRequest(request);
    if (checked.kind !== 'company-scoresheet' && checked.companyUscc !== null) {
      throw badInput('REPORT_COMPANY_NOT_APPLICABLE', `${checked.kind} takes no company`, `${REPORT_KINDS[checked.kind].label}不按企业生成，请不要指定企业（只有企业考核评分表需要）`);
    }
    if (checked.companyUscc !== null && !(await this.repository.companyByUscc(checked.companyUscc))) throw companyUnknown(checked.companyUscc);
    const streetCode = await this.streetFor(checked, caller);
    const scope = await this.scope(streetCode, caller.kind === 'all');
    const fixed = { ...checked, streetCode };
    const generatedAt = new Date();
    // everything that can refuse the report (a run to make it from, the company in it, a published
    // run for a publication) is checked by making the plan; nothing is written yet
    return { request: fixed, scope, generatedAt, plan: await this.plan(fixed, scope, generatedAt) };
  }

  /** `prepare`, then `writePrepared`. */
  async write(request: ReportRequest, caller: AccessScope): Promise<WrittenReport> {
    return this.writePrepared(await this.prepare(request, caller));
  }

  /**
   * Writes a prepared report to its place under `<reportsDir>/<period>/`, or, for a task, to a folder
   * of the task's own: two callers who may read different runs never write one file.
   */
  async writePrepared({ request: checked, generatedAt, plan }: PreparedReport, taskId?: number): Promise<WrittenReport> {
    const started = performance.now();
    const folder = taskId === undefined ? join(this.config.reportsDir, checked.period.code) : join(this.config.reportsDir, 'tasks', String(taskId));
    const path = join(folder, reportFileName(checked));
    const writer = XlsxReportWriter.open(path, { createdAt: generatedAt });
    const sheets: WrittenReport['sheets'] = [];
    try {
      const sink: WorkbookSink = {
        addSheet: async (spec, rows) => {
          const sheetStarted = performance.now();
          const count = await writer.addSheet(spec, rows);
          sheets.push({ name: spec.name, rows: count });
          this.logger.debug(`${spec.name}: ${count} rows in ${((performance.now() - sheetStarted) / 1000).toFixed(1)} s, RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
          return count;
        },
      };
      await plan.write(sink);
      await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    this.logger.log(`${checked.kind} ${checked.period.code}${checked.streetCode ? ` street ${checked.streetCode}` : ''}: ${path} (${sheets.map((s) => `${s.name} ${s.rows}`).join(', ')}) in ${seconds.toFixed(1)} s`);
    return {
      kind: checked.kind,
      label: REPORT_KINDS[checked.kind].label,
      period: checked.period.code,
      streetCode: checked.streetCode,
      companyUscc: checked.kind === 'company-scoresheet' ? checked.companyUscc : null,
      path,
      sheets,
      runId: plan.runId,
      seconds,
    };
  }

  /**
   * Every report kind for a year: the street annual for all streets and for each street, a score
   * sheet per company of the year's run, the list publication, and the bulletin of each month
   * and the dispatch of each quarter. Meant for small data sets (the demo): one file per company.
   */
  async writeYear(year: number): Promise<WrittenReport[]> {
    const period = String(year);
    const run = chooseRun(await this.repository.runsOfPeriod(period), null);
    if (!run) throw new DomainError('RUN_NOT_FOUND', `no run for ${period}`, `考核周期 ${period} 尚无考核运行，请先运行 redprop assess --period ${period}`);
    const requests: ReportRequest[] = [{ kind: 'street-annual', period }];
    for (const code of [...(await this.repository.streetNames()).keys()].sort(compareText)) requests.push({ kind: 'street-annual', period, streetCode: code });
    for (const company of (await this.repository.companyKeys(run.id, null)).sort((a, b) => compareText(a.uscc, b.uscc))) {
      requests.push({ kind: 'company-scoresheet', period, companyUscc: company.uscc });
    }
    if (run.status === 'published') requests.push({ kind: 'list-publication', period });
    for (let q = 1; q <= 4; q++) requests.push({ kind: 'quarterly-dispatch', period: `${year}-Q${q}` });
    for (let m = 1; m <= 12; m++) requests.push({ kind: 'monthly-bulletin', period: `${year}-${String(m).padStart(2, '0')}` });
    const written: WrittenReport[] = [];
    for (const request of requests) written.push(await this.write(request, EVERYTHING));
    return written;
  }

  private async scope(streetCode: string | null, draftsAllowed: boolean): Promise<ReportScope> {
    if (streetCode === null) return { streetCode: null, streetName: null, draftsAllowed };
    const street = await this.repository.street(streetCode);
    if (!street) throw badInput('STREET_UNKNOWN', `unknown street ${streetCode}`, `街道编码“${streetCode}”不存在`);
    return { streetCode, streetName: street.name, draftsAllowed };
  }

  /** The street a report covers for its caller (null: every street). */
  private async streetFor(request: CheckedReportRequest, caller: AccessScope): Promise<string | null> {
    if (caller.kind === 'all') return request.streetCode;
    if (caller.kind === 'street') {
      const streetCode = request.streetCode ?? caller.streetCode;
      if (streetCode !== caller.streetCode) throw outOfScope(caller, `street ${streetCode}`, `街道 ${streetCode} `);
      if (request.companyUscc !== null) await this.access.assertCompany(caller, request.companyUscc);
      return streetCode;
    }
    if (request.kind !== 'company-scoresheet') throw outOfScope(caller, `${request.kind} reports`, `${REPORT_KINDS[request.kind].label}`);
    await this.access.assertCompany(caller, request.companyUscc!);
    if (request.streetCode !== null && !(await this.access.companyOperatesIn(caller.uscc, request.streetCode))) {
      throw outOfScope(caller, `street ${request.streetCode}`, `街道 ${request.streetCode} `);
    }
    return request.streetCode;
  }

  /** A period's runs a report may be made from, newest first: drafts only for the bureau. */
  private runsOf(periodCode: string, scope: ReportScope): Promise<RunInfo[]> {
    return this.repository.runsOfPeriod(periodCode, scope.draftsAllowed);
  }

  /** Everything that can refuse the request is checked here, before a file is opened. */
  private async plan(request: CheckedReportRequest, scope: ReportScope, generatedAt: Date): Promise<ReportPlan> {
    switch (request.kind) {
      case 'street-annual':
        return this.streetAnnual(request.period, scope, generatedAt);
      case 'company-scoresheet':
        return this.companyScoresheet(request.period, scope, request.companyUscc!, generatedAt);
      case 'monthly-bulletin':
      case 'quarterly-dispatch':
        return this.bulletin(request.kind, request.period, scope, generatedAt);
      case 'list-publication':
        return this.listPublication(request.period, scope, generatedAt);
    }
  }

  // ---- runs -----------------------------------------------------------------------------

  private async run(period: Period, scope: ReportScope): Promise<{ run: RunInfo; ruleSet: CompiledRuleSet; previous: RunInfo | null }> {
    const run = chooseRun(await this.runsOf(period.code, scope), scope.streetCode);
    if (!run) {
      throw new DomainError('RUN_NOT_FOUND', `no run for ${period.code}`, `考核周期 ${period.code} 尚无考核运行，请先运行 redprop assess --period ${period.code}`);
    }
    const ruleSet = compileRunRuleSet(run.id, await this.repository.ruleSetFiles(run.id));
    const previous = publishedRun(await this.repository.runsOfPeriod(previousPeriod(period).code), run.streetCode);
    return { run, ruleSet, previous };
  }

  // ---- 街道年度考核 ---------------------------------------------------------------------------

  private async streetAnnual(period: Period, scope: ReportScope, generatedAt: Date) {
    const { run, ruleSet, previous } = await this.run(period, scope);
    const where = scopeText(scope.streetCode, scope.streetName);
    const title = (what: string) => `${periodLabel(period)}${where}红色物业考核 · ${what}`;
    const { startsOn, endsOn } = periodDates(period);
    const previousCode = previousPeriod(period).code;
    const streetCode = scope.streetCode;
    const withPrevious = previous !== null;

    const write = async (sink: WorkbookSink) => {
      // 概况: aggregates in SQL, so that the first sheet needs no pass over the outcomes
      const [starCounts, grades, decisions, averages, entries] = await Promise.all([
        this.repository.starCounts(run.id, streetCode),
        this.repository.gradeCounts(run.id, streetCode),
        this.repository.listDecisionCounts(run.id, streetCode),
        this.repository.averages(run.id, streetCode),
        this.repository.listEntries(selectionOf(scope), endsOn),
      ]);
      const assessed = starCounts.filter((s) => s.assessed);
      const previousFigures = previous
        ? await Promise.all([
            this.repository.starPairs(run.id, previous.id, streetCode),
            this.repository.gradePairs(run.id, previous.id, streetCode),
            this.repository.averages(previous.id, streetCode),
          ]).then(([starPairs, gradePairs, avg]) => ({ run: previous, starPairs, gradePairs, averageTotal: avg.averageTotal, averageScore: avg.averageScore }))
        : null;
      await sink.addSheet(
        overviewSpec(title('概况')),
        overviewRows({
          period,
          scope: where,
          run,
          projects: { total: starCounts.reduce((sum, s) => sum + s.count, 0), assessed: assessed.reduce((sum, s) => sum + s.count, 0) },
          stars: assessed.map((s) => ({ stars: s.stars ?? 0, count: s.count })),
          companies: grades.reduce((sum, g) => sum + g.count, 0),
          grades,
          gradeOrder: ruleSet.manifest.grades,
          decisions,
          lists: listCounts(entries, startsOn, endsOn),
          averageTotal: averages.averageTotal,
          averageScore: averages.averageScore,
          previousPeriod: previousCode,
          previous: previousFigures,
        }),
      );

      // 项目排名: ranks from the totals alone, then the outcomes page by page in rank order
      await sink.addSheet(projectRankingSpec(title('项目排名'), ruleSet, withPrevious), this.rankedProjects(run.id, { streetCode }, previous?.id ?? null, ruleSet, withPrevious));

      await sink.addSheet(companyRankingSpec(title('企业排名'), withPrevious), this.rankedCompanies(run.id, streetCode, previous?.id ?? null, withPrevious));

      const factsOfPart = partFacts(ruleSet);
      await sink.addSheet(
        detailSpec(title('指标明细')),
        this.projectPages(run.id, { streetCode }, null, (p) => detailRows(p, ruleSet, factsOfPart)),
      );

      await sink.addSheet(listSheetSpec(title('红黑榜')), entriesOfPeriod(entries, startsOn, endsOn).map((e) => listRow(e, startsOn, endsOn)));

      const ledger = await this.repository.ledgerEntries(selectionOf(scope), startsOn, endsOn);
      await sink.addSheet(ledgerSpec(title('诚信台账')), ledger.map(ledgerRow));

      await sink.addSheet(
        methodologySpec(title('方法说明')),
        methodologyRows({
          reportLabel: `${REPORT_KINDS['street-annual'].label}（street-annual）`,
          run,
          ruleSet,
          scope: where,
          generatedAt,
          timeZone: this.config.timeZone,
          notes: [
            '项目排名按总分从高到低，同分名次相同（如 1、2、2、4），同分者按项目编码排列；不参评项目列在最后，不排名。',
            '企业排名按企业得分从高到低（户数加权平均分加企业层面加减分），同分名次相同；街道报表中的企业得分为企业全部项目的得分。',
            '指标明细每个项目每个计分项目一行：原始值为该项所依据的指标值，数据明细列出计算所用的数据。',
            `红黑榜列出期末（${endsOn}）在榜和本期（${startsOn} 至 ${endsOn}）有变动的名单记录；诚信台账列出本期记录日期的条目。`,
            withPrevious ? `与上期比较依据上期（${previousCode}）已发布的考核运行 #${previous.id}。` : `上期（${previousCode}）没有已发布的考核运行，不作比较。`,
          ],
        }),
      );
    };
    return { runId: run.id, write };
  }

  private async *rankedProjects(runId: number, scope: ProjectScope, previousRunId: number | null, ruleSet: CompiledRuleSet, withPrevious: boolean): AsyncGenerator<SheetRow> {
    const keys = await this.repository.projectKeys(runId, scope);
    const ranked = rankBy(keys, (k) => k.total, 'higher', (a, b) => compareText(a.code, b.code));
    const fetch = (from: number) => this.repository.projectsByIds(runId, ranked.slice(from, from + PAGE_SIZE).map((r) => r.item.projectId), previousRunId);
    // the next page is read while this one is written
    let next = fetch(0);
    for (let i = 0; i < ranked.length; i += PAGE_SIZE) {
      const rows = await next;
      if (i + PAGE_SIZE < ranked.length) next = fetch(i + PAGE_SIZE);
      for (let j = 0; j < rows.length; j++) yield projectRankingRow(ranked[i + j].rank, rows[j], ruleSet, withPrevious);
    }
  }

  private async *rankedCompanies(runId: number, streetCode: string | null, previousRunId: number | null, withPrevious: boolean): AsyncGenerator<SheetRow> {
    const keys = await this.repository.companyKeys(runId, streetCode);
    const ranked = rankBy(keys, (k) => k.score, 'higher', (a, b) => compareText(a.uscc, b.uscc));
    for (let i = 0; i < ranked.length; i += PAGE_SIZE) {
      const page = ranked.slice(i, i + PAGE_SIZE);
      const rows = await this.repository.companiesByIds(runId, page.map((r) => r.item.companyId), streetCode, previousRunId);
      for (let j = 0; j < rows.length; j++) yield companyRankingRow(page[j].rank, rows[j], withPrevious);
    }
  }

  /** Every project in scope by code, `PAGE_SIZE` outcomes at a time (keyset pagination on the code). */
  private async *projectPages(runId: number, scope: ProjectScope, previousRunId: number | null, rowsOf: (p: ProjectRow) => SheetRow[]): AsyncGenerator<SheetRow> {
    let next = this.repository.projectPage(runId, scope, null, PAGE_SIZE, previousRunId);
    for (;;) {
      const page = await next;
      const more = page.length === PAGE_SIZE;
      // the next page is read while this one is written
      if (more) next = this.repository.projectPage(runId, scope, page[page.length - 1].code, PAGE_SIZE, previousRunId);
      for (const p of page) yield* rowsOf(p);
      if (!more) return;
    }
  }

  // ---- 企业考核评分表 -------------------------------------------------------------------------

  private async companyScoresheet(period: Period, scope: ReportScope, uscc: string, generatedAt: Date) {
    const company = await this.repository.companyByUscc(uscc);
    if (!company) throw companyUnknown(uscc);
    const { run, ruleSet } = await this.run(period, scope);
    const [row] = await this.repository.companiesByIds(run.id, [company.id], scope.streetCode, null);
    if (!row) throw new DomainError('COMPANY_NOT_IN_RUN', `company ${uscc} is not in run ${run.id}`, `企业 ${uscc} 不在考核运行 #${run.id} 中`);
    if (scope.streetCode !== null && row.projectsInScope === 0) {
      throw new DomainError('COMPANY_NOT_IN_STREET', `company ${uscc} has no project in street ${scope.streetCode}`, `企业 ${uscc} 在街道 ${scope.streetCode} 没有物业项目`);
    }
    const where = scope.streetCode === null ? '企业全部项目' : `${scopeText(scope.streetCode, scope.streetName)}范围内的项目`;
    const { startsOn, endsOn } = periodDates(period);
    const events = await this.repository.creditEvents(company.id, startsOn, endsOn, selectionOf(scope));
    const title = scoresheetTitle(row, period);
    const projects: ProjectScope = { streetCode: scope.streetCode, companyId: company.id };

    const write = async (sink: WorkbookSink) => {
      await sink.addSheet(companySummarySpec(`${title} · 企业汇总`), companySummaryRows(row, run, period, where, row.projectsInScope));
      const lines = async function* (this: ReportsService): AsyncGenerator<SheetRow> {
        for (const line of companyLines(run.id, row.outcome, ruleSet, events)) yield scoresheetRow(line);
        yield* this.projectPages(run.id, projects, null, (p) => projectLines(run.id, p.outcome, ruleSet, events).map((line) => scoresheetRow(line)));
      };
      await sink.addSheet(scoresheetSpec(`${title} · 评分明细`), lines.call(this));
      await sink.addSheet(projectSummarySpec(`${title} · 项目汇总`, ruleSet), this.projectPages(run.id, projects, null, (p) => [projectSummaryRow(p, ruleSet)]));
      await sink.addSheet(
        methodologySpec(`${title} · 方法说明`),
        methodologyRows({
          reportLabel: `${REPORT_KINDS['company-scoresheet'].label}（company-scoresheet）`,
          run,
          ruleSet,
          scope: `${row.name}（${row.uscc}），${where}`,
          generatedAt,
          timeZone: this.config.timeZone,
          notes: [
            '评分明细每个指标一行：按档次计分的项目一行，各条相加的项目（如党建引领）每条一行（未得分的也列出），加分、扣分、一票否决每条一行。',
            '“行号”在同一次考核运行中唯一且不变（运行编号-项目编码-计分项目[-规则编号]），异议申诉按行号逐行提出。',
            '证据与说明列出加减分所依据的事件（编号、日期、来源、证据）。',
          ],
        }),
      );
    };
    return { runId: run.id, write };
  }

  // ---- 按月通报 / 按季调度 --------------------------------------------------------------------

  private async bulletin(kind: 'monthly-bulletin' | 'quarterly-dispatch', period: Period, scope: ReportScope, generatedAt: Date) {
    const source = await this.bulletinRuleSet(period, scope);
    const parameters = metricParameters(source.ruleSet);
    const where = scopeText(scope.streetCode, scope.streetName);
    const { startsOn, endsOn } = periodDates(period);

    const write = async (sink: WorkbookSink) => {
      const [projects, companyNames, streetNames, entries] = await Promise.all([
        this.metrics.projectMetrics({ period: period.code, streetCode: scope.streetCode }, parameters),
        this.repository.companyNames(scope.streetCode),
        this.repository.streetNames(),
        this.repository.listEntries(selectionOf(scope), endsOn),
      ]);
      let months: { month: string; counts: Counts }[] | undefined;
      if (kind === 'quarterly-dispatch') {
        months = [];
        for (const month of periodMonths(period)) {
          const monthly = await this.metrics.projectMetrics({ period: month, streetCode: scope.streetCode }, parameters);
          months.push({ month, counts: monthly.reduce((sum, m) => addCounts(sum, countsOf(m)), zeroCounts()) });
        }
      }
      const input: BulletinInput = {
        kind,
        period,
        scope: where,
        ruleSetText: source.text,
        share: source.ruleSet.manifest.parameters.lists.worstComplaintShare,
        projects,
        companyNames,
        streetNames,
        movements: entries.filter((e) => transitionsIn(e, startsOn, endsOn).length > 0),
        months,
      };
      const figures = bulletinFigures(input);
      const title = (what: string) => bulletinTitle(input, what);
      await sink.addSheet(bulletinOverviewSpec(title('概况')), bulletinOverviewRows(input, figures));
      await sink.addSheet(complaintRankingSpec(title('项目投诉排名')), complaintRankingRows(figures.projects, input.share));
      await sink.addSheet(feeRankingSpec(title('项目收缴率排名')), feeRankingRows(figures.projects, input.share));
      await sink.addSheet(companyBulletinSpec(title('企业排名')), companyBulletinRows(figures.companies, input.share));
      await sink.addSheet(movementsSpec(title('名单变动')), movementRows(input.movements, startsOn, endsOn));
      await sink.addSheet(notesSpec(title('说明')), [
        ...bulletinNotes(input).map((text) => ({ cells: [text] })),
        { cells: [`范围：${where}；生成时间：${dateTimeText(generatedAt, this.config.timeZone)}`] },
      ]);
    };
    return { runId: source.runId, write };
  }

  /**
   * The definitions (positive answer, response window) and the worst share come from a rule set:
   * that of the period's own run if there is one, else of its year's run, else the default set.
   */
  private async bulletinRuleSet(period: Period, scope: ReportScope): Promise<{ ruleSet: CompiledRuleSet; text: string; runId: number | null }> {
    for (const code of [period.code, String(period.year)]) {
      const run = chooseRun(await this.runsOf(code, scope), scope.streetCode);
      if (run) {
        const ruleSet = compileRunRuleSet(run.id, await this.repository.ruleSetFiles(run.id));
        return { ruleSet, text: `考核运行 #${run.id}（${code}）所用规则集 ${run.ruleSetName} ${run.ruleSetVersion}`, runId: run.id };
      }
    }
    const ruleSet = loadRuleSet(readRuleSetDirectory(DEFAULT_RULES_DIR));
    return { ruleSet, text: `默认规则集 ${ruleSet.manifest.name} ${ruleSet.manifest.version}（本期及本年度尚无考核运行）`, runId: null };
  }

  // ---- 红黑榜公示 ---------------------------------------------------------------------------

  private async listPublication(period: Period, scope: ReportScope, generatedAt: Date) {
    const { run, ruleSet } = await this.run(period, scope);
    if (run.status !== 'published') {
      throw new DomainError(
        'RUN_NOT_PUBLISHED',
        `the run of ${period.code} (#${run.id}) is not published`,
        `考核周期 ${period.code} 的考核运行 #${run.id} 尚未发布，红黑榜只依据已发布的结果公示（redprop publish ${run.id}）`,
      );
    }
    const where = scopeText(scope.streetCode, scope.streetName);
    const { startsOn, endsOn } = periodDates(period);
    const entries = await this.repository.listEntries(selectionOf(scope), endsOn);
    const title = publicationTitle(period, where);
    const write = async (sink: WorkbookSink) => {
      await sink.addSheet(publicationSpec(title), publicationRows(openEntriesOn(entries, endsOn), startsOn, endsOn));
      await sink.addSheet(leftSpec(`${title} · 本期移出`), leftRows(entriesLeftIn(entries, startsOn, endsOn), startsOn, endsOn));
      await sink.addSheet(
        methodologySpec(`${title} · 说明`),
        methodologyRows({
          reportLabel: `${REPORT_KINDS['list-publication'].label}（list-publication）`,
          run,
          ruleSet,
          scope: where,
          generatedAt,
          timeZone: this.config.timeZone,
          notes: [
            `公示名单为 ${endsOn} 在榜的企业（含本期新列入），“本期移出”列出 ${startsOn} 至 ${endsOn} 移出或期满移出的企业。`,
            ...publicationNotes(ruleSet.manifest.parameters.lists, ruleSet.stages.lists.map((r) => ({ id: r.id, clause: r.clause }))),
          ],
        }),
      );
    };
    return { runId: run.id, write };
  }
}

/** The rows a report over one street (or every street) reads, as a scope of the repository's filters. */
function selectionOf(scope: ReportScope): AccessScope {
  return streetSelection(scope.streetCode);
}

function notesSpec(title: string): SheetSpec {
  return { name: '说明', title, columns: [{ header: '说明', width: 140, format: 'text' }] };
}
