import { conditionResult, leavesOf, type RuleResult } from '../rules/rule-compiler.js';
import type { Facts } from '../rules/rule-json.js';
import type { CompiledRuleSet, StageId } from '../rules/rule-set.js';

/**
 * A subject's trace as stored: one segment per stage evaluated, in order, `<stage>:<bits>`, where
 * for each rule of the stage, in the rule set's order, one 0/1 says whether it fired and one 0/1
 * per leaf condition follows. Which rule and condition a bit belongs to, and what each condition
 * read and expected, is recovered from the run's stored rule set and the stored facts.
 */
export type CompactTrace = string[];

/** A trace stored by redprop-scoring/2: one `[rule, fired, leaf results]` per rule. */
export type RuleTraceEntry = [rule: string, fired: 0 | 1, results: string];

/** A trace as outcomes hold it: stage segments, or the per-rule entries of older outcomes. */
export type StoredTrace = readonly (string | RuleTraceEntry)[];

/** A stage's segment from each rule's result; `results` holds one byte per leaf of every rule, rule after rule. */
export class StageTraceWriter {
  private text: string;
  constructor(stage: StageId) {
    this.text = `${stage}:`;
  }

  add(fired: boolean, results: Uint8Array, offset: number, leafCount: number): void {
    this.text += fired ? '1' : '0';
    this.text += resultsText(results, offset, leafCount);
  }

  segment(): string {
    return this.text;
  }
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

/** The per-rule form of a trace (what older outcomes stored), read against the run's rule set. */
export function ruleTraceEntries(trace: StoredTrace, ruleSet: CompiledRuleSet): RuleTraceEntry[] {
  const entries: RuleTraceEntry[] = [];
  for (const item of trace) {
    if (typeof item !== 'string') {
      entries.push(item);
      continue;
    }
    const colon = item.indexOf(':');
    const stage = item.slice(0, colon) as StageId;
    let at = colon + 1;
    for (const rule of ruleSet.stages[stage] ?? []) {
      const leafCount = rule.compiled.leafCount;
      entries.push([rule.id, item[at] === '1' ? 1 : 0, item.slice(at + 1, at + 1 + leafCount)]);
      at += 1 + leafCount;
    }
  }
  return entries;
}

export function expandTrace(trace: StoredTrace, facts: Facts, ruleSet: CompiledRuleSet): RuleResult[] {
  const rules = new Map(
    Object.values(ruleSet.stages)
      .flat()
      .map((r) => [r.id, r]),
  );
  return ruleTraceEntries(trace, ruleSet).map(([ruleId, fired, results]) => {
    const rule = rules.get(ruleId);
    const leaves = rule ? leavesOf(rule.compiled.json.conditions) : [];
    return { rule: ruleId, fired: fired === 1, conditions: leaves.map((leaf, i) => conditionResult(leaf, facts, results[i] === '1')) };
  });
}
