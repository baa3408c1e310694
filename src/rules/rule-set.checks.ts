import type { Facts, FactValue, LeafJson } from './rule-json.js';
import { leavesOf } from './rule-compiler.js';
import { isRateFact } from '../assessment/facts.js';
import { compileRuleSet, HISTORIC_COMPANY_PARAMETERS, MANIFEST_FILE, RuleSetInvalidError, type CompiledRuleSet, type RuleSetSource, type StageRule } from './rule-set.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  code: 'INVALID' | 'GAP' | 'OVERLAP' | 'UNREACHABLE' | 'POINTS_MISMATCH' | 'TOTAL_MISMATCH' | 'PARAMETER_DEFAULTED';
  file: string;
  rule: string | null;
  /** a plain explanation in Chinese */
  message: string;
}

const BOOLEAN_FACTS = new Set(['hasCompanyPartyOrg', 'hasPartyBranch', 'smallSample', 'vetoed', 'complaintRateImproved']);

/** The values a fact can take: rates 0–1, the three-party mean 1–5, everything else from 0 up. */
function domainOf(fact: string): [number, number] {
  if (isRateFact(fact)) return [0, 1];
  if (fact === 'threePartyMean') return [1, 5];
  return [0, Number.POSITIVE_INFINITY];
}

interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

function intervalOf(leaf: LeafJson): Interval | null {
  const v = leaf.value;
  if (typeof v !== 'number') return null;
  switch (leaf.operator) {
    case 'greaterThanInclusive':
      return { lo: v, loOpen: false, hi: Infinity, hiOpen: true };
    case 'greaterThan':
      return { lo: v, loOpen: true, hi: Infinity, hiOpen: true };
    case 'lessThan':
      return { lo: -Infinity, loOpen: true, hi: v, hiOpen: true };
    case 'lessThanInclusive':
      return { lo: -Infinity, loOpen: true, hi: v, hiOpen: false };
    case 'equal':
      return { lo: v, loOpen: false, hi: v, hiOpen: false };
    default:
      return null;
  }
}

function intersect(a: Interval, b: Interval): Interval {
  const lo = a.lo > b.lo ? a : a.lo < b.lo ? b : { ...a, loOpen: a.loOpen || b.loOpen };
  const hi = a.hi < b.hi ? a : a.hi > b.hi ? b : { ...a, hiOpen: a.hiOpen || b.hiOpen };
  return { lo: lo.lo, loOpen: lo.loOpen, hi: hi.hi, hiOpen: hi.hiOpen };
}

const isEmpty = (i: Interval) => i.lo > i.hi || (i.lo === i.hi && (i.loOpen || i.hiOpen));

/** A rule whose `all` conditions on one fact cannot hold together, or only outside the fact's values. */
function unreachable(rule: StageRule): string | null {
  const conditions = rule.compiled.json.conditions;
  if (!('all' in conditions)) return null;
  const byFact = new Map<string, Interval>();
  for (const leaf of conditions.all) {
    if (!('fact' in leaf) || BOOLEAN_FACTS.has(leaf.fact)) continue;
    const interval = intervalOf(leaf);
    if (!interval) continue;
    const [lo, hi] = domainOf(leaf.fact);
    const current = byFact.get(leaf.fact) ?? { lo, loOpen: false, hi, hiOpen: hi === Infinity };
    byFact.set(leaf.fact, intersect(current, interval));
  }
  for (const [fact, interval] of byFact) {
    if (isEmpty(interval)) return `条件对“${fact}”的要求互相矛盾或超出其取值范围，该规则永远不会适用`;
  }
  return null;
}

/** Values at, just below and just above every edge a rule set uses for a fact, within its domain. */
function samplesOf(fact: string, leaves: LeafJson[], grades: readonly string[]): FactValue[] {
  if (BOOLEAN_FACTS.has(fact)) return [true, false];
  if (fact === 'grade') return [...grades];
  const [lo, hi] = domainOf(fact);
  const edges = new Set<number>([lo]);
  for (const leaf of leaves) if (leaf.fact === fact && typeof leaf.value === 'number') edges.add(leaf.value);
  const step = isRateFact(fact) ? 1e-6 : 1e-3;
  const values = new Set<number>();
  for (const e of edges) for (const v of [e - step, e, e + step]) if (v >= lo && v <= hi) values.add(Number(v.toFixed(9)));
  const sorted = [...values].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) values.add((sorted[i - 1] + sorted[i]) / 2);
  values.add(Number.isFinite(hi) ? hi : Math.max(...sorted) + 1000);
  return [...values].sort((a, b) => a - b);
}

const MAX_COMBINATIONS = 200_000;

/** Every combination of sample values of the facts the rules read (fact-to-fact values excluded). */
function combinations(rules: readonly StageRule[], grades: readonly string[]): Facts[] | null {
  const leaves = rules.flatMap((r) => leavesOf(r.compiled.json.conditions));
  const facts = [...new Set(leaves.flatMap((l) => [l.fact, ...(typeof l.value === 'object' && l.value && !Array.isArray(l.value) ? [(l.value as { fact: string }).fact] : [])]))];
  const samples = facts.map((f) => samplesOf(f, leaves, grades));
  if (samples.reduce((n, s) => n * s.length, 1) > MAX_COMBINATIONS) return null;
  let result: Record<string, FactValue>[] = [{}];
  facts.forEach((fact, i) => {
    result = result.flatMap((partial) => samples[i].map((value) => ({ ...partial, [fact]: value })));
  });
  return result;
}

function describe(facts: Facts): string {
  return Object.entries(facts)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? Number(v.toFixed(6)) : String(v)}`)
    .join('，');
}

/** Checks where exactly one of a group of rules must apply: reports the first gap and first overlap. */
function exclusivity(rules: readonly StageRule[], grades: readonly string[], file: string, what: string): Finding[] {
  if (rules.length === 0) return [];
  const combos = combinations(rules, grades);
  if (!combos) return [{ severity: 'warning', code: 'GAP', file, rule: null, message: `${what}的规则涉及的取值组合过多，未检查空档和重叠` }];
  const findings: Finding[] = [];
  for (const facts of combos) {
    const fired = rules.filter((r) => r.compiled.evaluate(facts).fired);
    if (fired.length === 0 && !findings.some((f) => f.code === 'GAP')) {
      findings.push({ severity: 'error', code: 'GAP', file, rule: null, message: `${what}存在空档：当 ${describe(facts)} 时没有任何规则适用` });
    }
    if (fired.length > 1 && !findings.some((f) => f.code === 'OVERLAP')) {
      findings.push({
        severity: 'error',
        code: 'OVERLAP',
        file,
        rule: fired.map((r) => r.id).join(', '),
        message: `${what}存在重叠：当 ${describe(facts)} 时规则 ${fired.map((r) => r.id).join('、')} 同时适用`,
      });
    }
  }
  return findings;
}

/** The most a rule can give over the sampled values where it applies. */
function maxPoints(rule: StageRule, combos: Facts[]): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const facts of combos) if (rule.compiled.evaluate(facts).fired) best = Math.max(best, rule.points(facts));
  return best === Number.NEGATIVE_INFINITY ? 0 : best;
}

/**
 * Checks a rule set as a whole: that it compiles (formats, facts, operators, stages, parameters,
 * bonus cap, list durations), that band tables cover their facts exactly once, that no rule is
 * unreachable, that each part's rules reach the part's maximum and the parts the declared total.
 */
export function checkRuleSet(source: RuleSetSource): { ruleSet: CompiledRuleSet | null; findings: Finding[] } {
  let ruleSet: CompiledRuleSet;
  try {
    ruleSet = compileRuleSet(source);
  } catch (error) {
    if (!(error instanceof RuleSetInvalidError)) throw error;
    return { ruleSet: null, findings: error.problems.map((p) => ({ severity: 'error', code: 'INVALID', file: p.file, rule: p.rule, message: p.message })) };
  }
  const { manifest } = ruleSet;
  const findings: Finding[] = [];
  const written = (JSON.parse(source.files[MANIFEST_FILE]) as { parameters: { company: Record<string, unknown> } }).parameters.company;
  for (const [key, historic] of Object.entries(HISTORIC_COMPANY_PARAMETERS)) {
    if (written[key] === undefined) {
      findings.push({
        severity: 'warning',
        code: 'PARAMETER_DEFAULTED',
        file: MANIFEST_FILE,
        rule: null,
        message: `未设置 parameters.company.${key}，按早期引擎的做法取 ${String(historic)}：请在规则集中明确写出`,
      });
    }
  }
  for (const rule of Object.values(ruleSet.stages).flat()) {
    const problem = unreachable(rule);
    if (problem) findings.push({ severity: 'error', code: 'UNREACHABLE', file: rule.file, rule: rule.id, message: problem });
  }
  const indicatorFile = manifest.stages.indicators;
  let partsTotal = 0;
  for (const part of manifest.parts) {
    const rules = ruleSet.stages.indicators.filter((r) => r.params.part === part.id);
    const label = `指标“${part.label}”`;
    if (part.combine === 'band') findings.push(...exclusivity(rules, manifest.grades, indicatorFile, label));
    const points = rules.map((r) => maxPoints(r, combinations([r], manifest.grades) ?? []));
    const reach = part.combine === 'band' ? Math.max(0, ...points) : points.reduce((a, b) => a + b, 0);
    if (Math.abs(reach - part.max) > 1e-9) {
      findings.push({
        severity: 'error',
        code: 'POINTS_MISMATCH',
        file: indicatorFile,
        rule: null,
        message: `${label}满分为 ${part.max} 分，但其规则最多给 ${Number(reach.toFixed(4))} 分`,
      });
    }
    partsTotal += part.max;
  }
  if (Math.abs(partsTotal - manifest.totalMax) > 1e-9) {
    findings.push({ severity: 'error', code: 'TOTAL_MISMATCH', file: MANIFEST_FILE, rule: null, message: `各指标满分合计 ${partsTotal} 分，与声明的总分 ${manifest.totalMax} 分不符` });
  }
  findings.push(...exclusivity(ruleSet.stages.grade, manifest.grades, manifest.stages.grade, '信用等级'));
  const stars = ruleSet.stages.stars;
  const starCombos = combinations(stars, manifest.grades);
  if (starCombos) {
    const uncovered = starCombos.find((facts) => !stars.some((r) => r.compiled.evaluate(facts).fired));
    if (uncovered) findings.push({ severity: 'error', code: 'GAP', file: manifest.stages.stars, rule: null, message: `星级存在空档：当 ${describe(uncovered)} 时没有任何星级规则适用` });
  }
  return { ruleSet: findings.some((f) => f.severity === 'error') ? null : ruleSet, findings };
}
