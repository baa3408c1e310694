import { Engine } from 'json-rules-engine';
import { engineLeafResults } from '../bench/rules-ratio.js';
import { compileRule, leavesOf, RuleCompileError } from './rule-compiler.js';
import type { ConditionJson, RuleJson } from './rule-json.js';
import { seededRandom } from '../../test/support/seeded-random.js';

const FACTS = new Set(['rate', 'count', 'flag', 'grade', 'limit']);

const random = seededRandom;

describe('compiled rules', () => {
  it('fire, and judge every leaf, exactly as json-rules-engine does (1,000 random rules × facts), on both paths', async () => {
    const next = random(42);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const leaf = (): ConditionJson => {
      const fact = pick(['rate', 'count', 'flag', 'grade']);
      if (fact === 'grade') {
        const operator = pick(['equal', 'notEqual', 'in', 'notIn', 'greaterThan', 'contains']);
        if (operator === 'in' || operator === 'notIn') return { fact, operator, value: pick([['AAA', 'AA'], ['C'], [null, 'C']]) };
        return { fact, operator, value: pick(['AAA', 'C', 'B', null]) };
      }
      if (fact === 'flag') return { fact, operator: pick(['equal', 'notEqual', 'greaterThan', 'lessThanInclusive']), value: pick([true, false, 0, null]) };
      const operator = pick(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'equal', 'notEqual', 'doesNotContain']);
      return { fact, operator, value: next() < 0.2 ? { fact: 'limit' } : pick([0, 0.9, 0.95, 1, 2, 60, '5', null]) };
    };
    const condition = (depth: number): ConditionJson => {
      if (depth > 2 || next() < 0.4) return leaf();
      const kind = pick(['all', 'any', 'not', 'both']);
      if (kind === 'not') return { not: condition(depth + 1) };
      const list = Array.from({ length: Math.floor(next() * 4) }, () => condition(depth + 1));
      // json-rules-engine reads "any" first when a condition has both
      if (kind === 'both') return { all: list, any: [condition(depth + 1)] };
      return kind === 'all' ? { all: list } : { any: list };
    };
    const top = (): ConditionJson => {
      const c = condition(0);
      return 'all' in c || 'any' in c ? c : { all: [c] };
    };

    let fired = 0;
    let leaves = 0;
    const out = new Uint8Array(64);
    for (let i = 0; i < 1000; i++) {
      const rule: RuleJson = { name: `r${i}`, conditions: top(), event: { type: 'hit' } };
      // facts as the scorer gives them: every fact present, null where there is no value
      const facts = {
        rate: pick([null, 0, 0.9, 0.95, 0.9499, 1, Number.NaN, Number.POSITIVE_INFINITY, '0.95', '12abc', true]),
        count: pick([0, 1, 2, 60, 61, '12', '12abc', '', Number.NEGATIVE_INFINITY, false]),
        flag: pick([true, false, null, 0]),
        grade: pick(['AAA', 'AA', 'C', null, '7']),
        limit: pick([0.95, 2, null, '2']),
      };
      const engine = new Engine([structuredClone(rule) as never], { allowUndefinedFacts: true });
      const run = await engine.run(facts);
      const engineResult = [...run.results, ...run.failureResults][0] as unknown as { result: boolean; conditions: never };
      const engineLeaves = engineLeafResults(engineResult.conditions);

      const compiled = compileRule(rule, FACTS);
      const detailed = compiled.evaluate(facts);
      out.fill(7);
      const offset = 3;
      const hot = compiled.evaluateInto(facts, out, offset);
      const bytes = [...out.subarray(offset, offset + compiled.leafCount)].map((b) => b === 1);
      const seen = JSON.stringify({ fired: hot, leaves: bytes });
      const expected = JSON.stringify({ fired: engineResult.result, leaves: engineLeaves });
      if (seen !== expected || JSON.stringify({ fired: detailed.fired, leaves: detailed.conditions.map((c) => c.result) }) !== expected) {
        throw new Error(`rule ${JSON.stringify(rule)} facts ${JSON.stringify(facts)}: engine ${expected}, evaluateInto ${seen}, evaluate ${JSON.stringify(detailed)}`);
      }
      // nothing written outside the rule's own bytes
      expect([...out.subarray(0, offset), ...out.subarray(offset + compiled.leafCount)].every((b) => b === 7)).toBe(true);
      expect(detailed.conditions.map((c) => c.fact)).toEqual(leavesOf(rule.conditions).map((l) => l.fact));
      if (hot) fired++;
      leaves += compiled.leafCount;
    }
    // both outcomes must be well represented for the comparison to mean anything
    expect(fired).toBeGreaterThan(150);
    expect(fired).toBeLessThan(850);
    expect(leaves).toBeGreaterThan(1000);
  });

  it.each([
    ['a number', 12, true],
    ['NaN', Number.NaN, false],
    ['Infinity', Number.POSITIVE_INFINITY, true],
    ['a numeric string', '12', true],
    ['a string that starts with digits', '12abc', false],
    ['a word', 'abc', false],
    ['true', true, false],
    ['null', null, false],
  ])('compares %s with greaterThan as json-rules-engine 7 does', async (_, value, result) => {
    const json: RuleJson = { name: 'gt', conditions: { all: [{ fact: 'count', operator: 'greaterThan', value: 2 }] }, event: { type: 'x' } };
    const { events } = await new Engine([json as never], { allowUndefinedFacts: true }).run({ count: value });
    expect(events.length === 1).toBe(result);
    expect(compileRule(json, FACTS).evaluateInto({ count: value }, new Uint8Array(1), 0)).toBe(result);
  });

  it('holds an empty "any" and an empty "all", as json-rules-engine does', () => {
    expect(compileRule({ name: 'e', conditions: { any: [] }, event: { type: 'x' } }, FACTS).evaluate({}).fired).toBe(true);
    expect(compileRule({ name: 'e', conditions: { all: [] }, event: { type: 'x' } }, FACTS).evaluate({}).fired).toBe(true);
  });

  it('reports its leaf count and the facts its leaves read, each once in leaf order', () => {
    const rule = compileRule(
      {
        name: 'r',
        conditions: {
          all: [
            { fact: 'rate', operator: 'greaterThan', value: { fact: 'limit' } },
            { any: [{ fact: 'count', operator: 'lessThan', value: 2 }, { not: { fact: 'rate', operator: 'equal', value: 1 } }] },
          ],
        },
        event: { type: 'x' },
      },
      FACTS,
    );
    expect(rule.leafCount).toBe(3);
    expect(rule.leafFacts).toEqual(['rate', 'count']);
    expect(rule.facts).toEqual(['rate', 'limit', 'count']);
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
