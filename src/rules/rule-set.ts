import { DomainError } from '../domain/errors.js';
import { parsePeriod } from '../domain/period.js';
import { compileRule, RuleCompileError, type CompiledRule } from './rule-compiler.js';
import type { FactValue, Facts, RuleJson } from './rule-json.js';
import {
  COMPANY_EVENT_FACT_LABELS,
  GRADE_FACT_LABELS,
  LIST_FACT_LABELS,
  PROJECT_FACT_LABELS,
  STARS_FACT_LABELS,
} from '../assessment/facts.js';

/**
 * A rule set: a manifest (`ruleset.json`: identity, parameters, parts, grades, stage files)
 * and one file of json-rules-engine rules per stage. Every number of the scheme lives here.
 */
export const STAGES = ['indicators', 'adjustments', 'vetoes', 'stars', 'company', 'grade', 'lists'] as const;
export type StageId = (typeof STAGES)[number];

/** What a rule's event does, by stage. */
const STAGE_EVENT_TYPES: Record<StageId, readonly string[]> = {
  indicators: ['points'],
  adjustments: ['bonus', 'deduction'],
  vetoes: ['veto'],
  stars: ['stars'],
  company: ['bonus', 'deduction'],
  grade: ['grade'],
  lists: ['list'],
};

const STAGE_FACTS: Record<StageId, Record<string, string>> = {
  indicators: PROJECT_FACT_LABELS,
  adjustments: PROJECT_FACT_LABELS,
  vetoes: PROJECT_FACT_LABELS,
  stars: STARS_FACT_LABELS,
  company: COMPANY_EVENT_FACT_LABELS,
  grade: GRADE_FACT_LABELS,
  lists: LIST_FACT_LABELS,
};

export type ListName = 'red' | 'black';
export type ListSeverity = 'general' | 'serious' | 'safety';

export interface RuleSetParameters {
  satisfaction: {
    positiveAnswerMin: number;
    minimumSample: { respondents: number; shareOfOccupiedHouseholds: number };
    wilsonZ: number;
  };
  complaints: { responseWindowHours: number };
  projectTotal: { bonusCap: number; floor: number };
  company: {
    weighting: 'households' | 'floorArea';
    bonusCap: number;
    applyAdjustmentRules: boolean;
    /** decimals the company score is rounded to (half up) before the grade and the lists read it */
    scoreDecimals: number;
    /** whether a company-level veto takes the stars of all of the company's projects */
    vetoTakesProjectStars: boolean;
  };
  badRecords: { windowMonths: number; eventKinds: string[] };
  lists: {
    worstComplaintShare: number;
    exitAfterPeriods: number;
    durations: Record<ListSeverity, { minMonths: number; maxMonths: number }>;
  };
  ledger: { validityMonths: number };
  /** deadlines of the appeal procedure; a set without them uses the configured defaults */
  appeals?: {
    /** days after publication in which a company may appeal */
    windowDays: number;
    /** days after a rejection in which the company may answer it once */
    resubmissionDays: number;
    /** days after publication given to rectify a finding (stated on the notice) */
    rectificationDays: number;
  };
}

export interface PartDefinition {
  id: string;
  label: string;
  max: number;
  /** band: exactly one of the part's rules applies (a band table); sum: the rules add up */
  combine: 'band' | 'sum';
}

export interface RuleSetManifest {
  name: string;
  version: string;
  title: string;
  /** the most the parts can give together (bonus aside) */
  totalMax: number;
  effectiveFrom: string;
  effectiveTo?: string | null;
  authorNote?: string;
  parameters: RuleSetParameters;
  parts: PartDefinition[];
  /** best first */
  grades: string[];
  stages: Record<StageId, string>;
}

/** A points amount: fixed, per occurrence of a counted fact, or linear in a fact. */
export type PointsSpec =
  | number
  | { fact: string; each: number }
  | { linear: { fact: string; from: [number, number]; to: [number, number] }; round?: number };

export interface StageRule {
  readonly id: string;
  readonly stage: StageId;
  readonly file: string;
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly clause: string;
  readonly compiled: CompiledRule;
  /** the points of a points/bonus/deduction rule for these facts (positive for a deduction) */
  points(facts: Facts): number;
}

export interface CompiledRuleSet {
  readonly manifest: RuleSetManifest;
  readonly stages: Record<StageId, readonly StageRule[]>;
  /** the raw file contents, by file name, stored with every run so that it can be reproduced */
  readonly files: Readonly<Record<string, string>>;
}

export interface RuleSetSource {
  /** a name for messages, e.g. the directory */
  readonly location: string;
  /** file name → content */
  readonly files: Readonly<Record<string, string>>;
}

export interface RuleSetProblem {
  file: string;
  rule: string | null;
  message: string;
}

/**
 * A rule set that does not compile (every problem found). Rules given (a directory, a draft) are
 * refused as bad input (RULESET_INVALID, 400 / exit 2); the rule files stored with a run that this
 * engine no longer accepts are a conflict of the stored run with the engine (RUN_RULE_SET_INVALID, 409).
 */
export class RuleSetInvalidError extends DomainError {
  constructor(
    readonly location: string,
    readonly problems: RuleSetProblem[],
  ) {
    super(
      /^run \d+$/.test(location) ? 'RUN_RULE_SET_INVALID' : 'RULESET_INVALID',
      `rule set ${location} is invalid: ${problems.map((p) => `${p.file}${p.rule ? ` rule "${p.rule}"` : ''}: ${p.message}`).join('; ')}`,
      `${locationZh(location)}有误，无法编译（共 ${problems.length} 处错误）`,
      problems.map((p) => `${p.file}${p.rule ? ` · 规则 ${p.rule}` : ''}: ${p.message}`),
    );
  }
}

/** `run 12` (the files stored with a run) as `考核运行 #12 所存的规则集`, any other location as `规则集 …`. */
function locationZh(location: string): string {
  const run = /^run (\d+)$/.exec(location);
  return run ? `考核运行 #${run[1]} 所存的规则集` : `规则集 ${location} `;
}

export const MANIFEST_FILE = 'ruleset.json';

/** Parses and compiles a whole rule set; every problem found is reported together. */
export function compileRuleSet(source: RuleSetSource): CompiledRuleSet {
  const problems: RuleSetProblem[] = [];
  const parse = (file: string): unknown => {
    const text = source.files[file];
    if (text === undefined) {
      problems.push({ file, rule: null, message: 'file is missing' });
      return undefined;
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      problems.push({ file, rule: null, message: `malformed JSON: ${(error as Error).message}` });
      return undefined;
    }
  };

  const manifest = parse(MANIFEST_FILE) as RuleSetManifest | undefined;
  if (!manifest) throw new RuleSetInvalidError(source.location, problems);
  checkManifest(manifest, problems);
  const stageRules = {} as Record<StageId, StageRule[]>;
  const partIds = new Set((manifest.parts ?? []).map((p) => p.id));
  for (const stage of STAGES) {
    stageRules[stage] = [];
    const file = manifest.stages?.[stage];
    if (typeof file !== 'string') {
      problems.push({ file: MANIFEST_FILE, rule: null, message: `stage "${stage}" is missing from "stages"` });
      continue;
    }
    const content = parse(file) as { stage?: unknown; rules?: unknown } | undefined;
    if (!content) continue;
    if (content.stage !== stage) problems.push({ file, rule: null, message: `"stage" must be "${stage}"` });
    if (!Array.isArray(content.rules)) {
      problems.push({ file, rule: null, message: '"rules" must be an array' });
      continue;
    }
    const knownFacts = new Set(Object.keys(STAGE_FACTS[stage]));
    const names = new Set<string>();
    for (const json of content.rules as RuleJson[]) {
      const ruleName = typeof json?.name === 'string' ? json.name : null;
      try {
        if (ruleName && names.has(ruleName)) throw new RuleCompileError(ruleName, 'the name is used twice');
        if (ruleName) names.add(ruleName);
        const compiled = compileRule(json, knownFacts);
        stageRules[stage].push(stageRule(stage, file, compiled, knownFacts, partIds, manifest.grades ?? []));
      } catch (error) {
        if (!(error instanceof RuleCompileError)) throw error;
        problems.push({ file, rule: error.rule === '(unnamed)' ? null : error.rule, message: error.problem });
      }
    }
  }
  if (problems.length > 0) throw new RuleSetInvalidError(source.location, problems);
  return { manifest, stages: stageRules, files: source.files };
}

function stageRule(
  stage: StageId,
  file: string,
  compiled: CompiledRule,
  knownFacts: ReadonlySet<string>,
  partIds: ReadonlySet<string>,
  grades: readonly string[],
): StageRule {
  const { name, event } = compiled.json;
  const fail = (problem: string) => {
    throw new RuleCompileError(name, problem);
  };
  if (!STAGE_EVENT_TYPES[stage].includes(event.type)) {
    fail(`event type "${event.type}" does not belong in stage "${stage}" (expected ${STAGE_EVENT_TYPES[stage].join(' or ')})`);
  }
  const params = event.params ?? {};
  const clause = typeof params.clause === 'string' && params.clause !== '' ? params.clause : fail('event.params.clause (the scheme text it applies) is required');
  let points: (facts: Facts) => number = () => 0;
  if (event.type === 'points' || event.type === 'bonus' || event.type === 'deduction') {
    points = compilePoints(params.points, knownFacts, fail);
  }
  if (event.type === 'points' && !partIds.has(params.part as string)) fail(`event.params.part "${String(params.part)}" is not a declared part`);
  if (event.type === 'stars' && !(Number.isInteger(params.stars) && (params.stars as number) >= 0 && (params.stars as number) <= 5)) fail('event.params.stars must be 0 to 5');
  if (event.type === 'grade' && !grades.includes(params.grade as string)) fail(`event.params.grade "${String(params.grade)}" is not a declared grade`);
  if (event.type === 'veto' && !['serious', 'safety', 'general'].includes(params.severity as string)) fail('event.params.severity must be general, serious or safety');
  if (event.type === 'list') {
    if (params.list !== 'red' && params.list !== 'black') fail('event.params.list must be "red" or "black"');
    if (!['serious', 'safety', 'general'].includes(params.severity as string)) fail('event.params.severity must be general, serious or safety');
  }
  return { id: name, stage, file, type: event.type, params, clause, compiled, points };
}

function compilePoints(spec: unknown, knownFacts: ReadonlySet<string>, fail: (problem: string) => never): (facts: Facts) => number {
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  const numberOf = (v: FactValue | undefined) => (typeof v === 'number' ? v : 0);
  if (finite(spec)) return () => spec;
  if (spec && typeof spec === 'object') {
    const s = spec as Record<string, unknown>;
    if (typeof s.fact === 'string') {
      if (!knownFacts.has(s.fact)) fail(`points refer to unknown fact "${s.fact}"`);
      if (!finite(s.each)) fail('points.each must be a number');
      const fact = s.fact;
      const each = s.each;
      return (facts) => numberOf(facts[fact]) * each;
    }
    if (s.linear && typeof s.linear === 'object') {
      const l = s.linear as { fact?: unknown; from?: unknown; to?: unknown };
      if (typeof l.fact !== 'string' || !knownFacts.has(l.fact)) fail(`points.linear refers to unknown fact "${String(l.fact)}"`);
      const pair = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every(finite);
      if (!pair(l.from) || !pair(l.to)) fail('points.linear needs "from" and "to" as [fact value, points]');
      const [x0, y0] = l.from as [number, number];
      const [x1, y1] = l.to as [number, number];
      if (x0 === x1) fail('points.linear "from" and "to" need different fact values');
      const decimals = s.round === undefined ? null : (s.round as number);
      if (decimals !== null && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= 4)) fail('points.round must be 0 to 4');
      const fact = l.fact;
      return (facts) => {
        const x = numberOf(facts[fact]);
        const y = y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
        return decimals === null ? y : roundHalfUp(y, decimals);
      };
    }
  }
  return fail('event.params.points must be a number, { "fact", "each" } or { "linear": … }');
}

/**
 * Rounds half away from zero at the given decimals, free of binary artefacts (2.675 → 2.68):
 * the magnitude times 10^decimals is read at 15 significant digits, then rounded half up.
 */
export function roundHalfUp(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return (Math.sign(value) * halfUpAt15Digits(Math.abs(value) * factor)) / factor;
}

/**
 * `Math.round(Number(scaled.toPrecision(15)))` for scaled ≥ 0, without making the string (which
 * took a third of a province's scoring time). Reading `scaled` at 15 significant digits moves it by
 * at most half a unit of its 15th digit, h = 5·10^(e−15) where 10^e ≤ scaled < 10^(e+1); that can
 * only change the rounding when scaled lies in [n + 0.5 − h, n + 0.5), n = ⌊scaled⌋, where it
 * reaches n + 0.5 (exactly representable at 15 digits below 10^14, and ties of toPrecision go up).
 * That narrow case is decided exactly in integers. Non-finite and huge magnitudes (≥ 10^14, where
 * the 15 digits drop integer digits) keep the string route: no score comes near them.
 */
export function halfUpAt15Digits(scaled: number): number {
  if (!(scaled < 1e14)) return Math.round(Number(scaled.toPrecision(15)));
  const whole = Math.floor(scaled);
  // exact: the fraction of a double is exact, and 0.5 − fraction is exact for a fraction ≥ 0.25
  const belowHalf = 0.5 - (scaled - whole);
  if (belowHalf <= 0) return whole + 1;
  // (whole + 0.5)·10^−14 ≥ 2h: clearly below the half, whatever the 15 digits do
  if (belowHalf > (whole + 0.5) * 1e-14) return whole;
  return reachesHalfAt15Digits(scaled, whole) ? whole + 1 : whole;
}

const float = new Float64Array(1);
const floatBits = new BigUint64Array(float.buffer);

/** Whether scaled ≥ whole + 0.5 − 5·10^(e−15), e the decimal exponent of whole + 0.5, in exact integer arithmetic. */
function reachesHalfAt15Digits(scaled: number, whole: number): boolean {
  let e = -1;
  while (10 ** (e + 1) <= whole + 0.5) e++;
  // scaled = mantissa · 2^exponent exactly (scaled > 0 and finite here)
  float[0] = scaled;
  const bits = floatBits[0];
  const biased = Number((bits >> 52n) & 0x7ffn);
  const mantissa = biased === 0 ? bits & 0xfffffffffffffn : (bits & 0xfffffffffffffn) | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  // times 2·10^(15−e)·2^−exponent: 2·10^k·mantissa ≥ ((2·whole + 1)·10^k − 10)·2^−exponent, k = 15 − e
  const k = BigInt(15 - e);
  const left = 2n * 10n ** k * mantissa;
  const right = ((2n * BigInt(whole) + 1n) * 10n ** k - 10n) << BigInt(-exponent);
  return left >= right;
}

/** What the engine did before `company.scoreDecimals` and `company.vetoTakesProjectStars` were parameters. */
export const HISTORIC_COMPANY_PARAMETERS = { scoreDecimals: 2, vetoTakesProjectStars: true } as const;

function checkManifest(m: RuleSetManifest, problems: RuleSetProblem[]): void {
  const add = (message: string) => problems.push({ file: MANIFEST_FILE, rule: null, message });
  for (const key of ['name', 'version', 'title'] as const) if (typeof m[key] !== 'string' || m[key] === '') add(`"${key}" is required`);
  if (typeof m.effectiveFrom !== 'string' || !parsePeriod(m.effectiveFrom)) add('"effectiveFrom" must be a period such as 2025');
  if (m.effectiveTo != null && (typeof m.effectiveTo !== 'string' || !parsePeriod(m.effectiveTo))) add('"effectiveTo" must be a period or null');
  if (!Array.isArray(m.parts) || m.parts.length === 0) add('"parts" must list the indicator parts');
  else
    for (const p of m.parts) {
      if (typeof p?.id !== 'string' || typeof p.label !== 'string' || !(typeof p.max === 'number' && p.max > 0) || !['band', 'sum'].includes(p.combine)) {
        add(`part ${JSON.stringify(p)} needs id, label, a positive max and combine "band" or "sum"`);
      }
    }
  if (!(typeof m.totalMax === 'number' && m.totalMax > 0)) add('"totalMax" (the most the parts give together) must be a positive number');
  if (!Array.isArray(m.grades) || m.grades.length < 2) add('"grades" must list the credit grades, best first');
  const p = m.parameters;
  if (!p || typeof p !== 'object') {
    add('"parameters" is required');
    return;
  }
  const need = (ok: boolean, what: string) => ok || add(`parameters.${what}`);
  const num = (x: unknown, min = 0) => typeof x === 'number' && Number.isFinite(x) && x >= min;
  need(num(p.satisfaction?.positiveAnswerMin, 1), 'satisfaction.positiveAnswerMin must be a number ≥ 1');
  need(num(p.satisfaction?.minimumSample?.respondents), 'satisfaction.minimumSample.respondents must be a number ≥ 0');
  need(num(p.satisfaction?.minimumSample?.shareOfOccupiedHouseholds), 'satisfaction.minimumSample.shareOfOccupiedHouseholds must be a number ≥ 0');
  need(num(p.satisfaction?.wilsonZ), 'satisfaction.wilsonZ must be a number ≥ 0');
  need(num(p.complaints?.responseWindowHours), 'complaints.responseWindowHours must be a number ≥ 0');
  need(num(p.projectTotal?.bonusCap), 'projectTotal.bonusCap (the bonus cap) must be a number ≥ 0');
  need(num(p.projectTotal?.floor), 'projectTotal.floor must be a number ≥ 0');
  need(p.company?.weighting === 'households' || p.company?.weighting === 'floorArea', 'company.weighting must be "households" or "floorArea"');
  need(num(p.company?.bonusCap), 'company.bonusCap must be a number ≥ 0');
  need(typeof p.company?.applyAdjustmentRules === 'boolean', 'company.applyAdjustmentRules must be true or false');
  if (p.company && typeof p.company === 'object') {
    // Rule sets stored with runs before these two parameters existed (engine redprop-scoring/2) were
    // scored with what the engine then did: rounding to 2 decimals, a company veto taking all stars.
    // rules:check warns when a set leaves them out (PARAMETER_DEFAULTED).
    for (const [key, historic] of Object.entries(HISTORIC_COMPANY_PARAMETERS)) {
      (p.company as unknown as Record<string, unknown>)[key] ??= historic;
    }
    need(Number.isInteger(p.company.scoreDecimals) && p.company.scoreDecimals >= 0 && p.company.scoreDecimals <= 2, 'company.scoreDecimals must be 0, 1 or 2');
    need(typeof p.company.vetoTakesProjectStars === 'boolean', 'company.vetoTakesProjectStars must be true or false');
  }
  need(num(p.badRecords?.windowMonths, 1), 'badRecords.windowMonths must be a number ≥ 1');
  need(Array.isArray(p.badRecords?.eventKinds), 'badRecords.eventKinds must list event kinds');
  need(num(p.lists?.worstComplaintShare) && p.lists.worstComplaintShare < 1, 'lists.worstComplaintShare must be a share below 1');
  need(num(p.lists?.exitAfterPeriods, 1), 'lists.exitAfterPeriods must be a number ≥ 1');
  for (const severity of ['general', 'serious', 'safety'] as const) {
    const d = p.lists?.durations?.[severity];
    need(num(d?.minMonths) && num(d?.maxMonths) && d.maxMonths >= d.minMonths, `lists.durations.${severity} needs minMonths ≤ maxMonths (list durations missing)`);
  }
  need(num(p.ledger?.validityMonths, 1), 'ledger.validityMonths must be a number ≥ 1');
  if (p.appeals !== undefined) {
    for (const key of ['windowDays', 'resubmissionDays', 'rectificationDays'] as const) {
      need(num(p.appeals?.[key], 1) && Number.isInteger(p.appeals[key]), `appeals.${key} must be a whole number of days ≥ 1`);
    }
  }
}
