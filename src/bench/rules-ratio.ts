import { Engine } from 'json-rules-engine';
import type { Facts } from '../rules/rule-json.js';
import type { StageRule } from '../rules/rule-set.js';

export interface RuleRatioOptions {
  /** seconds each side is timed per round (default 1) */
  seconds?: number;
  /** rounds, alternating the two sides; each side's median is reported (default 3) */
  rounds?: number;
  /** check parity on at most this many facts objects, from the start of the list (default: all) */
  parityLimit?: number;
}

/** The first disagreement found: on whether the rule fired (`condition` null) or on one leaf condition. */
export interface RuleMismatch {
  factsIndex: number;
  rule: string;
  /** the leaf's index in rule order, or null for the rule's outcome */
  condition: number | null;
  /** null when json-rules-engine did not evaluate the condition */
  engine: boolean | null;
  compiled: boolean;
}

export interface RuleRatio {
  compiledEvaluationsPerSecond: number;
  engineEvaluationsPerSecond: number;
  /** compiled ÷ engine */
  ratio: number;
  /** facts objects × rules whose outcome was compared */
  rulesCompared: number;
  /** leaf conditions whose result was compared */
  conditionsCompared: number;
  /** rule outcomes and leaf results that differ */
  mismatches: number;
  firstMismatch?: RuleMismatch;
}

type MeasuredRule = Pick<StageRule, 'id' | 'compiled'>;

/**
 * json-rules-engine and the compiled rules side by side in one process over the same facts.
 * One evaluation is one facts object through all the given rules: json-rules-engine's
 * `run` (as the engine is configured here: `allowUndefinedFacts`), the compiled rules'
 * allocation-free `evaluateInto` (what scoring runs). Parity compares, for every facts object
 * and rule, whether it fired and every leaf condition's result.
 */
export async function measureRuleRatio(rules: readonly MeasuredRule[], facts: readonly Facts[], options: RuleRatioOptions = {}): Promise<RuleRatio> {
  const seconds = options.seconds ?? 1;
  const rounds = options.rounds ?? 3;
  if (facts.length === 0 || rules.length === 0) throw new Error('measureRuleRatio needs rules and facts');
  // Rules are named by position for the engine: names are unique per stage only.
  const engine = new Engine(
    rules.map((r, i) => ({ ...(structuredClone(r.compiled.json) as object), name: String(i) }) as never),
    { allowUndefinedFacts: true },
  );
  const results = new Uint8Array(Math.max(1, ...rules.map((r) => r.compiled.leafCount)));

  const parity = { rulesCompared: 0, conditionsCompared: 0, mismatches: 0, firstMismatch: undefined as RuleMismatch | undefined };
  const checked = Math.min(facts.length, options.parityLimit ?? facts.length);
  for (let factsIndex = 0; factsIndex < checked; factsIndex++) {
    const run = await engine.run(facts[factsIndex] as never);
    const byIndex = new Map<number, EngineRuleResult>();
    for (const result of [...run.results, ...run.failureResults] as unknown as EngineRuleResult[]) byIndex.set(Number(result.name), result);
    rules.forEach((rule, i) => {
      const engineResult = byIndex.get(i);
      const fired = rule.compiled.evaluateInto(facts[factsIndex], results, 0);
      const differ = (condition: number | null, engineValue: boolean | null, compiled: boolean) => {
        parity.mismatches++;
        parity.firstMismatch ??= { factsIndex, rule: rule.id, condition, engine: engineValue, compiled };
      };
      parity.rulesCompared++;
      if (engineResult?.result !== fired) differ(null, engineResult?.result ?? null, fired);
      const engineLeaves = engineResult ? engineLeafResults(engineResult.conditions) : [];
      for (let leaf = 0; leaf < rule.compiled.leafCount; leaf++) {
        parity.conditionsCompared++;
        const compiled = results[leaf] === 1;
        const engineValue = engineLeaves[leaf] ?? null;
        if (engineValue !== compiled) differ(leaf, engineValue, compiled);
      }
      if (engineLeaves.length > rule.compiled.leafCount) differ(rule.compiled.leafCount, engineLeaves[rule.compiled.leafCount], false);
    });
  }

  const compiledRates: number[] = [];
  const engineRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    compiledRates.push(timeCompiled(rules, facts, results, seconds));
    engineRates.push(await timeEngine(engine, facts, seconds));
  }
  const compiledEvaluationsPerSecond = median(compiledRates);
  const engineEvaluationsPerSecond = median(engineRates);
  return {
    compiledEvaluationsPerSecond,
    engineEvaluationsPerSecond,
    ratio: compiledEvaluationsPerSecond / engineEvaluationsPerSecond,
    rulesCompared: parity.rulesCompared,
    conditionsCompared: parity.conditionsCompared,
    mismatches: parity.mismatches,
    ...(parity.firstMismatch ? { firstMismatch: parity.firstMismatch } : {}),
  };
}

/** What json-rules-engine 7 reports of a rule: its outcome and its condition tree, leaves carrying `result`. */
interface EngineRuleResult {
  name: string;
  result: boolean;
  conditions: EngineCondition;
}
type EngineCondition = { any?: EngineCondition[]; all?: EngineCondition[]; not?: EngineCondition; result?: boolean };

/** A rule's leaf results in rule order (null where the engine did not evaluate one), with json-rules-engine's precedence any, all, not. */
export function engineLeafResults(condition: EngineCondition): (boolean | null)[] {
  if (Object.hasOwn(condition, 'any')) return condition.any!.flatMap(engineLeafResults);
  if (Object.hasOwn(condition, 'all')) return condition.all!.flatMap(engineLeafResults);
  if (Object.hasOwn(condition, 'not')) return engineLeafResults(condition.not!);
  return [typeof condition.result === 'boolean' ? condition.result : null];
}

function timeCompiled(rules: readonly MeasuredRule[], facts: readonly Facts[], results: Uint8Array, seconds: number): number {
  const started = performance.now();
  const until = started + seconds * 1000;
  let evaluations = 0;
  for (;;) {
    for (const f of facts) {
      for (const rule of rules) rule.compiled.evaluateInto(f, results, 0);
      evaluations++;
      // the clock is read every 64 evaluations: reading it costs about one evaluation
      if ((evaluations & 63) === 0 && performance.now() >= until) return evaluations / ((performance.now() - started) / 1000);
    }
    if (performance.now() >= until) return evaluations / ((performance.now() - started) / 1000);
  }
}

async function timeEngine(engine: Engine, facts: readonly Facts[], seconds: number): Promise<number> {
  const started = performance.now();
  const until = started + seconds * 1000;
  let evaluations = 0;
  do {
    await engine.run(facts[evaluations % facts.length] as never);
    evaluations++;
  } while (performance.now() < until);
  return evaluations / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
