import { Engine } from 'json-rules-engine';
import { compileRule, RuleCompileError } from './rule-compiler.js';
import type { ConditionJson, RuleJson } from './rule-json.js';

const FACTS = new Set(['rate', 'count', 'flag', 'grade', 'limit']);

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('compiled rules', () => {
  it('fire exactly when json-rules-engine fires them (1,000 random rules × facts)', async () => {
    const next = random(42);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const leaf = (): ConditionJson => {
      const fact = pick(['rate', 'count', 'flag', 'grade']);
      if (fact === 'grade') {
        const operator = pick(['equal', 'notEqual', 'in', 'notIn']);
        return { fact, operator, value: operator.endsWith('n') ? pick([['AAA', 'AA'], ['C']]) : pick(['AAA', 'C']) };
      }
      if (fact === 'flag') return { fact, operator: pick(['equal', 'notEqual', 'greaterThan']), value: pick([true, false, 0]) };
      const operator = pick(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'equal', 'notEqual']);
      return { fact, operator, value: next() < 0.2 ? { fact: 'limit' } : pick([0, 0.9, 0.95, 1, 2, 60]) };
    };
    const condition = (depth: number): ConditionJson => {
      if (depth > 2 || next() < 0.4) return leaf();
      const kind = pick(['all', 'any', 'not']);
      if (kind === 'not') return { not: condition(depth + 1) };
      const list = Array.from({ length: 1 + Math.floor(next() * 3) }, () => condition(depth + 1));
      return kind === 'all' ? { all: list } : { any: list };
    };
    const top = (): ConditionJson => {
      const c = condition(0);
      return 'all' in c || 'any' in c ? c : { all: [c] };
    };

    let fired = 0;
    for (let i = 0; i < 1000; i++) {
      const rule: RuleJson = { name: `r${i}`, conditions: top(), event: { type: 'hit' } };
      const facts = {
        rate: pick([null, 0, 0.9, 0.95, 0.9499, 1]),
        count: pick([0, 1, 2, 60, 61]),
        flag: pick([true, false]),
        grade: pick(['AAA', 'AA', 'C']),
        limit: pick([0.95, 2, null]),
      };
      const engine = new Engine([rule as never], { allowUndefinedFacts: true });
      const { events } = await engine.run(facts);
      const expected = events.length === 1;
      const actual = compileRule(rule, FACTS).evaluate(facts).fired;
      if (actual !== expected) throw new Error(`rule ${JSON.stringify(rule)} facts ${JSON.stringify(facts)}: engine ${expected}, compiled ${actual}`);
      if (actual) fired++;
    }
    // both outcomes must be well represented for the comparison to mean anything
    expect(fired).toBeGreaterThan(150);
    expect(fired).toBeLessThan(850);
  });

  it('records every condition with the value it read', () => {
    const rule = compileRule(
      {
        name: 'satisfaction-27',
        conditions: { all: [{ fact: 'rate', operator: 'greaterThanInclusive', value: 0.9 }, { fact: 'rate', operator: 'lessThan', value: 0.95 }] },
        event: { type: 'points' },
      },
      FACTS,
    );
    expect(rule.evaluate({ rate: 0.96 })).toEqual({
      rule: 'satisfaction-27',
      fired: false,
      conditions: [
        { fact: 'rate', operator: 'greaterThanInclusive', expected: 0.9, actual: 0.96, result: true },
        { fact: 'rate', operator: 'lessThan', expected: 0.95, actual: 0.96, result: false },
      ],
    });
  });

  it('treats a missing number as not comparable, like json-rules-engine', () => {
    const rule = compileRule({ name: 'low', conditions: { all: [{ fact: 'rate', operator: 'lessThanInclusive', value: 1 }] }, event: { type: 'x' } }, FACTS);
    expect(rule.evaluate({ rate: null }).fired).toBe(false);
  });

  it.each([
    [{ all: [{ fact: 'nope', operator: 'equal', value: 1 }] }, 'unknown fact "nope"'],
    [{ all: [{ fact: 'rate', operator: 'approximately', value: 1 }] }, 'unknown operator "approximately"'],
    [{ all: [{ fact: 'rate', operator: 'equal', value: { fact: 'ghost' } }] }, 'unknown fact "ghost"'],
    [{ all: [{ fact: 'grade', operator: 'in', value: 'AAA' }] }, 'needs an array'],
    ['rate >= 1', 'must be an object'],
  ])('refuses %j naming the rule', (conditions, problem) => {
    expect(() => compileRule({ name: 'bad-rule', conditions: conditions as never, event: { type: 'x' } }, FACTS)).toThrow(RuleCompileError);
    expect(() => compileRule({ name: 'bad-rule', conditions: conditions as never, event: { type: 'x' } }, FACTS)).toThrow(
      new RegExp(`rule "bad-rule": .*${problem}`),
    );
  });
});
