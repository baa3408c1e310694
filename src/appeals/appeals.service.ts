import { note } from '../assessment/notes.js';
import { noteText } from '../reports/note-text.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AccessScope } from '../domain/access.js';
import { AccessService, outOfScope } from '../access/access.service.js';
import { AssessmentRepository } from '../assessment/assessment.repository.js';
import { formatFact } from '../assessment/explain.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { UnitOfWork } from '../db/database.js';
import { CLOCK, localDate, type Clock } from '../domain/clock.js';
import { DomainError, badInput, companyUnknown } from '../domain/errors.js';
import { parsePeriod, periodDates } from '../domain/period.js';
import { reversalsForCorrections } from '../ledger/ledger-revision.js';
import { listChangesOnRevision } from '../lists/list-revision.js';
import type { FactValue } from '../rules/rule-json.js';
import type { CompiledRuleSet } from '../rules/rule-set.js';
import { AppealsRepository, type AppealLineRow, type AppealLineState, type AuditEntry } from './appeals.repository.js';
import { answerDeadline, appealDates, appealTerms, isPast, type AppealDates } from './appeal-terms.js';
import { reviseCompany } from './revision.js';
import { EVENT_CLAIM_INCREASE_ZH, parseClaimedValue, raisesEventCount } from './sheet/claimed-value.js';
import { isEventCountFact } from '../assessment/facts.js';
import { compileRunRuleSet } from '../rules/rule-set.loader.js';

export type ReviewLevel = 'street' | 'bureau';

export interface DecisionRequest {
  /** the appeal line's number (appeal_lines.id) */
  appealLineId: number;
  outcome: 'accept' | 'reject';
  reason: string;
  reviewer: string;
  /** guards against deciding at the wrong level; the line's state decides the level */
  level?: ReviewLevel;
  /** the value the bureau accepts, when it differs from the claim */
  value?: string;
}

export interface RevisionSummary {
  revision: number;
  scoreBefore: number | null;
  scoreAfter: number | null;
  gradeBefore: string | null;
  gradeAfter: string | null;
  listsBefore: string[];
  listsAfter: string[];
  changedProjects: string[];
  listTransitions: { list: string; kind: string }[];
  ledgerReversals: number;
}

export interface DecisionReport {
  appealLineId: number;
  lineId: string;
  level: ReviewLevel;
  outcome: 'accept' | 'reject';
  state: AppealLineState;
  revision: RevisionSummary | null;
}

export const STATE_LABELS: Record<AppealLineState, string> = {
  submitted: '已提交，待街道初审',
  bureau_review: '街道初审同意，待住建局复核',
  accepted: '申诉成立',
  rejected: '申诉不成立',
  replaced: '已被重新提交的申诉替换',
};

/** Review of appeal lines, the revisions accepted lines produce, finality of results, and the audit trail. */
@Injectable()
export class AppealsService {
  private readonly logger = new Logger(AppealsService.name);

  constructor(
    private readonly appeals: AppealsRepository,
    private readonly runs: AssessmentRepository,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The deadlines of a published run. */
  datesOf(run: { id: number; publishedAt: Date | null; ruleSetFiles: Record<string, string> }): AppealDates & { ruleSet: CompiledRuleSet } {
    const ruleSet = compileRunRuleSet(run.id, run.ruleSetFiles);
    if (!run.publishedAt) throw runNotPublished(run.id);
    return { ...appealDates(run.publishedAt, appealTerms(ruleSet.manifest.parameters, this.config), this.config.timeZone), ruleSet };
  }

  /**
   * Decides a line. A street office decides the lines of its street's projects and the company-level
   * lines of companies operating there, at street level only; the bureau any line, at bureau level
   * unless it says it takes the street review itself (`level: 'street'`); a company none.
   */
  async decide(request: DecisionRequest, scope: AccessScope): Promise<DecisionReport> {
    if (scope.kind === 'company') throw outOfScope(scope, 'an appeal decision', '申诉审核');
    if (scope.kind === 'street' && request.level === 'bureau') throw outOfScope(scope, 'a bureau-level decision', '住建局复核');
    if (!(await this.appeals.lineInScope(request.appealLineId, scope)) && (await this.appeals.findLine(request.appealLineId))) {
      throw outOfScope(scope, `appeal line ${request.appealLineId}`, `申诉行 #${request.appealLineId} `);
    }
    if (scope.kind === 'street') request = { ...request, level: 'street' };
    const reason = request.reason.trim();
    if (reason === '') throw badInput('APPEAL_DECISION_REASON_REQUIRED', 'a decision needs a written reason', '审核决定须写明理由（--reason）');
    const reviewer = request.reviewer.trim();
    if (reviewer === '') throw badInput('APPEAL_REVIEWER_REQUIRED', 'a decision needs the reviewer', '审核决定须注明审核人');
    const now = this.clock.now();
    const report = await this.appeals.transaction(async (unit) => {
      const line = await this.appeals.findLine(request.appealLineId, unit);
      if (!line) throw new DomainError('APPEAL_LINE_NOT_FOUND', `appeal line ${request.appealLineId} not found`, `申诉行 #${request.appealLineId} 不存在`);
      const level: ReviewLevel | null = line.state === 'submitted' ? 'street' : line.state === 'bureau_review' ? 'bureau' : null;
      if (level === null) {
        throw new DomainError(
          'APPEAL_LINE_CLOSED',
          `appeal line ${line.id} is ${line.state}`,
          `申诉行 #${line.id} 当前状态为“${STATE_LABELS[line.state]}”，不能再作审核决定`,
        );
      }
      if (request.level !== undefined && request.level !== level) {
        throw new DomainError(
          'APPEAL_WRONG_LEVEL',
          `appeal line ${line.id} awaits ${level} review, not ${request.level}`,
          `申诉行 #${line.id} 待${level === 'street' ? '街道初审' : '住建局复核'}，不能以${request.level === 'street' ? '街道' : '住建局'}身份决定`,
        );
      }
      let decidedValue: FactValue | null = null;
      if (request.value !== undefined) {
        if (level !== 'bureau' || request.outcome !== 'accept')
          throw badInput('APPEAL_VALUE_NOT_ALLOWED', 'only an accepting bureau decision sets a value', '只有住建局复核认定申诉成立时才能指定更正值（--value）');
        const parsed = parseClaimedValue(line.fact ?? '', request.value);
        if (!parsed.ok) throw badInput(parsed.code, `invalid value "${request.value}"`, `更正值“${request.value}”无效：${parsed.message}`);
        decidedValue = parsed.value;
        if (raisesEventCount(line.fact, line.originalValue, parsed.value)) {
          throw badInput('APPEAL_EVENT_CLAIM_INCREASE', 'an appeal cannot raise an event count', EVENT_CLAIM_INCREASE_ZH);
        }
      }
      const base = { appealLineId: line.id, level, outcome: request.outcome, reviewer, reason, decidedAt: now };
      const audit: AuditEntry[] = [
        {
          at: now,
          actor: reviewer,
          action: `appeal.${level}_${request.outcome}`,
          companyId: line.companyId,
          runId: line.runId,
          subject: `appeal_line:${line.id}`,
          details: {
            lineId: line.lineId,
            reason,
            summaryZh: `${level === 'street' ? '街道初审' : '住建局复核'}${request.outcome === 'accept' ? '同意' : '不同意'}申诉行 #${line.id}（行号 ${line.lineId}）：${reason}`,
          },
        },
      ];
      let state: AppealLineState;
      let revision: RevisionSummary | null = null;
      if (request.outcome === 'reject') {
        state = 'rejected';
      } else if (level === 'street') {
        state = 'bureau_review';
      } else {
        state = 'accepted';
        const value = decidedValue ?? (line.claimedValue as FactValue | null);
        if (value === null || value === undefined) {
          throw badInput(
            'APPEAL_VALUE_REQUIRED',
            `appeal line ${line.id} claims no value`,
            `申诉行 #${line.id} 未填写申诉主张值，认定成立时须用 --value 指定更正值`,
          );
        }
        revision = await this.revise(unit, line, value, reviewer, now, audit);
      }
      await this.appeals.insertDecision(unit, { ...base, decidedValue: decidedValue });
      await this.appeals.setLineState(unit, line.id, state);
      await this.appeals.audit(unit, audit);
      return { appealLineId: line.id, lineId: line.lineId, level, outcome: request.outcome, state, revision };
    });
    this.logger.log(
      `appeal line ${report.appealLineId} ${report.level} ${report.outcome} → ${report.state}${report.revision ? `, revision ${report.revision.revision}` : ''}`,
    );
    return report;
  }

  /** An accepted line: the fact is corrected, the company re-scored, lists and ledger follow. */
  private async revise(unit: UnitOfWork, line: AppealLineRow, value: FactValue, actor: string, now: Date, audit: AuditEntry[]): Promise<RevisionSummary> {
    const run = await this.appeals.run(line.runId, unit);
    if (!run || run.status !== 'published') {
      throw new DomainError(
        'APPEAL_RUN_NOT_CURRENT',
        `run ${line.runId} is no longer the published run`,
        `考核运行 #${line.runId} 已不是本期发布的结果（已被替代），不能再据此修订`,
      );
    }
    if (!line.fact) throw badInput('APPEAL_LINE_NOT_CORRECTABLE', `line ${line.lineId} has no fact to correct`, `行号 ${line.lineId} 没有可更正的指标`);
    await this.appeals.lockCompanyResult(unit, run.id, line.companyId);
    const current = (await this.appeals.currentResult(run.id, line.companyId, unit))!;
    const { ruleSet } = this.datesOf(run);
    const project = line.projectId === null ? null : current.projects.find((p) => p.projectId === line.projectId);
    const projectCode = project?.projectCode ?? null;
    const number = current.revision + 1;
    // the reason goes into list and ledger records that a street office reads for a company: it names
    // the appeal line by number, not by its 行号 (which names the project, perhaps in another street)
    const cause = note('cause.appealAccepted', { appealLineId: line.id });
    const why = noteText(cause);
    const revised = reviseCompany({
      ruleSet,
      company: current.company,
      projects: current.projects,
      corrections: [{ projectCode, fact: line.fact, value, lineId: line.lineId }],
      revision: number,
    });
    const before = current.company;
    const after = revised.company;
    const revisionId = await this.appeals.insertRevision(unit, {
      runId: run.id,
      companyId: line.companyId,
      revision: number,
      score: after.score,
      grade: after.grade,
      outcome: after,
      reason: why,
      createdBy: actor,
      createdAt: now,
    });
    const changed = new Set(revised.changedProjectCodes);
    await this.appeals.insertProjectRevisions(
      unit,
      revised.projects
        .filter((p) => changed.has(p.projectCode))
        .map((p) => ({
          revisionId,
          runId: run.id,
          projectId: p.projectId,
          revision: number,
          assessed: p.assessed,
          total: p.total,
          stars: p.stars,
          outcome: p,
        })),
    );
    const subjectFacts = project ? project.facts : before.facts;
    const original = (subjectFacts as Record<string, FactValue>)[line.fact] ?? null;
    await this.appeals.insertCorrection(unit, {
      appealLineId: line.id,
      runId: run.id,
      companyId: line.companyId,
      projectId: line.projectId,
      fact: line.fact,
      originalValue: original,
      correctedValue: value,
      revisionId,
      createdBy: actor,
      createdAt: now,
    });

    const today = localDate(now, this.config.timeZone);
    const period = parsePeriod(run.periodCode)!;
    const { startsOn, endsOn } = periodDates(period);
    const transitions = listChangesOnRevision({
      periodRunIds: await this.runs.runIdsOfPeriod(unit, run.periodCode, run.streetCode),
      companyId: line.companyId,
      periodEnd: endsOn,
      on: today,
      before: before.lists,
      after: after.lists,
      openEntries: await this.runs.openListEntriesOf(unit, line.companyId),
      parameters: ruleSet.manifest.parameters.lists,
      cause,
    });
    await this.runs.recordCompensation(unit, run.id, transitions, 'appeal_accepted');

    let reversals = 0;
    if (isEventCountFact(line.fact) && typeof original === 'number' && typeof value === 'number') {
      const entries = await this.appeals.ledgerEntriesForEvents(unit, line.companyId, startsOn, endsOn);
      const drafts = reversalsForCorrections(
        [{ projectCode, fact: line.fact, from: original, to: value, mentions: `${line.reason}\n${line.evidence ?? ''}` }],
        entries,
        today,
        cause,
      );
      await this.runs.appendLedgerEntries(unit, run.id, drafts, 'appeal_accepted');
      reversals = drafts.length;
    }

    const summary: RevisionSummary = {
      revision: number,
      scoreBefore: before.score,
      scoreAfter: after.score,
      gradeBefore: before.grade,
      gradeAfter: after.grade,
      listsBefore: before.lists.map((l) => l.list),
      listsAfter: after.lists.map((l) => l.list),
      changedProjects: [...changed],
      listTransitions: transitions.map((t) => ({ list: t.list, kind: t.kind })),
      ledgerReversals: reversals,
    };
    const where = projectCode ? `项目 ${projectCode}` : '企业层面';
    audit.push(
      {
        at: now,
        actor,
        action: 'fact.corrected',
        companyId: line.companyId,
        runId: run.id,
        subject: `appeal_line:${line.id}`,
        details: {
          fact: line.fact,
          projectCode,
          original,
          corrected: value,
          summaryZh: `更正${where}“${line.fact}”：${formatFact(line.fact, original)} → ${formatFact(line.fact, value)}（原始数据不变，更正记录引用行号 ${line.lineId}）`,
        },
      },
      {
        at: now,
        actor,
        action: 'result.revised',
        companyId: line.companyId,
        runId: run.id,
        subject: `company_revision:${revisionId}`,
        details: {
          ...summary,
          summaryZh:
            `结果修订为第 ${number} 版：企业得分 ${before.score ?? '—'} → ${after.score ?? '—'}，信用等级 ${before.grade ?? '未评定'} → ${after.grade ?? '未评定'}` +
            `${transitions.length > 0 ? `，名单变动 ${transitions.map((t) => `${t.list === 'red' ? '红榜' : '黑榜'}${TRANSITION_LABELS[t.kind]}`).join('、')}` : ''}` +
            `${reversals > 0 ? `，冲销诚信台账 ${reversals} 条` : ''}`,
        },
      },
    );
    return summary;
  }

  /** Lines in review and decided, filtered; with their decisions. */
  /** Appeal lines in scope with their decisions (a street office: its street's projects' and the company-level lines of companies operating there). */
  async listLines(filter: { uscc?: string; period?: string; states?: AppealLineState[] }, scope: AccessScope) {
    let companyId: number | undefined;
    if (filter.uscc !== undefined) {
      await this.access.assertCompany(scope, filter.uscc);
      companyId = (await this.company(filter.uscc)).id;
    }
    const rows = await this.appeals.listLines({ companyId, periodCode: filter.period, states: filter.states }, scope);
    const decisions = await this.appeals.decisionsOf(rows.map((r) => r.line.id));
    return rows.map((r) => ({ ...r, decisions: decisions.filter((d) => d.appealLineId === r.line.id) }));
  }

  /**
   * Makes final the results whose appeal window has closed with no appeal open (and no rejection
   * that may still be answered). Idempotent; meant for a daily schedule and `appeal:close`.
   */
  async closeWindows(actor = 'system'): Promise<{ runId: number; period: string; deadline: string; finalised: number; waiting: number }[]> {
    const now = this.clock.now();
    const report = [];
    for (const run of await this.appeals.publishedRuns()) {
      const dates = this.datesOf(run);
      if (!isPast(dates.appealDeadline, now, this.config.timeZone)) continue;
      const terms = appealTerms(dates.ruleSet.manifest.parameters, this.config);
      const pending = await this.appeals.companiesNotFinal(run.id);
      if (pending.length === 0) continue;
      const open = await this.appeals.openLineCompanies(run.id);
      for (const r of await this.appeals.answerableRejections(run.id)) {
        if (!isPast(answerDeadline(dates.appealDeadline, r.decidedAt, terms, this.config.timeZone), now, this.config.timeZone)) open.add(r.companyId);
      }
      const finals = pending.filter((p) => !open.has(p.companyId));
      await this.appeals.transaction(async (unit) => {
        await this.appeals.insertFinal(
          unit,
          finals.map((f) => ({ runId: run.id, companyId: f.companyId, revision: f.revision, finalizedAt: now })),
        );
        await this.appeals.audit(
          unit,
          finals.map((f) => ({
            at: now,
            actor,
            action: 'result.final',
            companyId: f.companyId,
            runId: run.id,
            subject: `run:${run.id}`,
            details: {
              revision: f.revision,
              deadline: dates.appealDeadline,
              summaryZh: `申诉期限 ${dates.appealDeadline} 届满且无未结申诉，${run.periodCode} 考核结果（${f.revision === 0 ? '发布版' : `第 ${f.revision} 版`}）成为最终结果`,
            },
          })),
        );
      });
      report.push({ runId: run.id, period: run.periodCode, deadline: dates.appealDeadline, finalised: finals.length, waiting: pending.length - finals.length });
    }
    return report;
  }

  /** A company's result in a run as published (revision 0) and every revision since, newest last. */
  /** The published result and its revisions: for the company itself and the bureau (a revision's reason names appeal lines of any street). */
  async revisions(runId: number, uscc: string, scope: AccessScope) {
    if (scope.kind === 'street') throw outOfScope(scope, 'the revisions of a company', `企业 ${uscc} 的修订记录`);
    await this.access.assertCompany(scope, uscc);
    if (!(await this.runs.findRunInScope(runId, scope))) throw new DomainError('RUN_NOT_FOUND', `run ${runId} not found`, `考核运行 #${runId} 不存在`);
    const company = await this.company(uscc);
    const original = await this.runs.originalCompanyResult(runId, company.id);
    if (!original) throw new DomainError('COMPANY_NOT_IN_RUN', `company ${uscc} is not in run ${runId}`, `企业 ${uscc} 不在考核运行 #${runId} 中`);
    const revisions = await this.appeals.revisionsOf(runId, company.id);
    const final = await this.appeals.finalOf(runId, company.id);
    return {
      company,
      runId,
      published: { revision: 0, score: original.score, grade: original.grade, lists: original.outcome.lists.map((l) => l.list) },
      revisions,
      current: revisions.length === 0 ? 0 : revisions[revisions.length - 1].revision,
      final: final ? { revision: final.revision, finalizedAt: final.finalizedAt } : null,
    };
  }

  /** Everything recorded about a company's appeals, corrections, revisions, finality and credit repair. */
  async history(uscc: string, scope: AccessScope) {
    if (scope.kind === 'street') throw outOfScope(scope, 'the appeal history of a company', `企业 ${uscc} 的申诉记录`);
    await this.access.assertCompany(scope, uscc);
    const company = await this.company(uscc);
    return { company, entries: await this.appeals.auditOf(company.id) };
  }

  async company(uscc: string) {
    const company = await this.appeals.companyByUscc(uscc);
    if (!company) throw companyUnknown(uscc);
    return company;
  }
}

const TRANSITION_LABELS: Record<string, string> = { entered: '列入', held: '保持', cleared: '本期不符合', exited: '移出', expired: '期满移出' };

export function runNotPublished(runId: number): DomainError {
  return new DomainError('RUN_NOT_PUBLISHED', `run ${runId} is not published`, `考核运行 #${runId} 尚未发布，发布后才能申诉`);
}
