import { compileRule } from '../rules/rule-compiler.js';
import type { Facts, RuleJson } from '../rules/rule-json.js';
import { measureRuleRatio } from './rules-ratio.js';

const FACTS = new Set(['rate', 'count', 'limit']);
const rule = (name: string, conditions: RuleJson['conditions']) => ({ id: name, compiled: compileRule({ name, conditions, event: { type: 'x' } }, FACTS) });

const rules = [
  rule('band', {
    all: [
      { fact: 'rate', operator: 'greaterThanInclusive', value: 0.9 },
      { fact: 'rate', operator: 'lessThan', value: 0.95 },
    ],
  }),
  rule('either', {
    any: [{ fact: 'count', operator: 'greaterThan', value: 2 }, { not: { fact: 'rate', operator: 'lessThanInclusive', value: { fact: 'limit' } } }],
  }),
  rule('zero', { all: [{ fact: 'count', operator: 'equal', value: 0 }] }),
];
const facts: Facts[] = [
  { rate: 0.9, count: 0, limit: 0.5 },
  { rate: 0.95, count: 3, limit: null },
  { rate: null, count: '12abc', limit: 1 },
  { rate: 0.92, count: Number.NaN, limit: 0.92 },
];
// timing is only exercised here, never judged
const quick = { seconds: 0.01, rounds: 1 };

describe('json-rules-engine against the compiled rules', () => {
  it('compares every rule outcome and leaf condition of every facts object, and finds them equal', async () => {
    const measured = await measureRuleRatio(rules, facts, quick);
    expect(measured).toMatchObject({ rulesCompared: 12, conditionsCompared: 4 * 5, mismatches: 0 });
    expect(measured.firstMismatch).toBeUndefined();
    expect(measured.compiledEvaluationsPerSecond).toBeGreaterThan(0);
    expect(measured.engineEvaluationsPerSecond).toBeGreaterThan(0);
  });

  it('reports a rule that does not do what its JSON says', async () => {
    const honest = rule('zero', { all: [{ fact: 'count', operator: 'equal', value: 0 }] });
    // json-rules-engine runs the JSON, the compiled side the other rule
    const liar = {
      id: 'zero',
      compiled: { ...honest.compiled, json: { ...honest.compiled.json, conditions: { all: [{ fact: 'count', operator: 'notEqual', value: 0 }] } } },
    };
    const measured = await measureRuleRatio([rules[0], liar], facts, { ...quick, parityLimit: 2 });
    expect(measured).toMatchObject({ rulesCompared: 4, conditionsCompared: 6, mismatches: 4 });
    expect(measured.firstMismatch).toEqual({ factsIndex: 0, rule: 'zero', condition: null, engine: false, compiled: true });
  });
});
