import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ListTransition } from '../lists/list-lifecycle.js';
import { listChangesOnRevision, withdrawPeriodEntries } from '../lists/list-revision.js';
import { AccessService, outOfScope } from '../access/access.service.js';
import { EVERYTHING, type AccessScope } from '../domain/access.js';
import { CLOCK, localDate, type Clock } from '../domain/clock.js';
import type { UnitOfWork } from '../db/database.js';
import { DomainError, badInput } from '../domain/errors.js';
import { parsePeriod, periodDates, type Period, requirePeriod } from '../domain/period.js';
import { ledgerEntriesFor } from '../ledger/ledger.js';
import { applyListPeriod } from '../lists/list-lifecycle.js';
import type { CompiledRuleSet, RuleSetSource } from '../rules/rule-set.js';
import { compileRunRuleSet, loadRuleSet, readRuleSetDirectory, ruleSetFingerprint, ruleSetInForce, RULES_ROOT } from '../rules/rule-set.loader.js';
import { AssessmentRepository, type ChangeCause, type RunRow, type StoredCompanyResult, type StoredProjectResult } from './assessment.repository.js';
import type { MetricParameters, MetricScope } from './metrics.js';
import { MetricsRepository } from './metrics.repository.js';
import { note } from './notes.js';
import { assessInBatches, type ListDecision, type StoredCorrection } from './scoring.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { explainCompany, explainProject } from './explain.js';
import { RunSummaryCounter } from './run-summary.js';
import { ruleTraceEntries } from './trace.js';
import {
  companyOutcomeWithin,
  digestOf,
  INSERTION_ORDER_DIGEST_ENGINES,
  insertionOrderDigestOf,
  OutcomeDigest,
  withoutLineClauses,
  type StoredCompanyOutcome,
  type StoredProjectOutcome,
} from './stored-outcome.js';

/** Bumped whenever scoring semantics change, so fingerprints of older runs stay honest. */
export const ENGINE_VERSION = 'redprop-scoring/3';

/** Runs of engines before redprop-scoring/3 carry the input digest over every row read (the maintained one came with /3). */
function carriesLegacyDigest(engineVersion: string): boolean {
  const version = /^redprop-scoring\/(\d+)$/.exec(engineVersion);
  return version !== null && Number(version[1]) < 3;
}

export interface AssessRequest {
  period: string;
  streetCode: string | null;
  /** a rule set directory; or */
  rulesDir?: string;
  /** the rule set's files themselves (e.g. a draft sent over HTTP); default: the set in force */
  ruleSet?: RuleSetSource;
  publish: boolean;
}

export interface StageTiming {
  stage: 'metrics' | 'rules' | 'persistence' | 'publication';
  seconds: number;
  peakRssMb: number;
}

export interface RunSummary {
  projectsAssessed: number;
  projectsNotAssessed: number;
  stars: Record<string, number>;
  grades: Record<string, number>;
  redListDecisions: number;
  blackListDecisions: number;
  smallSampleProjects: number;
  vetoedCompanies: number;
  listChanges?: { entered: Record<string, number>; exited: Record<string, number>; expired: Record<string, number> };
  ledgerEntries?: number;
}

export interface RunReport {
  runId: number;
  period: string;
  streetCode: string | null;
  ruleSet: { name: string; version: string; fingerprint: string };
  fingerprint: string;
  inputDigest: string;
  outcomeDigest: string;
  status: 'draft' | 'published' | 'superseded';
  summary: RunSummary;
  ruleEvaluations: number;
  timings: StageTiming[];
  /** of the metrics stage: the input digest's own time */
  digestSeconds: number;
}

@Injectable()
export class AssessmentService {
  private readonly logger = new Logger(AssessmentService.name);
  /** where the rule sets live; tests point it elsewhere */
  rulesRoot = RULES_ROOT;

  constructor(
    private readonly metrics: MetricsRepository,
    private readonly runs: AssessmentRepository,
    private readonly access: AccessService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Everything that can refuse a run before any work: the period, the street, a rule set in force that loads. */
  async check(request: AssessRequest): Promise<{ period: Period; ruleSet: CompiledRuleSet }> {
    const period = this.period(request.period);
    if (request.streetCode !== null && !(await this.runs.streetExists(request.streetCode))) {
      throw badInput('STREET_UNKNOWN', `unknown street ${request.streetCode}`, `街道编码“${request.streetCode}”不存在`);
    }
    const source = request.ruleSet ?? readRuleSetDirectory(request.rulesDir ?? ruleSetInForce(this.rulesRoot, period.code));
    return { period, ruleSet: loadRuleSet(source) };
  }

  /** Measures, scores and stores a run; publishes it in the same transaction when asked. */
  async run(request: AssessRequest): Promise<RunReport> {
    const { period, ruleSet } = await this.check(request);
    const scope: MetricScope = { period: period.code, streetCode: request.streetCode };
    const parameters = metricParameters(ruleSet);
    const timings: StageTiming[] = [];
    const timed = async <T>(stage: StageTiming['stage'], work: () => Promise<T> | T): Promise<T> => {
      const started = performance.now();
      const result = await work();
      timings.push({ stage, seconds: (performance.now() - started) / 1000, peakRssMb: peakRssMb() });
      return result;
    };

    const {
      projects: projectMetrics,
      companies: companyMetrics,
      inputDigest,
      digestSeconds,
      corrections,
    } = await timed('metrics', () => this.metrics.readAssessmentInputs(scope, parameters, period.code));
    const ruleFingerprint = ruleSetFingerprint(ruleSet.files);
    const fingerprint = runFingerprint(inputDigest, corrections, ruleFingerprint, ENGINE_VERSION);

    // Scored, serialised, hashed and written company batch by company batch, in the transaction
    // that stores the run: memory holds one batch, and the event loop turns between batches.
    const seconds = { rules: 0, persistence: 0 };
    const lap = (stage: keyof typeof seconds, since: number) => {
      const now = performance.now();
      seconds[stage] += (now - since) / 1000;
      return now;
    };
    const summaryCounter = new RunSummaryCounter();
    const digest = new OutcomeDigest();
    let ruleEvaluations = 0;
    let outcomeDigest = '';
    const report = await this.runs.transaction(async (unit) => {
      let mark = performance.now();
      const runId = await this.runs.insertRun(unit, {
        periodCode: period.code,
        streetCode: request.streetCode,
        ruleSetName: ruleSet.manifest.name,
        ruleSetVersion: ruleSet.manifest.version,
        ruleSetFingerprint: ruleFingerprint,
        ruleSetFiles: { ...ruleSet.files },
        engineVersion: ENGINE_VERSION,
        inputDigest,
        fingerprint,
        outcomeDigest: '',
        summary: {},
      });
      mark = lap('persistence', mark);
      const batches = assessInBatches(
        { ruleSet, period, projects: projectMetrics, companies: companyMetrics, corrections },
        this.config.limits.assessmentBatchProjects,
      );
      let pending: { projects: StoredProjectResult[]; companies: StoredCompanyResult[] } = { projects: [], companies: [] };
      // one write in flight while the next batches are scored: the server stores one lot while this
      // process scores the next (the transaction's one connection takes one COPY at a time)
      let writing: Promise<void> = Promise.resolve();
      const write = async () => {
        const lot = pending;
        pending = { projects: [], companies: [] };
        await writing;
        writing = this.runs.insertResults(unit, runId, lot.projects, lot.companies);
        // a failure is thrown where the write is awaited next (before the next write, or at the end)
        writing.catch(() => undefined);
      };
      for (let next = batches.next(); ; next = batches.next()) {
        if (next.done) {
          ruleEvaluations = next.value.ruleEvaluations;
          mark = lap('rules', mark);
          break;
        }
        const batch = digest.add(next.value);
        summaryCounter.add(next.value);
        for (const { outcome: p, json } of batch.projects) {
          pending.projects.push({ projectId: p.projectId, assessed: p.assessed, total: p.total, stars: p.stars, outcomeJson: json });
        }
        for (const { outcome: c, json } of batch.companies)
          pending.companies.push({ companyId: c.companyId, score: c.score, grade: c.grade, outcomeJson: json });
        mark = lap('rules', mark);
        if (pending.projects.length >= this.config.limits.assessmentWriteProjects) await write();
        await yieldToEventLoop();
        mark = lap('persistence', mark);
      }
      await write();
      await writing;
      outcomeDigest = digest.value();
      await this.runs.completeRun(unit, runId, outcomeDigest, summaryCounter.value() as unknown as Record<string, unknown>);
      lap('persistence', mark);
      const peak = peakRssMb();
      timings.push({ stage: 'rules', seconds: seconds.rules, peakRssMb: peak }, { stage: 'persistence', seconds: seconds.persistence, peakRssMb: peak });
      return { runId, publication: request.publish ? await timed('publication', () => this.publishInTransaction(unit, runId)) : null };
    });
    const summary: RunSummary = { ...summaryCounter.value(), ...report.publication };
    const status: RunReport['status'] = report.publication ? 'published' : 'draft';
    this.logger.log(`run ${report.runId} for ${period.code}: ${summaryCounter.projects} projects, fingerprint ${fingerprint.slice(0, 12)}`);
    return {
      runId: report.runId,
      period: period.code,
      streetCode: request.streetCode,
      ruleSet: { name: ruleSet.manifest.name, version: ruleSet.manifest.version, fingerprint: ruleFingerprint },
      fingerprint,
      inputDigest,
      outcomeDigest,
      status,
      summary,
      ruleEvaluations,
      timings,
      digestSeconds,
    };
  }

  /** Publishes a stored run: atomically supersedes the published run of its period and scope and applies lists and ledger. */
  async publish(runId: number): Promise<RunSummary> {
    return this.runs.transaction(async (unit) => {
      const changes = await this.publishInTransaction(unit, runId);
      const run = (await this.runs.findRun(runId, unit))!;
      return { ...(run.summary as unknown as RunSummary), ...changes };
    });
  }

  private async publishInTransaction(unit: UnitOfWork, runId: number) {
    const run = await this.runs.lockRun(unit, runId);
    if (!run) throw new DomainError('RUN_NOT_FOUND', `run ${runId} not found`, `考核运行 #${runId} 不存在`);
    if (run.status !== 'draft') {
      throw new DomainError(
        'RUN_NOT_DRAFT',
        `run ${runId} is ${run.status}`,
        `考核运行 #${runId} 已${run.status === 'published' ? '发布' : '被替代'}，不能再次发布`,
      );
    }
    const period = parsePeriod(run.periodCode)!;
    const { startsOn, endsOn } = periodDates(period);
    // Lists move forward in time: a period that ends before a published one ends would record its
    // transitions (dated its end) after that period's, on entries it has moved on. Refused; an older
    // result is corrected by appeal (a revision), which compensates in place.
    const later = (await this.runs.publishedPeriods(unit)).filter((code) => periodDates(parsePeriod(code)!).endsOn > endsOn).sort();
    if (later.length > 0) {
      throw new DomainError(
        'PUBLICATION_OUT_OF_ORDER',
        `run ${runId} is of ${run.periodCode}, which ends before the published ${later.join(', ')}`,
        `考核运行 #${runId} 的考核周期 ${run.periodCode} 早于已发布的 ${later.join('、')}：红黑榜按时间顺序推进，不能在较晚的周期发布后再发布较早的周期；较早周期的结果请通过申诉更正`,
      );
    }
    const previous = await this.runs.findPublished(unit, run.periodCode, run.streetCode);
    if (previous) await this.runs.markSuperseded(unit, previous.id);
    const now = this.clock.now();
    await this.runs.markPublished(unit, runId, now);
    const ruleSet = compileRunRuleSet(runId, run.ruleSetFiles);

    const outcomes = (await this.runs.companyOutcomesOfRun(unit, runId)) as { companyId: number; outcome: StoredCompanyOutcome }[];
    const decisions = new Map<number, ListDecision[]>();
    for (const { companyId, outcome } of outcomes) if (outcome.grade !== null) decisions.set(companyId, outcome.lists);
    const companyIds = outcomes.map((o) => o.companyId);
    const changes: NonNullable<RunSummary['listChanges']> = { entered: {}, exited: {}, expired: {} };
    const count = (transitions: readonly ListTransition[]) => {
      for (const t of transitions) {
        if (t.kind === 'entered' || t.kind === 'exited' || t.kind === 'expired') changes[t.kind][t.list] = (changes[t.kind][t.list] ?? 0) + 1;
      }
    };
    // the period's first publication moves the lists one period on for the companies it assesses
    const firstPublication = async (ids: number[], cause: ChangeCause) => {
      const transitions = applyListPeriod({
        periodEnd: endsOn,
        openEntries: await this.runs.openListEntries(unit, ids),
        decisions: new Map([...decisions].filter(([id]) => ids.includes(id))),
        parameters: ruleSet.manifest.parameters.lists,
      });
      await this.runs.recordListTransitions(unit, runId, transitions, cause);
      count(transitions);
    };
    if (!previous) {
      await firstPublication(companyIds, 'assessment');
    } else {
      // a republication replaces the superseded run's decisions with the new ones, company by
      // company, as an accepted appeal does: what no longer holds is withdrawn, what now holds enters;
      // a company new in the period is moved on as a first publication would; one no longer in it
      // loses what the period put on the lists
      const before = await this.runs.currentListDecisions(unit, previous.id);
      const why = note('cause.republication', { runId, previousRunId: previous.id });
      const today = localDate(now, this.config.timeZone);
      const periodRunIds = await this.runs.runIdsOfPeriod(unit, run.periodCode, run.streetCode);
      const parameters = ruleSet.manifest.parameters.lists;
      for (const companyId of companyIds.filter((id) => before.has(id))) {
        const openEntries = await this.runs.openListEntriesOf(unit, companyId);
        const after = decisions.get(companyId) ?? [];
        const transitions = listChangesOnRevision({
          periodRunIds,
          companyId,
          periodEnd: endsOn,
          on: today,
          before: before.get(companyId)!,
          after,
          openEntries,
          parameters,
          cause: why,
        });
        await this.runs.recordCompensation(unit, runId, transitions, 'republication');
        count(transitions);
      }
      await firstPublication(
        companyIds.filter((id) => !before.has(id)),
        'republication',
      );
      for (const companyId of [...before.keys()].filter((id) => !companyIds.includes(id))) {
        const transitions = withdrawPeriodEntries({
          periodRunIds,
          companyId,
          on: today,
          openEntries: await this.runs.openListEntriesOf(unit, companyId),
          cause: why,
        });
        await this.runs.recordCompensation(unit, runId, transitions, 'republication');
        count(transitions);
      }
    }
    const events = await this.runs.eventsBetween(unit, companyIds, startsOn, endsOn);
    const entries = ledgerEntriesFor(
      events,
      ruleSet,
      await this.runs.ledgeredEventIds(
        unit,
        events.map((e) => e.eventId),
      ),
    );
    await this.runs.appendLedgerEntries(unit, runId, entries);
    return { listChanges: changes, ledgerEntries: entries.length };
  }

  /**
   * Re-measures and re-scores a stored run with the rule files stored on it (whatever rules/
   * holds now) and compares fingerprints and outcomes. Stores nothing.
   */
  async verify(runId: number): Promise<RunVerification> {
    const run = await this.getRun(runId);
    const ruleSet = loadRuleSet({ location: `run ${runId}`, files: run.ruleSetFiles });
    const scope: MetricScope = { period: run.periodCode, streetCode: run.streetCode };
    const parameters = metricParameters(ruleSet);
    // a run of an engine before the maintained digest carries the digest over every row read
    const digest = carriesLegacyDigest(run.engineVersion) ? this.metrics.legacyInputDigest.bind(this.metrics) : undefined;
    const {
      projects,
      companies,
      inputDigest,
      corrections: allCorrections,
    } = await this.metrics.readAssessmentInputs(scope, parameters, run.periodCode, digest);
    // the corrections the run was made with: those accepted against earlier runs of the period
    const corrections = allCorrections.filter((c) => c.runId < run.id);
    let outcomes: boolean | null = null;
    if (!INSERTION_ORDER_DIGEST_ENGINES.has(run.engineVersion)) {
      const digest = new OutcomeDigest();
      const batches = assessInBatches(
        { ruleSet, period: this.period(run.periodCode), projects, companies, corrections },
        this.config.limits.assessmentBatchProjects,
      );
      for (let next = batches.next(); !next.done; next = batches.next()) {
        digest.add(next.value);
        await yieldToEventLoop();
      }
      outcomes = digest.value() === run.outcomeDigest;
    }
    // A run of an engine that hashed JSON in insertion order: its fingerprint is recomputed as it was
    // made (so inputs, corrections and rules are checked); its outcome digest covered outcomes of
    // another shape (notes as sentences), which this engine cannot reproduce: not comparable.
    const earlierShape = INSERTION_ORDER_DIGEST_ENGINES.has(run.engineVersion);
    const fingerprint = earlierShape
      ? runFingerprint(inputDigest, corrections, ruleSetFingerprint(run.ruleSetFiles), run.engineVersion, insertionOrderDigestOf)
      : runFingerprint(
          inputDigest,
          corrections,
          ruleSetFingerprint(run.ruleSetFiles),
          run.engineVersion === ENGINE_VERSION ? ENGINE_VERSION : `${ENGINE_VERSION} (run made by ${run.engineVersion})`,
        );
    return {
      runId,
      engineVersion: run.engineVersion,
      inputDigest: inputDigest === run.inputDigest,
      fingerprint: fingerprint === run.fingerprint,
      outcomes,
      recomputedFingerprint: fingerprint,
    };
  }

  /** The runs a scope may read; the run summaries (which count every street and company) for the bureau only. */
  async listRuns(scope: AccessScope) {
    const runs = await this.runs.listRuns(scope);
    return scope.kind === 'all' ? runs : runs.map(({ summary: _summary, ...run }) => run);
  }

  async getRun(runId: number): Promise<RunRow> {
    const run = await this.runs.findRun(runId);
    if (!run) throw new DomainError('RUN_NOT_FOUND', `run ${runId} not found`, `考核运行 #${runId} 不存在`);
    return run;
  }

  /** A run the scope may read: a draft is the bureau's, another street's run that street's. */
  async runInScope(runId: number, scope: AccessScope): Promise<RunRow> {
    const run = await this.runs.findRunInScope(runId, scope);
    if (run) return run;
    await this.getRun(runId);
    throw outOfScope(scope, `run ${runId}`, `考核运行 #${runId} `);
  }

  /** The run that answers for a period: the published one of all streets, else the newest. */
  async runForPeriod(periodCode: string, streetCode: string | null = null): Promise<RunRow> {
    this.period(periodCode);
    const chosen = await this.runs.currentRun(periodCode, streetCode);
    if (!chosen)
      throw new DomainError('RUN_NOT_FOUND', `no run for ${periodCode}`, `考核周期 ${periodCode} 尚无考核运行，请先运行 redprop assess --period ${periodCode}`);
    return chosen;
  }

  ruleSetOf(run: RunRow): CompiledRuleSet {
    return compileRunRuleSet(run.id, run.ruleSetFiles);
  }

  /** The companies of a run in scope, with score, grade, list decisions and revision. */
  async companyListing(runId: number, scope: AccessScope) {
    await this.runInScope(runId, scope);
    const rows = await this.runs.companyResultsOf(runId, scope);
    return rows.map(({ outcome, ...row }) => ({ ...row, lists: (outcome as StoredCompanyOutcome).lists }));
  }

  /** A company's result in a run with its projects in scope; a veto at a project outside the scope names no project. */
  async companyResult(runId: number, uscc: string, scope: AccessScope) {
    await this.access.assertCompany(scope, uscc);
    const [company] = await this.runs.companyResultsOf(runId, scope, uscc);
    if (!company) throw new DomainError('COMPANY_NOT_IN_RUN', `company ${uscc} is not in run ${runId}`, `企业 ${uscc} 不在考核运行 #${runId} 中`);
    const projects = (await this.runs.projectResultsOf(runId, scope, { companyId: company.companyId })) as (Awaited<
      ReturnType<AssessmentRepository['projectResultsOf']>
    >[number] & { outcome: StoredProjectOutcome })[];
    const visible = new Set(projects.map((p) => p.code));
    const outcome = companyOutcomeWithin(company.outcome as StoredCompanyOutcome, (code) => visible.has(code));
    return { company: { ...company, outcome }, projects };
  }

  /** A company's result in a run with its projects in scope, each with its readable explanation (Chinese). */
  async explainedResult(runId: number, uscc: string, scope: AccessScope) {
    const run = await this.runInScope(runId, scope);
    const ruleSet = this.ruleSetOf(run);
    const { company, projects } = await this.companyResult(runId, uscc, scope);
    return {
      run: {
        id: run.id,
        period: run.periodCode,
        street: run.streetCode,
        status: run.status,
        fingerprint: run.fingerprint,
        ruleSet: `${run.ruleSetName} ${run.ruleSetVersion}`,
      },
      company: {
        ...withoutLineClauses(company.outcome),
        trace: ruleTraceEntries(company.outcome.trace, ruleSet),
        explanation: explainCompany(company.outcome, ruleSet),
      },
      projects: projects.map((p) => ({
        ...withoutLineClauses(p.outcome),
        trace: ruleTraceEntries(p.outcome.trace, ruleSet),
        explanation: explainProject(p.outcome, ruleSet),
      })),
    };
  }

  /** The readable explanation of a company's result (or one of its projects) for a period. */
  async explain(periodCode: string, uscc: string, projectCode?: string): Promise<string> {
    const { run, company, projects } = await this.explainedResult((await this.runForPeriod(periodCode)).id, uscc, EVERYTHING);
    const header =
      `考核周期 ${run.period}    考核运行 #${run.id}（${run.status === 'published' ? '已发布' : run.status === 'draft' ? '草稿' : '已被替代'}）\n` +
      `规则集 ${run.ruleSet}    运行指纹 ${run.fingerprint}`;
    if (projectCode !== undefined) {
      const project = projects.find((p) => p.projectCode === projectCode);
      if (!project)
        throw new DomainError(
          'PROJECT_NOT_IN_RESULT',
          `project ${projectCode} is not a project of ${uscc} in run ${run.id}`,
          `项目 ${projectCode} 不属于企业 ${uscc} 或不在本次考核中`,
        );
      return `${header}\n\n${project.explanation}`;
    }
    return [header, company.explanation, ...projects.map((p) => p.explanation)].join('\n\n');
  }

  private period(code: string): Period {
    return requirePeriod(code);
  }
}

/** What `runs:verify` found; `outcomes` is null when the run's engine hashed outcomes of another shape (not comparable). */
export interface RunVerification {
  runId: number;
  engineVersion: string;
  inputDigest: boolean;
  fingerprint: boolean;
  outcomes: boolean | null;
  recomputedFingerprint: string;
}

/** What a run is made from: its inputs, the appeal corrections applied over them, the rules and the engine. */
function runFingerprint(inputDigest: string, corrections: readonly StoredCorrection[], ruleSet: string, engine: string, digest = digestOf): string {
  return corrections.length === 0
    ? digest({ inputDigest, ruleSet, engine })
    : digest({ inputDigest, corrections: corrections.map((c) => [c.companyId, c.projectId, c.fact, c.value]), ruleSet, engine });
}

export function metricParameters(ruleSet: CompiledRuleSet): MetricParameters {
  const p = ruleSet.manifest.parameters;
  return {
    positiveAnswerMin: p.satisfaction.positiveAnswerMin,
    responseWindowHours: p.complaints.responseWindowHours,
    badRecordWindowMonths: p.badRecords.windowMonths,
  };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
