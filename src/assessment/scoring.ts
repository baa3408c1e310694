import type { Period } from '../domain/period.js';
import { StageTraceWriter, type CompactTrace } from './trace.js';
import type { Facts, FactValue } from '../rules/rule-json.js';
import {
  roundHalfUp,
  type CompiledRuleSet,
  type ListName,
  type ListSeverity,
  type RuleSetParameters,
  type StageId,
  type StageRule,
} from '../rules/rule-set.js';
import type { CompanyMetrics, ProjectMetrics } from './metrics.js';
import { eventFacts, projectFacts, setCorrectedFact } from './project-facts.js';
import { note, type Note } from './notes.js';

/** A rule that gave points; its clause is the run's rule set's (not stored per line). */
export interface PointsLine {
  rule: string;
  points: number;
  /** the facts the rule read, with their values */
  facts: Record<string, FactValue>;
}

export interface PartResult {
  part: string;
  label: string;
  max: number;
  points: number;
  lines: PointsLine[];
}

export interface VetoLine {
  rule: string;
  clause: string;
  reason: string;
  severity: ListSeverity;
  /** project code, or null for a company-level event (and for a project outside a reader's scope) */
  projectCode: string | null;
  /** set when a reader's view leaves out the project (see companyOutcomeWithin) */
  outsideScope?: true;
}

/** What identifies a project and weighs it in its company's mean, as measured. */
const PROJECT_IDENTITY = [
  'projectId',
  'projectCode',
  'projectName',
  'companyId',
  'companyUscc',
  'streetCode',
  'communityCode',
  'households',
  'floorAreaM2',
] as const;
export type ProjectIdentity = Pick<ProjectMetrics, (typeof PROJECT_IDENTITY)[number]>;

export interface ProjectOutcome extends ProjectIdentity {
  assessed: boolean;
  notes: Note[];
  facts: Facts;
  parts: PartResult[];
  bonus: { raw: number; capped: number; lines: PointsLine[] };
  deductions: { total: number; lines: PointsLine[] };
  vetoes: VetoLine[];
  /** null when not assessed */
  total: number | null;
  /** 0 under a veto; null when not assessed */
  stars: number | null;
  starsRule: string | null;
  /** every rule evaluated for the project, fired or not, with each condition's result (expand with expandTrace) */
  trace: CompactTrace;
}

export interface ListDecision {
  list: ListName;
  rule: string;
  clause: string;
  reason: string;
  severity: ListSeverity;
}

export interface CompanyOutcome {
  companyId: number;
  uscc: string;
  name: string;
  assessedProjects: number;
  notAssessedProjects: number;
  weighting: 'households' | 'floorArea';
  weightedScore: number | null;
  bonus: { raw: number; capped: number; lines: PointsLine[] };
  deductions: { total: number; lines: PointsLine[] };
  score: number | null;
  grade: string | null;
  gradeRule: string | null;
  vetoes: VetoLine[];
  satisfactionRate: number | null;
  badRecords: number;
  lists: ListDecision[];
  notes: Note[];
  facts: Facts;
  trace: CompactTrace;
}

export interface AssessmentOutcome {
  projects: ProjectOutcome[];
  companies: CompanyOutcome[];
  ruleEvaluations: number;
}

export interface AssessmentInput {
  ruleSet: CompiledRuleSet;
  period: Period;
  projects: readonly ProjectMetrics[];
  companies: readonly CompanyMetrics[];
  /** facts corrected by accepted appeals of the period, applied over the measured ones (oldest first) */
  corrections?: readonly StoredCorrection[];
}

/** An accepted appeal's correction of one fact, as a later run of the same period applies it. */
export interface StoredCorrection {
  companyId: number;
  /** null: a company-level fact */
  projectId: number | null;
  fact: string;
  value: FactValue;
  lineId: string;
}

/** Applies the corrections that concern a subject to its facts, with a note for each. */
function applyCorrections(
  facts: Record<string, FactValue>,
  corrections: readonly StoredCorrection[] | undefined,
  notes: Note[],
  parameters: RuleSetParameters,
): void {
  for (const c of corrections ?? []) {
    if (!Object.hasOwn(facts, c.fact)) continue;
    notes.push(note('correction.applied', { line: c.lineId, fact: c.fact, from: facts[c.fact] ?? null, to: c.value }));
    setCorrectedFact(facts, c.fact, c.value, parameters);
  }
}

/** Points are kept in hundredths so that sums are exact. */
const cents = (points: number) => Math.round(roundHalfUp(points, 2) * 100);
const fromCents = (value: number) => value / 100;

export interface FiredRule {
  rule: StageRule;
}

/** Runs a stage's rules over facts, appending each rule's compact trace entry; no object per condition. */
export class Evaluator {
  evaluations = 0;
  /** the leaf results of the rule being evaluated, one byte each */
  private readonly results: Uint8Array;
  constructor(private readonly ruleSet: CompiledRuleSet) {
    let leaves = 0;
    for (const rules of Object.values(ruleSet.stages)) for (const rule of rules) leaves = Math.max(leaves, rule.compiled.leafCount);
    this.results = new Uint8Array(leaves);
  }

  run(stage: StageId, facts: Facts, trace: CompactTrace): FiredRule[] {
    const fired: FiredRule[] = [];
    const segment = new StageTraceWriter(stage);
    for (const rule of this.ruleSet.stages[stage]) {
      this.evaluations++;
      const hit = rule.compiled.evaluateInto(facts, this.results, 0);
      segment.add(hit, this.results, 0, rule.compiled.leafCount);
      if (hit) fired.push({ rule });
    }
    trace.push(segment.segment());
    return fired;
  }
}

/** The facts a rule's leaf conditions read (not those a condition compares with), with their values. */
function readFacts(rule: StageRule, facts: Facts): Record<string, FactValue> {
  const read: Record<string, FactValue> = {};
  for (const fact of rule.compiled.leafFacts) read[fact] = facts[fact] ?? null;
  return read;
}

function pointsLines(fired: FiredRule[], facts: Facts): PointsLine[] {
  return fired.map(({ rule }) => ({
    rule: rule.id,
    points: fromCents(cents(rule.points(facts))),
    facts: readFacts(rule, facts),
  }));
}

function adjustments(evaluator: Evaluator, stage: 'adjustments' | 'company', facts: Facts, trace: CompactTrace, cap: number) {
  const fired = evaluator.run(stage, facts, trace);
  const bonusLines = pointsLines(
    fired.filter((f) => f.rule.type === 'bonus'),
    facts,
  );
  const deductionLines = pointsLines(
    fired.filter((f) => f.rule.type === 'deduction'),
    facts,
  );
  const rawBonus = bonusLines.reduce((sum, l) => sum + cents(l.points), 0);
  return {
    bonus: { raw: fromCents(rawBonus), capped: fromCents(Math.min(rawBonus, cents(cap))), lines: bonusLines },
    deductions: { total: fromCents(deductionLines.reduce((sum, l) => sum + cents(l.points), 0)), lines: deductionLines },
  };
}

function vetoLines(fired: FiredRule[], projectCode: string | null): VetoLine[] {
  return fired.map(({ rule }) => ({
    rule: rule.id,
    clause: rule.clause,
    reason: reasonOf(rule),
    severity: rule.params.severity as ListSeverity,
    projectCode,
  }));
}

export interface FactsScore {
  parts: PartResult[];
  bonus: ProjectOutcome['bonus'];
  deductions: ProjectOutcome['deductions'];
  vetoes: VetoLine[];
  total: number;
  stars: number;
  starsRule: string | null;
  notes: Note[];
}

/** The facts the star rules read: the project's facts with its total, capped bonus and deductions. */
export function starFactsOf(facts: Facts, score: { total: number | null; bonus: { capped: number }; deductions: { total: number } }): Facts {
  return { ...facts, projectTotal: score.total, bonusPoints: score.bonus.capped, deductionPoints: score.deductions.total };
}

/** A project's points, total and stars from its facts: indicators, adjustments, vetoes, stars. */
export function scoreFacts(facts: Facts, ruleSet: CompiledRuleSet, evaluator: Evaluator, trace: CompactTrace, projectCode: string | null): FactsScore {
  const parameters = ruleSet.manifest.parameters;
  const notes: Note[] = [];
  const vetoes = vetoLines(evaluator.run('vetoes', facts, trace), projectCode);
  const fired = evaluator.run('indicators', facts, trace);
  const parts = ruleSet.manifest.parts.map((part) => {
    const lines = pointsLines(
      fired.filter((f) => f.rule.params.part === part.id),
      facts,
    );
    const sum = lines.reduce((total, l) => total + cents(l.points), 0);
    return { part: part.id, label: part.label, max: part.max, points: fromCents(Math.min(sum, cents(part.max))), lines };
  });
  const { bonus, deductions } = adjustments(evaluator, 'adjustments', facts, trace, parameters.projectTotal.bonusCap);
  const partsTotal = parts.reduce((total, p) => total + cents(p.points), 0);
  const total = fromCents(Math.max(cents(parameters.projectTotal.floor), partsTotal + cents(bonus.capped) - cents(deductions.total)));

  const starRules = evaluator.run('stars', starFactsOf(facts, { total, bonus, deductions }), trace);
  const best = starRules.reduce<{ rule: StageRule } | null>(
    (top, f) => (top === null || (f.rule.params.stars as number) > (top.rule.params.stars as number) ? f : top),
    null,
  );
  let stars = best ? (best.rule.params.stars as number) : 0;
  let starsRule = best ? best.rule.id : null;
  if (vetoes.length > 0) {
    stars = 0;
    starsRule = vetoes[0].rule;
    notes.push(note('veto.noStars', { rules: vetoes.map((v) => v.rule), reasons: vetoes.map((v) => v.reason) }));
  }
  return { parts, bonus, deductions, vetoes, total, stars, starsRule, notes };
}

export function scoreProject(metrics: ProjectMetrics, input: AssessmentInput, evaluator: Evaluator): ProjectOutcome {
  const { ruleSet, period } = input;
  const { assessed, facts, notes } = projectFacts(metrics, period, ruleSet.manifest.parameters);
  if (input.corrections && input.corrections.length > 0) {
    applyCorrections(
      facts,
      input.corrections.filter((c) => c.projectId === metrics.projectId),
      notes,
      ruleSet.manifest.parameters,
    );
  }
  return projectOutcomeOf(projectIdentityOf(metrics), assessed, facts, notes, ruleSet, evaluator);
}

/** The identity fields of a project, taken from its metrics or from a stored outcome. */
export function projectIdentityOf(source: ProjectIdentity): ProjectIdentity {
  return Object.fromEntries(PROJECT_IDENTITY.map((key) => [key, source[key]])) as ProjectIdentity;
}

/**
 * A project's outcome from its facts: scored when assessed, only its vetoes otherwise.
 * `notes` are the notes of the facts (sample size, missing data); scoring notes follow them.
 */
export function projectOutcomeOf(
  identity: ProjectIdentity,
  assessed: boolean,
  facts: Facts,
  notes: Note[],
  ruleSet: CompiledRuleSet,
  evaluator: Evaluator,
): ProjectOutcome {
  const base = { ...identity, facts };
  const trace: CompactTrace = [];
  if (!assessed) {
    const vetoes = vetoLines(evaluator.run('vetoes', facts, trace), identity.projectCode);
    return {
      ...base,
      notes,
      assessed,
      parts: [],
      bonus: { raw: 0, capped: 0, lines: [] },
      deductions: { total: 0, lines: [] },
      vetoes,
      total: null,
      stars: null,
      starsRule: null,
      trace,
    };
  }
  const score = scoreFacts(facts, ruleSet, evaluator, trace, identity.projectCode);
  return { ...base, ...score, notes: [...notes, ...score.notes], assessed, trace };
}

/**
 * The whole assessment of one period, as one outcome (see assessInBatches). Pure: the same input
 * always gives the same outcome.
 */
export function assess(input: AssessmentInput): AssessmentOutcome {
  const projects: ProjectOutcome[] = [];
  const companies: CompanyOutcome[] = [];
  const batches = assessInBatches(input, Number.POSITIVE_INFINITY);
  for (let next = batches.next(); ; next = batches.next()) {
    if (next.done) return { projects, companies, ruleEvaluations: next.value.ruleEvaluations };
    projects.push(...next.value.projects);
    companies.push(...next.value.companies);
  }
}

/** Some companies of a run with all their projects, scored. */
export interface AssessmentBatch {
  /** each company's projects, in the order of the input, company after company */
  projects: ProjectOutcome[];
  companies: CompanyOutcome[];
}

/**
 * The assessment of one period company by company, in batches of whole companies of at least
 * `projectsPerBatch` projects (the last may be smaller), so that a caller holds one batch at a
 * time. What crosses companies (the complaint-quarter standing) is computed first. Each company:
 * its projects, then the company (weighted mean of its assessed projects plus company-level
 * events, grade, vetoes, list decisions), then a company veto's effect on its projects' stars.
 * Batches do not change outcomes: any batch size gives the same outcomes in the same order.
 */
export function* assessInBatches(input: AssessmentInput, projectsPerBatch: number): Generator<AssessmentBatch, { ruleEvaluations: number }> {
  const evaluator = new Evaluator(input.ruleSet);
  const parameters = input.ruleSet.manifest.parameters;
  const complaintStanding = complaintQuarterStanding(input.companies, parameters.lists.worstComplaintShare);
  const metricsByCompany = new Map<number, ProjectMetrics[]>();
  for (const m of input.projects) {
    const list = metricsByCompany.get(m.companyId);
    if (list) list.push(m);
    else metricsByCompany.set(m.companyId, [m]);
  }
  let batch: AssessmentBatch = { projects: [], companies: [] };
  for (const company of input.companies) {
    const metrics = metricsByCompany.get(company.companyId) ?? [];
    metricsByCompany.delete(company.companyId);
    const projects = metrics.map((m) => scoreProject(m, input, evaluator));
    const metricsByProject = new Map(metrics.map((m) => [m.projectId, m]));
    const outcome = scoreCompany(company, projects, metricsByProject, complaintStanding.get(company.companyId)!, input, evaluator);
    applyCompanyVeto(outcome, projects, parameters);
    batch.projects.push(...projects);
    batch.companies.push(outcome);
    if (batch.projects.length >= projectsPerBatch) {
      yield batch;
      batch = { projects: [], companies: [] };
    }
  }
  // projects of a company the input does not list are scored as projects, as they always were
  for (const metrics of metricsByCompany.values()) batch.projects.push(...metrics.map((m) => scoreProject(m, input, evaluator)));
  if (batch.projects.length > 0 || batch.companies.length > 0) yield batch;
  return { ruleEvaluations: evaluator.evaluations };
}

/**
 * A company-level veto takes the stars of all its assessed projects, when the rule set says so
 * (`company.vetoTakesProjectStars`); the projects are updated in place.
 */
export function applyCompanyVeto(company: CompanyOutcome, projects: readonly ProjectOutcome[], parameters: RuleSetParameters): void {
  if (!parameters.company.vetoTakesProjectStars) return;
  const companyVeto = company.vetoes.find((v) => v.projectCode === null);
  if (!companyVeto) return;
  for (const p of projects) {
    if (p.assessed && p.stars !== 0) {
      p.stars = 0;
      p.starsRule = companyVeto.rule;
      p.notes.push(companyVetoNote(companyVeto));
    }
  }
}

/** The note a project gets when a company-level veto takes its stars. */
export function companyVetoNote(veto: VetoLine): Note {
  return note('veto.companyNoStars', { rule: veto.rule, reason: veto.reason });
}

function scoreCompany(
  company: CompanyMetrics,
  projects: ProjectOutcome[],
  metricsByProject: Map<number, ProjectMetrics>,
  complaint: { worstShareQuarters: number; improved: boolean },
  input: AssessmentInput,
  evaluator: Evaluator,
): CompanyOutcome {
  const parameters = input.ruleSet.manifest.parameters;
  const badKinds = new Set(parameters.badRecords.eventKinds);
  let badRecords = 0;
  for (const [kind, count] of Object.entries(company.eventsInRecordWindow)) {
    if (kind !== 'honourByLevel' && badKinds.has(kind)) badRecords += count as number;
  }

  let positive = 0;
  let answers = 0;
  for (const p of projects) {
    if (!p.assessed) continue;
    const m = metricsByProject.get(p.projectId)!;
    positive += m.survey.positiveAnswers;
    answers += m.survey.answers;
  }
  const satisfactionRate = answers > 0 ? positive / answers : null;

  const companyFacts: Record<string, FactValue> = eventFacts(company.events);
  const corrected: Note[] = [];
  if (input.corrections && input.corrections.length > 0) {
    applyCorrections(
      companyFacts,
      input.corrections.filter((c) => c.projectId === null && c.companyId === company.companyId),
      corrected,
      input.ruleSet.manifest.parameters,
    );
  }
  const outcome = scoreCompanyOutcome(
    {
      companyId: company.companyId,
      uscc: company.uscc,
      name: company.name,
      projects,
      eventFacts: companyFacts as Record<string, number>,
      badRecords,
      satisfactionRate,
      complaint,
    },
    input.ruleSet,
    evaluator,
  );
  outcome.notes.push(...corrected);
  return outcome;
}

/** What a company is scored from once its projects are scored: shared by `assess` and revisions of stored results. */
export interface CompanyScoringInput {
  companyId: number;
  uscc: string;
  name: string;
  /** the outcomes of all its projects in the run, assessed or not */
  projects: readonly ProjectOutcome[];
  /** company-level event facts (every event fact, 0 when none), as `eventFacts` gives them */
  eventFacts: Record<string, number>;
  /** bad records in the record window */
  badRecords: number;
  /** positive answers over all answers of its assessed projects; null when none */
  satisfactionRate: number | null;
  complaint: { worstShareQuarters: number; improved: boolean };
}

/**
 * A company's outcome from its project outcomes and company facts: weighted mean of the assessed
 * projects, company adjustments and vetoes, grade and list decisions. Project stars are not
 * touched here (see applyCompanyVeto).
 */
export function scoreCompanyOutcome(input: CompanyScoringInput, ruleSet: CompiledRuleSet, evaluator: Evaluator): CompanyOutcome {
  const { projects, badRecords, satisfactionRate, complaint } = input;
  const parameters = ruleSet.manifest.parameters;
  const notes: Note[] = [];
  const trace: CompactTrace = [];
  const assessed = projects.filter((p) => p.assessed);
  const weighting = parameters.company.weighting;
  const weightOf = (p: ProjectOutcome) => (weighting === 'households' ? p.households : p.floorAreaM2);

  let weightedScore: number | null = null;
  const totalWeight = assessed.reduce((sum, p) => sum + weightOf(p), 0);
  if (assessed.length > 0 && totalWeight > 0) {
    const weighted = assessed.reduce((sum, p) => sum + cents(p.total!) * weightOf(p), 0);
    weightedScore = roundHalfUp(weighted / totalWeight / 100, parameters.company.scoreDecimals);
  }
  if (projects.length > assessed.length) notes.push(note('company.projectsNotAssessed', { count: projects.length - assessed.length }));

  const companyEventFacts = input.eventFacts;
  const adjustmentStage = parameters.company.applyAdjustmentRules ? ['adjustments' as const, 'company' as const] : ['company' as const];
  const bonusLines: PointsLine[] = [];
  const deductionLines: PointsLine[] = [];
  for (const stage of adjustmentStage) {
    const { bonus, deductions } = adjustments(evaluator, stage, eventOnlyFacts(companyEventFacts, stage, ruleSet), trace, Infinity);
    bonusLines.push(...bonus.lines);
    deductionLines.push(...deductions.lines);
  }
  const rawBonus = bonusLines.reduce((sum, l) => sum + cents(l.points), 0);
  const bonus = { raw: fromCents(rawBonus), capped: fromCents(Math.min(rawBonus, cents(parameters.company.bonusCap))), lines: bonusLines };
  const deductions = { total: fromCents(deductionLines.reduce((sum, l) => sum + cents(l.points), 0)), lines: deductionLines };
  const score =
    weightedScore === null
      ? null
      : fromCents(Math.max(cents(parameters.projectTotal.floor), cents(weightedScore) + cents(bonus.capped) - cents(deductions.total)));

  const companyVetoes = vetoLines(evaluator.run('vetoes', eventOnlyFacts(companyEventFacts, 'vetoes', ruleSet), trace), null);
  const vetoes = [...companyVetoes, ...projects.flatMap((p) => p.vetoes)];

  const gradeFacts: Record<string, FactValue> = {
    companyScore: score,
    badRecords,
    vetoed: vetoes.length > 0,
    assessedProjects: assessed.length,
  };
  const listFacts: Record<string, FactValue> = {
    ...gradeFacts,
    companySatisfactionRate: satisfactionRate,
    complaintWorstShareQuarters: complaint.worstShareQuarters,
    complaintRateImproved: complaint.improved,
  };
  const judged = gradeAndLists(listFacts, vetoes, ruleSet, evaluator, trace);
  notes.push(...judged.notes);
  const { grade, gradeRule, lists } = judged;

  return {
    companyId: input.companyId,
    uscc: input.uscc,
    name: input.name,
    assessedProjects: assessed.length,
    notAssessedProjects: projects.length - assessed.length,
    weighting,
    weightedScore,
    bonus,
    deductions,
    score,
    grade,
    gradeRule,
    vetoes,
    satisfactionRate,
    badRecords,
    lists,
    notes,
    facts: { ...companyEventFacts, ...listFacts, grade },
    trace,
  };
}

/**
 * A company's credit grade and list decisions from its facts (companyScore, badRecords, vetoed,
 * satisfaction, complaint standing). A veto overrides the grade with the worst one.
 */
export function gradeAndLists(
  facts: Record<string, FactValue>,
  vetoes: readonly VetoLine[],
  ruleSet: CompiledRuleSet,
  evaluator: Evaluator,
  trace: CompactTrace,
): { grade: string | null; gradeRule: string | null; lists: ListDecision[]; notes: Note[] } {
  const notes: Note[] = [];
  let grade: string | null = null;
  let gradeRule: string | null = null;
  if (facts.companyScore !== null && facts.companyScore !== undefined) {
    const fired = evaluator.run('grade', facts, trace);
    // Overlapping grade rules (a faulty set) resolve to the worse grade, never the better.
    const grades = ruleSet.manifest.grades;
    for (const { rule } of fired) {
      const candidate = rule.params.grade as string;
      if (grade === null || grades.indexOf(candidate) > grades.indexOf(grade)) {
        grade = candidate;
        gradeRule = rule.id;
      }
    }
    if (grade === null) notes.push(note('company.noGradeRule', {}));
  } else if (vetoes.length === 0) {
    notes.push(note('company.noAssessedProjects', {}));
  }
  if (vetoes.length > 0) {
    grade = ruleSet.manifest.grades[ruleSet.manifest.grades.length - 1]!;
    gradeRule = vetoes[0].rule;
    const unscored = facts.companyScore === null || facts.companyScore === undefined;
    notes.push(note('company.vetoGrade', { unscored, reasons: [...new Set(vetoes.map((v) => v.reason))], grade }));
  }
  const lists: ListDecision[] =
    grade === null
      ? []
      : evaluator.run('lists', { ...facts, grade }, trace).map(({ rule }) => ({
          list: rule.params.list as ListName,
          rule: rule.id,
          clause: rule.clause,
          reason: reasonOf(rule),
          severity: rule.params.severity as ListSeverity,
        }));
  return { grade, gradeRule, lists, notes };
}

/** The reason a veto or list rule gives (its clause when it names none). */
function reasonOf(rule: StageRule): string {
  return typeof rule.params.reason === 'string' ? rule.params.reason : rule.clause;
}

/** Company-level events evaluated by project-stage rules: every other fact of the stage is absent. */
export function eventOnlyFacts(events: Record<string, number>, stage: StageId, ruleSet: CompiledRuleSet): Facts {
  const facts: Record<string, FactValue> = {};
  for (const rule of ruleSet.stages[stage]) for (const fact of rule.compiled.facts) facts[fact] = null;
  return { ...facts, ...events };
}

/**
 * For the list rule on persistent complaints: in how many of the last consecutive quarters a
 * company's complaint rate was among the worst share of companies, and whether it improved.
 */
export function complaintQuarterStanding(
  companies: readonly CompanyMetrics[],
  worstShare: number,
): Map<number, { worstShareQuarters: number; improved: boolean }> {
  const quarterCount = Math.max(0, ...companies.map((c) => c.complaintQuarters.length));
  const rate = (q: { tickets: number; households: number } | undefined) => (q && q.households > 0 ? (q.tickets * 400) / q.households : null);
  const inWorst: Set<number>[] = [];
  for (let i = 0; i < quarterCount; i++) {
    const rated = companies
      .map((c) => ({ id: c.companyId, rate: rate(c.complaintQuarters[i]) }))
      .filter((r): r is { id: number; rate: number } => r.rate !== null)
      .sort((a, b) => b.rate - a.rate);
    const worst = new Set<number>();
    const take = Math.ceil(worstShare * rated.length);
    if (take > 0) {
      const threshold = rated[take - 1].rate;
      for (const r of rated) if (r.rate >= threshold && r.rate > 0) worst.add(r.id);
    }
    inWorst.push(worst);
  }
  const standing = new Map<number, { worstShareQuarters: number; improved: boolean }>();
  for (const c of companies) {
    let streak = 0;
    for (let i = quarterCount - 1; i >= 0 && inWorst[i].has(c.companyId); i--) streak++;
    const last = rate(c.complaintQuarters[quarterCount - 1]);
    const previous = rate(c.complaintQuarters[quarterCount - 2]);
    standing.set(c.companyId, { worstShareQuarters: streak, improved: last !== null && previous !== null && last < previous });
  }
  return standing;
}
