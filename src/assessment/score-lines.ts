/**
 * The scorecard of a result: one flat record per line a person checks (a band part, each rule of a
 * summed part, a bonus, a deduction, a veto, or "not assessed"), with a key that does not depend
 * on the run. The reports, the appeal sheet and later the desk read these instead of re-deriving
 * them; a line's words (section label, clause, facts in words) are written by the renderer. Pure.
 */
import type { FactValue } from '../rules/rule-json.js';
import type { CompiledRuleSet } from '../rules/rule-set.js';
import { note, type Note } from './notes.js';
import type { PointsLine } from './scoring.js';
import { storedNote, type StoredCompanyOutcome, type StoredProjectOutcome } from './stored-outcome.js';

export const SECTION_BONUS = 'bonus';
export const SECTION_DEDUCTION = 'deduction';
export const SECTION_VETO = 'veto';
export const SECTION_NOT_ASSESSED = 'notAssessed';

/** A part id, or one of the SECTION_* above. */
export type LineSection = string;

export interface ScoreLine {
  /** the project code, or the company's USCC for a company line */
  subject: string;
  /** null for a company line */
  projectCode: string | null;
  /** `<subject>-<part>` for a band part, `<subject>-<section>-<ruleId>` for a rule's line, `<subject>-notAssessed` */
  key: string;
  section: LineSection;
  /** null when no rule of a band part applied, and for "not assessed" */
  rule: string | null;
  /** the fact the line is about, and its value */
  fact: string | null;
  value: FactValue;
  /** signed: a deduction is negative; null for a veto and for "not assessed" */
  points: number | null;
  max: number | null;
  /** the facts the rule read (a part without a fired rule: the facts its rules read; a veto: its rule's facts) */
  facts: Record<string, FactValue>;
  /** caps, "no band applied", and for "not assessed" the project's own notes */
  notes: Note[];
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

export function pickFacts(facts: Readonly<Record<string, FactValue>>, names: readonly string[]): Record<string, FactValue> {
  const picked: Record<string, FactValue> = {};
  for (const name of names) picked[name] = facts[name] ?? null;
  return picked;
}

/** The facts a "not assessed" line shows. */
const NOT_ASSESSED_FACTS = ['surveyRespondents', 'feeMonths', 'complaintTickets'];

interface Subject {
  key: string;
  projectCode: string | null;
  facts: Readonly<Record<string, FactValue>>;
}

function line(subject: Subject, fields: Omit<ScoreLine, 'subject' | 'projectCode' | 'fact' | 'value'>): ScoreLine {
  const fact = mainFactOf(Object.keys(fields.facts));
  return { subject: subject.key, projectCode: subject.projectCode, ...fields, fact, value: fact === null ? null : (fields.facts[fact] ?? null) };
}

function adjustmentLines(
  subject: Subject,
  section: typeof SECTION_BONUS | typeof SECTION_DEDUCTION,
  lines: readonly PointsLine[],
  capNote: Note | null,
): ScoreLine[] {
  return lines.map((l, i) =>
    line(subject, {
      key: `${subject.key}-${section}-${l.rule}`,
      section,
      rule: l.rule,
      points: section === SECTION_BONUS ? l.points : -l.points,
      max: null,
      facts: l.facts,
      notes: i === 0 && capNote ? [capNote] : [],
    }),
  );
}

function vetoLines(subject: Subject, vetoes: StoredProjectOutcome['vetoes'], ruleSet: CompiledRuleSet): ScoreLine[] {
  const rules = new Map(ruleSet.stages.vetoes.map((r) => [r.id, r]));
  return vetoes.map((v) =>
    line(subject, {
      key: `${subject.key}-${SECTION_VETO}-${v.rule}`,
      section: SECTION_VETO,
      rule: v.rule,
      points: null,
      max: null,
      facts: pickFacts(subject.facts, rules.get(v.rule)?.compiled.facts ?? []),
      notes: [],
    }),
  );
}

const cents = (points: number) => Math.round(points * 100);

/** Every line of one project's result, in the order of the rule set's parts, then bonus, deductions and vetoes. */
export function projectScoreLines(outcome: Omit<StoredProjectOutcome, 'trace'>, ruleSet: CompiledRuleSet): ScoreLine[] {
  const subject: Subject = { key: outcome.projectCode, projectCode: outcome.projectCode, facts: outcome.facts };
  if (!outcome.assessed) {
    const notAssessed: ScoreLine = {
      subject: subject.key,
      projectCode: subject.projectCode,
      key: `${subject.key}-${SECTION_NOT_ASSESSED}`,
      section: SECTION_NOT_ASSESSED,
      rule: null,
      fact: null,
      value: null,
      points: null,
      max: null,
      facts: pickFacts(
        outcome.facts,
        NOT_ASSESSED_FACTS.filter((f) => Object.hasOwn(outcome.facts, f)),
      ),
      notes: outcome.notes.map(storedNote),
    };
    return [notAssessed, ...vetoLines(subject, outcome.vetoes, ruleSet)];
  }
  const lines: ScoreLine[] = [];
  const factsOfPart = partFacts(ruleSet);
  const parts = new Map(outcome.parts.map((p) => [p.part, p]));
  for (const definition of ruleSet.manifest.parts) {
    const part = parts.get(definition.id);
    const partLines = part?.lines ?? [];
    const sum = partLines.reduce((total, l) => total + cents(l.points), 0) / 100;
    const capNote = part && sum > part.points ? note('line.partCapped', { sum, max: definition.max }) : null;
    if (definition.combine === 'sum') {
      // every rule of the part gets its line, fired or not: a line that gave 0 points can be appealed too
      const fired = new Map(partLines.map((l) => [l.rule, l]));
      ruleSet.stages.indicators
        .filter((r) => r.params.part === definition.id)
        .forEach((rule, i) => {
          const firedLine = fired.get(rule.id);
          lines.push(
            line(subject, {
              key: `${subject.key}-${definition.id}-${rule.id}`,
              section: definition.id,
              rule: rule.id,
              points: firedLine?.points ?? 0,
              max: typeof rule.params.points === 'number' ? rule.params.points : null,
              facts: firedLine?.facts ?? pickFacts(subject.facts, rule.compiled.facts),
              notes: i === 0 && capNote ? [capNote] : [],
            }),
          );
        });
      continue;
    }
    if (partLines.length === 0) {
      lines.push(
        line(subject, {
          key: `${subject.key}-${definition.id}`,
          section: definition.id,
          rule: null,
          points: part?.points ?? 0,
          max: definition.max,
          facts: pickFacts(subject.facts, factsOfPart.get(definition.id) ?? []),
          notes: [note('line.noBand', {})],
        }),
      );
      continue;
    }
    partLines.forEach((l, i) => {
      lines.push(
        line(subject, {
          // a band part has one line; should a faulty set fire two, the second keeps its own key
          key: i === 0 ? `${subject.key}-${definition.id}` : `${subject.key}-${definition.id}-${l.rule}`,
          section: definition.id,
          rule: l.rule,
          points: l.points,
          max: i === 0 ? definition.max : null,
          facts: l.facts,
          notes: i === 0 && capNote ? [capNote] : [],
        }),
      );
    });
  }
  const bonusCap =
    outcome.bonus.raw > outcome.bonus.capped ? note('line.bonusCapped', { raw: outcome.bonus.raw, capped: outcome.bonus.capped, company: false }) : null;
  lines.push(...adjustmentLines(subject, SECTION_BONUS, outcome.bonus.lines, bonusCap));
  lines.push(...adjustmentLines(subject, SECTION_DEDUCTION, outcome.deductions.lines, null));
  lines.push(...vetoLines(subject, outcome.vetoes, ruleSet));
  return lines;
}

/** The company's own lines: company-level bonus, deductions and vetoes (project vetoes are on their projects). */
export function companyScoreLines(outcome: Omit<StoredCompanyOutcome, 'trace'>, ruleSet: CompiledRuleSet): ScoreLine[] {
  const subject: Subject = { key: outcome.uscc, projectCode: null, facts: outcome.facts };
  const bonusCap =
    outcome.bonus.raw > outcome.bonus.capped ? note('line.bonusCapped', { raw: outcome.bonus.raw, capped: outcome.bonus.capped, company: true }) : null;
  return [
    ...adjustmentLines(subject, SECTION_BONUS, outcome.bonus.lines, bonusCap),
    ...adjustmentLines(subject, SECTION_DEDUCTION, outcome.deductions.lines, null),
    ...vetoLines(
      subject,
      outcome.vetoes.filter((v) => v.projectCode === null),
      ruleSet,
    ),
  ];
}

/** Every line of a company's result: its own lines, then each project's. */
export function scoreLinesOf(
  result: { company: Omit<StoredCompanyOutcome, 'trace'>; projects: readonly Omit<StoredProjectOutcome, 'trace'>[] },
  ruleSet: CompiledRuleSet,
): ScoreLine[] {
  return [...companyScoreLines(result.company, ruleSet), ...result.projects.flatMap((p) => projectScoreLines(p, ruleSet))];
}

/**
 * The line key of a line id stored with an appeal (`<runId>-<key>`, as the appeal sheet's 行号
 * shows it): the run's id and a dash off the front. An id without that prefix is a key already.
 */
export function lineKeyOf(lineId: string, runId: number): string {
  const prefix = `${runId}-`;
  return lineId.startsWith(prefix) ? lineId.slice(prefix.length) : lineId;
}

/** The line id the appeal sheet shows (行号) for a line of a run. */
export function lineIdOf(runId: number, key: string): string {
  return `${runId}-${key}`;
}
