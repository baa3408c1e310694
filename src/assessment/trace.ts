import { leavesOf, type ConditionResult, type RuleResult } from '../rules/rule-compiler.js';
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

export function expandTrace(trace: CompactTrace, facts: Facts, ruleSet: CompiledRuleSet): RuleResult[] {
  const rules = new Map(
    Object.values(ruleSet.stages)
      .flat()
      .map((r) => [r.id, r]),
  );
  return trace.map(([ruleId, fired, results]) => {
    const rule = rules.get(ruleId);
    const leaves = rule ? leavesOf(rule.compiled.json.conditions) : [];
    const conditions: ConditionResult[] = leaves.map((leaf, i) => {
      const ref = leaf.value !== null && typeof leaf.value === 'object' && !Array.isArray(leaf.value) ? (leaf.value as { fact: string }).fact : null;
      return {
        fact: leaf.fact,
        operator: leaf.operator as ConditionResult['operator'],
        expected: ref ? { fact: ref, value: facts[ref] ?? null } : leaf.value,
        actual: facts[leaf.fact] ?? null,
        result: results[i] === '1',
      };
    });
    return { rule: ruleId, fired: fired === 1, conditions };
  });
}
