/**
 * A stored result taken apart into the lines a person checks: one per indicator (per rule for
 * the parts whose rules add up), bonus, deduction and veto. Used by the company score sheet
 * (where every line has a stable id that appeals will refer to) and, one row per part, by the
 * street's annual per-indicator detail. Pure.
 */
import { notesText } from './note-text.js';
import { eventOfFact } from '../assessment/facts.js';
import type { StoredCompanyOutcome, StoredProjectOutcome } from '../assessment/stored-outcome.js';
import type { PointsLine, VetoLine } from '../assessment/scoring.js';
import {
  companyScoreLines,
  lineIdOf,
  mainFactOf,
  partFacts,
  pickFacts as pick,
  projectScoreLines,
  SECTION_BONUS,
  SECTION_DEDUCTION,
  SECTION_NOT_ASSESSED,
  SECTION_VETO,
  type LineSection,
  type ScoreLine,
} from '../assessment/score-lines.js';
import type { EventKind, HonourLevel } from '../domain/vocabulary.js';
import type { FactValue } from '../rules/rule-json.js';
import type { CompiledRuleSet, PartDefinition } from '../rules/rule-set.js';
import { factsText } from './report-text.js';

export type ProjectOutcomeView = Omit<StoredProjectOutcome, 'trace'>;
export type CompanyOutcomeView = Omit<StoredCompanyOutcome, 'trace'>;

/** A credit event as evidence for a bonus, deduction or veto line. */
export interface EvidenceEvent {
  eventNo: string;
  kind: EventKind;
  honourLevel: HonourLevel | null;
  /** null: a company-level event */
  projectCode: string | null;
  occurredOn: string;
  source: string;
  description: string;
  evidence: string | null;
}

export { SECTION_BONUS, SECTION_DEDUCTION, SECTION_NOT_ASSESSED, SECTION_VETO, mainFactOf, partFacts, type LineSection };

export interface IndicatorLine {
  /** the 行号 of the appeal sheet: `<runId>-<key>` */
  lineId: string;
  /** the line's key in the result, independent of the run (see ScoreLine) */
  key: string;
  /** null for a company-level line */
  projectCode: string | null;
  projectName: string | null;
  section: LineSection;
  sectionLabel: string;
  /** null when no rule of a band part applied */
  rule: string | null;
  clause: string | null;
  /** the fact the line is about, and its value */
  mainFact: string | null;
  mainValue: FactValue;
  /** every fact the rule read (and, for the main indicators, the counts behind them) in words */
  factsText: string;
  points: number | null;
  max: number | null;
  /** events behind the line, caps, notes */
  evidence: string;
}

/** Facts shown next to a rate so that it can be checked by hand. */
const SUPPORTING_FACTS: Readonly<Record<string, readonly string[]>> = {
  satisfactionRate: ['satisfactionRawRate', 'surveyRespondents', 'surveyMinimumSample', 'smallSample', 'satisfactionWilsonBound'],
  complaintsPer100HouseholdsYear: ['complaintTickets', 'households', 'periodMonths'],
  resolutionRate: ['complaintTickets', 'responseInTimeRate', 'revisitSatisfactionRate'],
  feeCollectionRateByHousehold: ['feeMonths', 'feeCollectionRateByAmount'],
  threePartyMean: [],
};

function withSupport(read: Readonly<Record<string, FactValue>>, all: Readonly<Record<string, FactValue>>): Record<string, FactValue> {
  const shown: Record<string, FactValue> = { ...read };
  for (const fact of Object.keys(read)) {
    for (const extra of SUPPORTING_FACTS[fact] ?? []) if (!Object.hasOwn(shown, extra) && Object.hasOwn(all, extra)) shown[extra] = all[extra]!;
  }
  return shown;
}

/** The events behind a line that read event counts, as evidence text. */
export function eventEvidence(read: Readonly<Record<string, FactValue>>, events: readonly EvidenceEvent[], projectCode: string | null): string {
  const texts: string[] = [];
  for (const fact of Object.keys(read)) {
    const wanted = eventOfFact(fact);
    if (!wanted) continue;
    for (const e of events) {
      if (e.kind !== wanted.kind || e.projectCode !== projectCode || (wanted.level !== null && e.honourLevel !== wanted.level)) continue;
      texts.push(`${e.eventNo}（${e.occurredOn}，${e.source}）${e.description}${e.evidence ? `；证据：${e.evidence}` : ''}`);
    }
  }
  return texts.join('\n');
}

const SECTION_LABELS: Record<string, string> = {
  [SECTION_BONUS]: '加分',
  [SECTION_DEDUCTION]: '扣分',
  [SECTION_VETO]: '一票否决',
  [SECTION_NOT_ASSESSED]: '本期不参评',
};

/** A line of the scorecard in words: labels and clauses from the run's rule set, facts, events and notes as text. */
function rendered(
  runId: number,
  line: ScoreLine,
  context: { projectName: string | null; facts: Readonly<Record<string, FactValue>>; vetoes: readonly VetoLine[] },
  ruleSet: CompiledRuleSet,
  events: readonly EvidenceEvent[],
): IndicatorLine {
  const part = ruleSet.manifest.parts.find((p) => p.id === line.section);
  const isPart = part !== undefined;
  const noBand = line.notes.filter((n) => n.code === 'line.noBand');
  const veto = line.section === SECTION_VETO ? context.vetoes.find((v) => v.rule === line.rule) : undefined;
  const combineBands = isPart && part.combine !== 'sum';
  const factsShown =
    line.section === SECTION_VETO ? (veto?.reason ?? '') : factsText(combineBands ? withSupport(line.facts, context.facts) : line.facts);
  const eventsText = isPart || line.section === SECTION_NOT_ASSESSED ? '' : eventEvidence(line.facts, events, line.projectCode);
  const notesShown = notesText(line.notes.filter((n) => n.code !== 'line.noBand'));
  return {
    lineId: lineIdOf(runId, line.key),
    key: line.key,
    projectCode: line.projectCode,
    projectName: context.projectName,
    section: line.section,
    sectionLabel: part?.label ?? SECTION_LABELS[line.section] ?? line.section,
    rule: line.rule,
    clause: line.rule !== null ? (veto?.clause ?? clauseOf(ruleSet, line.rule)) : noBand.length > 0 ? notesText(noBand) : null,
    mainFact: line.fact,
    mainValue: line.value,
    factsText: factsShown,
    points: line.points,
    max: line.max,
    evidence: [eventsText, notesShown].filter(Boolean).join('\n'),
  };
}

const clausesOf = new WeakMap<CompiledRuleSet, Map<string, string>>();

/** A rule's clause as the run's rule set words it. */
export function clauseOf(ruleSet: CompiledRuleSet, ruleId: string): string | null {
  let clauses = clausesOf.get(ruleSet);
  if (!clauses) {
    clauses = new Map(Object.values(ruleSet.stages).flatMap((rules) => rules.map((r): [string, string] => [r.id, r.clause])));
    clausesOf.set(ruleSet, clauses);
  }
  return clauses.get(ruleId) ?? null;
}

/** Every line of one project's result, in the order of the rule set's parts. */
export function projectLines(runId: number, outcome: ProjectOutcomeView, ruleSet: CompiledRuleSet, events: readonly EvidenceEvent[] = []): IndicatorLine[] {
  const context = { projectName: outcome.projectName, facts: outcome.facts, vetoes: outcome.vetoes };
  return projectScoreLines(outcome, ruleSet).map((line) => rendered(runId, line, context, ruleSet, events));
}

/** The company's own lines: company-level bonus, deductions and vetoes (project vetoes are on their projects). */
export function companyLines(runId: number, outcome: CompanyOutcomeView, ruleSet: CompiledRuleSet, events: readonly EvidenceEvent[] = []): IndicatorLine[] {
  const context = { projectName: null, facts: outcome.facts, vetoes: outcome.vetoes.filter((v) => v.projectCode === null) };
  return companyScoreLines(outcome, ruleSet).map((line) => rendered(runId, line, context, ruleSet, events));
}

/** One row per part (and bonus, deductions, vetoes when there are any): the street's per-indicator detail. */
export interface PartSummary {
  section: LineSection;
  label: string;
  mainFact: string | null;
  mainValue: FactValue;
  factsText: string;
  points: number | null;
  max: number | null;
  rules: string;
  clauses: string;
}

export function partSummaries(outcome: ProjectOutcomeView, ruleSet: CompiledRuleSet, factsOfPart: Map<string, string[]> = partFacts(ruleSet)): PartSummary[] {
  const facts = outcome.facts as Record<string, FactValue>;
  if (!outcome.assessed) {
    const rows: PartSummary[] = [
      {
        section: SECTION_NOT_ASSESSED,
        label: '本期不参评',
        mainFact: null,
        mainValue: null,
        factsText: notesText(outcome.notes, '；'),
        points: null,
        max: null,
        rules: '',
        clauses: '',
      },
    ];
    return [...rows, ...vetoSummaries(outcome)];
  }
  const parts = new Map(outcome.parts.map((p) => [p.part, p]));
  const rows = ruleSet.manifest.parts.map((definition: PartDefinition): PartSummary => {
    const part = parts.get(definition.id);
    const lines = part?.lines ?? [];
    const names = factsOfPart.get(definition.id) ?? [];
    const main = mainFactOf(lines.length > 0 ? Object.keys(lines[0].facts) : names);
    const shown = definition.combine === 'sum' ? {} : withSupport(pick(facts, names), facts);
    return {
      section: definition.id,
      label: definition.label,
      mainFact: definition.combine === 'sum' ? null : main,
      mainValue: definition.combine === 'sum' || main === null ? null : (facts[main] ?? null),
      factsText: definition.combine === 'sum' ? `${lines.length} / ${ruleSet.stages.indicators.filter((r) => r.params.part === definition.id).length} 项得分` : factsText(shown),
      points: part?.points ?? 0,
      max: definition.max,
      rules: lines.map((l) => l.rule).join('、'),
      clauses: lines.map((l) => clauseOf(ruleSet, l.rule) ?? '').join('；'),
    };
  });
  const adjustment = (section: string, label: string, total: number, lines: readonly PointsLine[]): PartSummary => ({
    section,
    label,
    mainFact: null,
    mainValue: null,
    factsText: lines.map((l) => factsText(l.facts)).join('；'),
    points: total,
    max: null,
    rules: lines.map((l) => l.rule).join('、'),
    clauses: lines.map((l) => clauseOf(ruleSet, l.rule) ?? '').join('；'),
  });
  if (outcome.bonus.lines.length > 0) rows.push(adjustment(SECTION_BONUS, '加分（封顶后）', outcome.bonus.capped, outcome.bonus.lines));
  if (outcome.deductions.lines.length > 0) rows.push(adjustment(SECTION_DEDUCTION, '扣分', -outcome.deductions.total, outcome.deductions.lines));
  return [...rows, ...vetoSummaries(outcome)];
}

function vetoSummaries(outcome: ProjectOutcomeView): PartSummary[] {
  return outcome.vetoes.map((v) => ({
    section: SECTION_VETO,
    label: '一票否决',
    mainFact: null,
    mainValue: null,
    factsText: v.reason,
    points: null,
    max: null,
    rules: v.rule,
    clauses: v.clause,
  }));
}
