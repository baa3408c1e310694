/**
 * A stored result taken apart into the lines a person checks: one per indicator (per rule for
 * the parts whose rules add up), bonus, deduction and veto. Used by the company score sheet
 * (where every line has a stable id that appeals will refer to) and, one row per part, by the
 * street's annual per-indicator detail. Pure.
 */
import { notesText } from './note-text.js';
import { eventOfFact } from '../assessment/facts.js';
import type { StoredCompanyOutcome, StoredProjectOutcome } from '../assessment/stored-outcome.js';
import type { PointsLine } from '../assessment/scoring.js';
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

export type LineSection = string; // a part id, or one of the SECTION_* below

export const SECTION_BONUS = 'bonus';
export const SECTION_DEDUCTION = 'deduction';
export const SECTION_VETO = 'veto';
export const SECTION_NOT_ASSESSED = 'notAssessed';

export interface IndicatorLine {
  /** `<runId>-<projectCode>-<part>` for a band part, `…-<part>-<ruleId>` per rule of a summed part, `…-bonus|deduction|veto-<ruleId>`; company lines use the USCC */
  lineId: string;
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


/** The facts each part's rules read, in rule order. */
export function partFacts(ruleSet: CompiledRuleSet): Map<string, string[]> {
  const byPart = new Map<string, string[]>();
  for (const rule of ruleSet.stages.indicators) {
    const part = String(rule.params.part);
    const facts = byPart.get(part) ?? [];
    for (const fact of rule.compiled.facts) if (!facts.includes(fact)) facts.push(fact);
    byPart.set(part, facts);
  }
  return byPart;
}

/** The facts an indicator is about, in preference to the counts and flags its rules also read. */
const PRIMARY_FACTS = [
  'satisfactionRate',
  'complaintsPer100HouseholdsYear',
  'resolutionRate',
  'responseInTimeRate',
  'feeCollectionRateByHousehold',
  'feeCollectionRateByAmount',
  'threePartyMean',
];

/** The fact a line is about: a primary indicator among those read, else the first read. */
export function mainFactOf(read: readonly string[]): string | null {
  return PRIMARY_FACTS.find((f) => read.includes(f)) ?? read[0] ?? null;
}

function withSupport(read: Readonly<Record<string, FactValue>>, all: Readonly<Record<string, FactValue>>): Record<string, FactValue> {
  const shown: Record<string, FactValue> = { ...read };
  for (const fact of Object.keys(read)) {
    for (const extra of SUPPORTING_FACTS[fact] ?? []) if (!Object.hasOwn(shown, extra) && Object.hasOwn(all, extra)) shown[extra] = all[extra]!;
  }
  return shown;
}

function pick(facts: Readonly<Record<string, FactValue>>, names: readonly string[]): Record<string, FactValue> {
  const picked: Record<string, FactValue> = {};
  for (const name of names) picked[name] = facts[name] ?? null;
  return picked;
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

interface Subject {
  runId: number;
  /** project code, or the company's USCC for company lines */
  key: string;
  projectCode: string | null;
  projectName: string | null;
  facts: Readonly<Record<string, FactValue>>;
}

function adjustmentLines(subject: Subject, section: typeof SECTION_BONUS | typeof SECTION_DEDUCTION, lines: readonly PointsLine[], events: readonly EvidenceEvent[], capNote: string | null): IndicatorLine[] {
  return lines.map((line, i) => {
    const main = mainFactOf(Object.keys(line.facts));
    const evidence = [eventEvidence(line.facts, events, subject.projectCode), i === 0 ? capNote : null].filter(Boolean).join('\n');
    return {
      lineId: `${subject.runId}-${subject.key}-${section}-${line.rule}`,
      projectCode: subject.projectCode,
      projectName: subject.projectName,
      section,
      sectionLabel: section === SECTION_BONUS ? '加分' : '扣分',
      rule: line.rule,
      clause: line.clause,
      mainFact: main,
      mainValue: main === null ? null : (line.facts[main] ?? null),
      factsText: factsText(line.facts),
      points: section === SECTION_BONUS ? line.points : -line.points,
      max: null,
      evidence,
    };
  });
}

function vetoLines(subject: Subject, vetoes: ProjectOutcomeView['vetoes'], ruleSet: CompiledRuleSet, events: readonly EvidenceEvent[]): IndicatorLine[] {
  const rules = new Map(ruleSet.stages.vetoes.map((r) => [r.id, r]));
  return vetoes.map((v) => {
    const facts = pick(subject.facts, rules.get(v.rule)?.compiled.facts ?? []);
    const main = mainFactOf(Object.keys(facts));
    return {
      lineId: `${subject.runId}-${subject.key}-${SECTION_VETO}-${v.rule}`,
      projectCode: subject.projectCode,
      projectName: subject.projectName,
      section: SECTION_VETO,
      sectionLabel: '一票否决',
      rule: v.rule,
      clause: v.clause,
      mainFact: main,
      mainValue: main === null ? null : (facts[main] ?? null),
      factsText: v.reason,
      points: null,
      max: null,
      evidence: eventEvidence(facts, events, subject.projectCode),
    };
  });
}

/** Every line of one project's result, in the order of the rule set's parts. */
export function projectLines(runId: number, outcome: ProjectOutcomeView, ruleSet: CompiledRuleSet, events: readonly EvidenceEvent[] = []): IndicatorLine[] {
  const subject: Subject = { runId, key: outcome.projectCode, projectCode: outcome.projectCode, projectName: outcome.projectName, facts: outcome.facts };
  const lines: IndicatorLine[] = [];
  if (!outcome.assessed) {
    lines.push({
      lineId: `${runId}-${outcome.projectCode}-${SECTION_NOT_ASSESSED}`,
      projectCode: outcome.projectCode,
      projectName: outcome.projectName,
      section: SECTION_NOT_ASSESSED,
      sectionLabel: '本期不参评',
      rule: null,
      clause: null,
      mainFact: null,
      mainValue: null,
      factsText: factsText(subject.facts, ['surveyRespondents', 'feeMonths', 'complaintTickets']),
      points: null,
      max: null,
      evidence: notesText(outcome.notes),
    });
    lines.push(...vetoLines(subject, outcome.vetoes, ruleSet, events));
    return lines;
  }
  const factsOfPart = partFacts(ruleSet);
  const parts = new Map(outcome.parts.map((p) => [p.part, p]));
  for (const definition of ruleSet.manifest.parts) {
    const part = parts.get(definition.id);
    const fired = new Map((part?.lines ?? []).map((l) => [l.rule, l]));
    const sum = (part?.lines ?? []).reduce((total, l) => total + Math.round(l.points * 100), 0) / 100;
    const capNote = part && sum > part.points ? `本项各条合计 ${sum} 分，按满分 ${definition.max} 分封顶` : null;
    if (definition.combine === 'sum') {
      // every rule of the part gets its line, fired or not: a line that gave 0 points can be appealed too
      const rules = ruleSet.stages.indicators.filter((r) => r.params.part === definition.id);
      rules.forEach((rule, i) => {
        const line = fired.get(rule.id);
        const read = line?.facts ?? pick(subject.facts, rule.compiled.facts);
        const main = mainFactOf(Object.keys(read));
        lines.push({
          lineId: `${runId}-${outcome.projectCode}-${definition.id}-${rule.id}`,
          projectCode: outcome.projectCode,
          projectName: outcome.projectName,
          section: definition.id,
          sectionLabel: definition.label,
          rule: rule.id,
          clause: rule.clause,
          mainFact: main,
          mainValue: main === null ? null : (read[main] ?? null),
          factsText: factsText(read),
          points: line?.points ?? 0,
          max: typeof rule.params.points === 'number' ? rule.params.points : null,
          evidence: i === 0 && capNote ? capNote : '',
        });
      });
      continue;
    }
    const partLines = part?.lines ?? [];
    if (partLines.length === 0) {
      const read = pick(subject.facts, factsOfPart.get(definition.id) ?? []);
      const main = mainFactOf(Object.keys(read));
      lines.push({
        lineId: `${runId}-${outcome.projectCode}-${definition.id}`,
        projectCode: outcome.projectCode,
        projectName: outcome.projectName,
        section: definition.id,
        sectionLabel: definition.label,
        rule: null,
        clause: '未达到任何得分档次',
        mainFact: main,
        mainValue: main === null ? null : (read[main] ?? null),
        factsText: factsText(withSupport(read, subject.facts)),
        points: part?.points ?? 0,
        max: definition.max,
        evidence: '',
      });
      continue;
    }
    partLines.forEach((line, i) => {
      const main = mainFactOf(Object.keys(line.facts));
      lines.push({
        // a band part has one line; should a faulty set fire two, the second keeps its own id
        lineId: i === 0 ? `${runId}-${outcome.projectCode}-${definition.id}` : `${runId}-${outcome.projectCode}-${definition.id}-${line.rule}`,
        projectCode: outcome.projectCode,
        projectName: outcome.projectName,
        section: definition.id,
        sectionLabel: definition.label,
        rule: line.rule,
        clause: line.clause,
        mainFact: main,
        mainValue: main === null ? null : (line.facts[main] ?? null),
        factsText: factsText(withSupport(line.facts, subject.facts)),
        points: line.points,
        max: i === 0 ? definition.max : null,
        evidence: i === 0 && capNote ? capNote : '',
      });
    });
  }
  const bonusCap = outcome.bonus.raw > outcome.bonus.capped ? `加分合计 ${outcome.bonus.raw} 分，按上限计 ${outcome.bonus.capped} 分` : null;
  lines.push(...adjustmentLines(subject, SECTION_BONUS, outcome.bonus.lines, events, bonusCap));
  lines.push(...adjustmentLines(subject, SECTION_DEDUCTION, outcome.deductions.lines, events, null));
  lines.push(...vetoLines(subject, outcome.vetoes, ruleSet, events));
  return lines;
}

/** The company's own lines: company-level bonus, deductions and vetoes (project vetoes are on their projects). */
export function companyLines(runId: number, outcome: CompanyOutcomeView, ruleSet: CompiledRuleSet, events: readonly EvidenceEvent[] = []): IndicatorLine[] {
  const subject: Subject = { runId, key: outcome.uscc, projectCode: null, projectName: null, facts: outcome.facts };
  const bonusCap = outcome.bonus.raw > outcome.bonus.capped ? `企业加分合计 ${outcome.bonus.raw} 分，按上限计 ${outcome.bonus.capped} 分` : null;
  return [
    ...adjustmentLines(subject, SECTION_BONUS, outcome.bonus.lines, events, bonusCap),
    ...adjustmentLines(subject, SECTION_DEDUCTION, outcome.deductions.lines, events, null),
    ...vetoLines(subject, outcome.vetoes.filter((v) => v.projectCode === null), ruleSet, events),
  ];
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
      clauses: lines.map((l) => l.clause).join('；'),
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
    clauses: lines.map((l) => l.clause).join('；'),
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
