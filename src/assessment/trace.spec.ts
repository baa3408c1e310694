import { leavesOf } from '../rules/rule-compiler.js';
import type { Facts, FactValue } from '../rules/rule-json.js';
import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from '../rules/rule-set.loader.js';
import { STAGES } from '../rules/rule-set.js';
import { Evaluator, scoreFacts } from './scoring.js';
import type { RuleResult } from '../rules/rule-compiler.js';
import { expandTrace, ruleTraceEntries, StageTraceWriter, type CompactTrace } from './trace.js';
import { seededRandom } from '../../test/support/seeded-random.js';

const perRule = (trace: readonly RuleResult[]) => trace.map((t) => [t.rule, t.fired ? 1 : 0, t.conditions.map((c) => (c.result ? '1' : '0')).join('')]);

const ruleSet = loadRuleSet(readRuleSetDirectory(DEFAULT_RULES_DIR));
const allRules = STAGES.flatMap((stage) => ruleSet.stages[stage]);

const random = seededRandom;

/** Every literal a rule set compares a fact with, and a hair either side of the numbers: the band edges. */
function edgesByFact(): Map<string, FactValue[]> {
  const edges = new Map<string, FactValue[]>();
  for (const rule of allRules) {
    for (const leaf of leavesOf(rule.compiled.json.conditions)) {
      const values = edges.get(leaf.fact) ?? [null, 0, 1, true, false];
      if (typeof leaf.value === 'number') values.push(leaf.value, leaf.value - 1e-9, leaf.value + 1e-9);
      else if (typeof leaf.value === 'string' || typeof leaf.value === 'boolean') values.push(leaf.value);
      edges.set(leaf.fact, values);
    }
  }
  return edges;
}

/** Facts that put every fact the rules read on or around one of its edges, differently each time. */
function randomFacts(count: number): Facts[] {
  const next = random(14);
  const edges = edgesByFact();
  const facts = new Set(allRules.flatMap((r) => r.compiled.facts));
  return Array.from({ length: count }, () => {
    const values: Record<string, FactValue> = {};
    for (const fact of facts) {
      const options = edges.get(fact) ?? [null, 0, 0.5, 1, 2, 100];
      values[fact] = options[Math.floor(next() * options.length)];
    }
    return values;
  });
}

describe('compact trace from the allocation-free path', () => {
  const factsList = randomFacts(200);

  it('is the trace the detailed evaluation gives, entry for entry, in every stage', () => {
    const evaluator = new Evaluator(ruleSet);
    let firedCount = 0;
    for (const facts of factsList) {
      for (const stage of STAGES) {
        const trace: CompactTrace = [];
        const fired = evaluator.run(stage, facts, trace);
        const detailed = ruleSet.stages[stage].map((r) => r.compiled.evaluate(facts));
        expect(trace).toHaveLength(1);
        expect(trace[0].startsWith(`${stage}:`)).toBe(true);
        expect(ruleTraceEntries(trace, ruleSet)).toEqual(perRule(detailed));
        expect(fired.map((f) => f.rule.id)).toEqual(detailed.filter((d) => d.fired).map((d) => d.rule));
        // the stored trace expands back to the same detail
        expect(expandTrace(trace, facts, ruleSet)).toEqual(detailed);
        firedCount += fired.length;
      }
    }
    expect(firedCount).toBeGreaterThan(factsList.length);
    expect(evaluator.evaluations).toBe(factsList.length * allRules.length);
  });

  it('shows on a points line the facts its leaf conditions read, as the detailed evaluation gives them', () => {
    const pointsRules = [...ruleSet.stages.indicators, ...ruleSet.stages.adjustments];
    let checked = 0;
    for (const facts of factsList.slice(0, 100)) {
      const score = scoreFacts(facts, ruleSet, new Evaluator(ruleSet), [], 'P');
      const lines = [...score.parts.flatMap((p) => p.lines), ...score.bonus.lines, ...score.deductions.lines];
      for (const line of lines) {
        const rule = pointsRules.find((r) => r.id === line.rule)!.compiled;
        const read: Record<string, FactValue> = {};
        for (const c of rule.evaluate(facts).conditions) read[c.fact] = c.actual;
        expect(JSON.stringify(line.facts)).toBe(JSON.stringify(read));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('spells rules of many leaves as well as of few, each after its fired bit', () => {
    const results = Uint8Array.from([9, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 9]);
    const writer = new StageTraceWriter('grade');
    writer.add(true, results, 1, 12);
    writer.add(false, results, 1, 3);
    writer.add(true, results, 1, 0);
    expect(writer.segment()).toBe('grade:1101100101110' + '0101' + '1');
  });

  it('reads the per-rule traces of older outcomes as they are', () => {
    const facts = factsList[0];
    const detailed = ruleSet.stages.vetoes.map((r) => r.compiled.evaluate(facts));
    const older = perRule(detailed) as [string, 0 | 1, string][];
    expect(ruleTraceEntries(older, ruleSet)).toEqual(older);
    expect(expandTrace(older, facts, ruleSet)).toEqual(detailed);
  });
});
