import { conditionResult, leavesOf, type RuleResult } from '../rules/rule-compiler.js';
import type { Facts } from '../rules/rule-json.js';
import type { CompiledRuleSet } from '../rules/rule-set.js';

/**
 * A rule's trace as stored: its id, whether it fired, and one 0/1 per leaf condition. What each
 * condition read and expected is recovered from the run's stored rule set and the stored facts.
 */
export type CompactTrace = [rule: string, fired: 0 | 1, results: string][];

export function compactTrace(trace: readonly RuleResult[]): CompactTrace {
  return trace.map((t) => [t.rule, t.fired ? 1 : 0, t.conditions.map((c) => (c.result ? '1' : '0')).join('')]);
}

/** A rule's trace entry from its leaf results as `CompiledRule.evaluateInto` wrote them (one byte per leaf from `offset`). */
export function traceEntry(rule: string, fired: boolean, results: Uint8Array, offset: number, leafCount: number): CompactTrace[number] {
  return [rule, fired ? 1 : 0, resultsText(results, offset, leafCount)];
}

// The "0101…" strings of rules with few leaves (nearly all) are made once and shared.
const SHARED_UP_TO_LEAVES = 10;
const sharedTexts: (string | undefined)[][] = Array.from({ length: SHARED_UP_TO_LEAVES + 1 }, (_, n) => new Array<string | undefined>(1 << n));

function resultsText(results: Uint8Array, offset: number, leafCount: number): string {
  if (leafCount > SHARED_UP_TO_LEAVES) return spelled(results, offset, leafCount);
  let code = 0;
  for (let i = 0; i < leafCount; i++) code = (code << 1) | (results[offset + i] === 0 ? 0 : 1);
  const texts = sharedTexts[leafCount];
  return (texts[code] ??= spelled(results, offset, leafCount));
}

function spelled(results: Uint8Array, offset: number, leafCount: number): string {
  let text = '';
  for (let i = 0; i < leafCount; i++) text += results[offset + i] === 0 ? '0' : '1';
  return text;
}

export function expandTrace(trace: CompactTrace, facts: Facts, ruleSet: CompiledRuleSet): RuleResult[] {
  const rules = new Map(
    Object.values(ruleSet.stages)
      .flat()
      .map((r) => [r.id, r]),
  );
  return trace.map(([ruleId, fired, results]) => {
    const rule = rules.get(ruleId);
    const leaves = rule ? leavesOf(rule.compiled.json.conditions) : [];
    return { rule: ruleId, fired: fired === 1, conditions: leaves.map((leaf, i) => conditionResult(leaf, facts, results[i] === '1')) };
  });
}
