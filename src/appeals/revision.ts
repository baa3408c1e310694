/**
 * A revision of one company's result after accepted appeals: the run's stored rule set re-scores
 * the company from its stored facts with the corrections applied (no re-measurement). Pure.
 */
import { setCorrectedFact } from '../assessment/project-facts.js';
import { EVENT_COUNT_FACTS, EVENT_FACTS, FACT_LABELS, isEventCountFact, isRateFact, PROJECT_FACT_LABELS } from '../assessment/facts.js';
import { note, SCORING_NOTE_CODES, type Note, type NoteChange } from '../assessment/notes.js';
import { canonicalJson } from '../domain/canonical-json.js';
import {
  applyCompanyVeto,
  Evaluator,
  projectIdentityOf,
  projectOutcomeOf,
  scoreCompanyOutcome,
  type CompanyOutcome,
  type ProjectOutcome,
} from '../assessment/scoring.js';
import { storedNote, withoutLineClauses, type StoredCompanyOutcome, type StoredProjectOutcome } from '../assessment/stored-outcome.js';
import { DomainError } from '../domain/errors.js';
import type { FactValue } from '../rules/rule-json.js';
import type { CompiledRuleSet } from '../rules/rule-set.js';

export interface FactCorrection {
  /** null: a company-level fact (a company event count) */
  projectCode: string | null;
  fact: string;
  /** the corrected value */
  value: FactValue;
  /** the score-sheet line the appeal objected to */
  lineId: string;
}

export interface RevisionInput {
  /** the run's stored rule set, compiled */
  ruleSet: CompiledRuleSet;
  /** the company's current outcome (the published one, or its newest revision) */
  company: StoredCompanyOutcome;
  /** current outcomes of all the company's projects in the run */
  projects: readonly StoredProjectOutcome[];
  /** the new corrections, applied on top of the current outcomes, in order */
  corrections: readonly FactCorrection[];
  /** the number of the revision being made (1, 2, …), for notes */
  revision: number;
}

export interface RevisionOutcome {
  company: CompanyOutcome;
  /** every project, in the order given */
  projects: ProjectOutcome[];
  /** projects with a correction of their own or whose outcome changed otherwise (e.g. a company veto lifted) */
  changedProjectCodes: string[];
  ruleEvaluations: number;
}

/** Notes the scoring writes (they are written afresh). */
const isScoringNote = (n: Note) => SCORING_NOTE_CODES.has(n.code) || (n.code === 'legacyText' && n.params.role === 'scoring');
/** Notes of earlier revisions (they are kept, last). */
const isRevisionNote = (n: Note) => n.code === 'revision' || (n.code === 'legacyText' && n.params.role === 'revision');

interface Applied {
  correction: FactCorrection;
  from: FactValue;
}

/**
 * Re-scores one company of a run from its current outcomes with fact corrections applied, exactly
 * as `assess` scores it: corrected projects through the project stages (a project that was not
 * assessed only through the vetoes), then the company from its project outcomes, its event facts
 * and its stored list facts, with the bad-record count and satisfaction rate moved by the corrections.
 */
export function reviseCompany(input: RevisionInput): RevisionOutcome {
  const { ruleSet, company, projects, corrections, revision } = input;
  const parameters = ruleSet.manifest.parameters;
  const projectFacts = new Map<string, Record<string, FactValue>>(projects.map((p) => [p.projectCode, { ...(p.facts as Record<string, FactValue>) }]));
  const companyEvents: Record<string, number> = {};
  for (const fact of EVENT_COUNT_FACTS) companyEvents[fact] = numberOf(company.facts[fact]);

  const badFacts = new Set(
    parameters.badRecords.eventKinds.map((kind) => (EVENT_FACTS as Record<string, string>)[kind]).filter((f): f is string => f !== undefined),
  );
  let badRecordChange = 0;
  const applied: Applied[] = [];
  for (const correction of corrections) {
    checkCorrection(correction, projectFacts);
    const facts = correction.projectCode === null ? companyEvents : projectFacts.get(correction.projectCode)!;
    const from = facts[correction.fact] ?? null;
    if (badFacts.has(correction.fact)) badRecordChange += numberOf(correction.value) - numberOf(from);
    if (correction.projectCode === null) facts[correction.fact] = correction.value;
    else setCorrectedFact(facts, correction.fact, correction.value, parameters);
    applied.push({ correction, from });
  }

  const evaluator = new Evaluator(ruleSet);
  const revised = projects.map((stored) => {
    const notes = stored.notes.map(storedNote).filter((n) => !isScoringNote(n) && !isRevisionNote(n));
    return projectOutcomeOf(projectIdentityOf(stored), stored.assessed, projectFacts.get(stored.projectCode)!, notes, ruleSet, evaluator);
  });

  const outcome = scoreCompanyOutcome(
    {
      companyId: company.companyId,
      uscc: company.uscc,
      name: company.name,
      projects: revised,
      eventFacts: companyEvents,
      badRecords: Math.max(0, company.badRecords + badRecordChange),
      satisfactionRate: companySatisfactionRate(revised, company.satisfactionRate),
      complaint: {
        worstShareQuarters: numberOf(company.facts.complaintWorstShareQuarters),
        improved: company.facts.complaintRateImproved === true,
      },
    },
    ruleSet,
    evaluator,
  );
  applyCompanyVeto(outcome, revised, ruleSet.manifest.parameters);

  const companyVetoBefore = company.vetoes.some((v) => v.projectCode === null);
  const companyVetoAfter = outcome.vetoes.some((v) => v.projectCode === null);
  const companyLevel = applied.filter((a) => a.correction.projectCode === null);
  const changedProjectCodes: string[] = [];
  revised.forEach((project, i) => {
    const stored = projects[i];
    project.notes.push(...stored.notes.map(storedNote).filter(isRevisionNote));
    const own = applied.filter((a) => a.correction.projectCode === project.projectCode);
    if (own.length === 0 && sameOutcome(project, stored)) return;
    changedProjectCodes.push(project.projectCode);
    const causes = own.length === 0 ? companyLevel : companyVetoBefore !== companyVetoAfter ? [...own, ...companyLevel] : own;
    project.notes.push(revisionNote(revision, causes, 'project'));
  });
  outcome.notes.push(...company.notes.map(storedNote).filter(isRevisionNote), revisionNote(revision, applied, 'company'));

  return { company: outcome, projects: revised, changedProjectCodes, ruleEvaluations: evaluator.evaluations };
}

function checkCorrection(c: FactCorrection, projectFacts: ReadonlyMap<string, unknown>): void {
  const where = c.projectCode === null ? '企业' : `项目 ${c.projectCode} `;
  if (c.projectCode !== null && !projectFacts.has(c.projectCode)) {
    throw new DomainError(
      'CORRECTION_FACT_UNKNOWN',
      `project ${c.projectCode} is not a project of the company in this run (line ${c.lineId})`,
      `项目 ${c.projectCode} 不是该企业在本次考核中的项目，无法更正（行号 ${c.lineId}）`,
    );
  }
  const known = c.projectCode === null ? isEventCountFact(c.fact) : Object.hasOwn(PROJECT_FACT_LABELS, c.fact);
  if (!known) {
    throw new DomainError(
      'CORRECTION_FACT_UNKNOWN',
      `${c.projectCode === null ? 'company' : `project ${c.projectCode}`} has no fact "${c.fact}" that a correction may change (line ${c.lineId})`,
      `${where}没有可更正的指标“${c.fact}”（行号 ${c.lineId}）`,
    );
  }
  const v = c.value;
  const valid =
    v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
      ? isEventCountFact(c.fact)
        ? typeof v === 'number' && Number.isInteger(v) && v >= 0
        : isRateFact(c.fact)
          ? v === null || (typeof v === 'number' && v >= 0 && v <= 1)
          : true
      : false;
  if (!valid) {
    throw new DomainError(
      'CORRECTION_VALUE_INVALID',
      `${JSON.stringify(v)} is not a valid value of "${c.fact}" (line ${c.lineId})`,
      `${where}“${label(c.fact)}”的更正值 ${JSON.stringify(v)} 无效${isEventCountFact(c.fact) ? '，应为非负整数' : isRateFact(c.fact) ? '，应为 0 到 1 之间的比率' : ''}（行号 ${c.lineId}）`,
    );
  }
}

/**
 * Positive answers over all answers of the assessed projects, a project whose satisfaction rate
 * was corrected (now or in an earlier revision) counting its corrected rate × its answers. Outcomes
 * stored before the answer counts were kept as facts leave the stored rate as it is.
 */
function companySatisfactionRate(projects: readonly ProjectOutcome[], stored: number | null): number | null {
  let positive = 0;
  let answers = 0;
  for (const p of projects) {
    if (!p.assessed) continue;
    const f = p.facts;
    const n = f.surveyAnswers;
    const k = f.surveyPositiveAnswers;
    if (typeof n !== 'number' || typeof k !== 'number') return stored;
    answers += n;
    if (n === 0) continue;
    const measuredRaw = k / n;
    const measuredRate = f.smallSample === true ? f.satisfactionWilsonBound : measuredRaw;
    if (typeof f.satisfactionRawRate === 'number' && f.satisfactionRawRate !== measuredRaw) positive += f.satisfactionRawRate * n;
    else if (typeof f.satisfactionRate === 'number' && f.satisfactionRate !== measuredRate) positive += f.satisfactionRate * n;
    else positive += k;
  }
  return answers > 0 ? positive / answers : null;
}

const label = (fact: string) => FACT_LABELS[fact] ?? fact;

/**
 * The note of a revision. The company's note names no project, in its words or its parameters: a
 * project's correction is told there without its code or 行号, which the project's own note gives.
 */
function revisionNote(revision: number, applied: readonly Applied[], subject: 'project' | 'company'): Note {
  const changes = applied.map(({ correction: c, from }): NoteChange => {
    const level = c.projectCode === null ? 'company' : 'project';
    const named = level === 'company' || subject === 'project';
    return { level, projectCode: named ? c.projectCode : null, line: named ? c.lineId : null, fact: c.fact, from, to: c.value };
  });
  return note('revision', { revision, subject, changes });
}

function numberOf(value: FactValue | undefined): number {
  return typeof value === 'number' ? value : 0;
}

/**
 * Whether re-scoring left a project's outcome as stored, by what it scores: facts, points, lines,
 * vetoes, stars and notes. The trace follows from the facts and rules, and its stored form changed
 * with redprop-scoring/3 (as did lines, which carried their clause, and notes, which were
 * sentences): an outcome stored by /2 is compared without them.
 */
function sameOutcome(project: ProjectOutcome, stored: StoredProjectOutcome): boolean {
  const codedNotes = stored.notes.every((n) => typeof n !== 'string');
  const before = scored({ ...pick(stored, Object.keys(project)), notes: codedNotes ? stored.notes : [] });
  return canonicalJson(scored(codedNotes ? project : { ...project, notes: [] })) === canonicalJson(before);
}

function scored(outcome: Record<string, unknown> | ProjectOutcome): Record<string, unknown> {
  const { trace: _trace, ...rest } = withoutLineClauses(outcome as Record<string, unknown>);
  return rest;
}

/** The stored outcome without what the store adds to it (e.g. a revision number). */
function pick(value: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (value as Record<string, unknown>)[k]]));
}
