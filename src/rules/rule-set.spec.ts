import { DEFAULT_RULES_DIR, readRuleSetDirectory } from './rule-set.loader.js';
import { compileRuleSet, RuleSetInvalidError, type RuleSetProblem } from './rule-set.js';

const defaults = readRuleSetDirectory(DEFAULT_RULES_DIR);

function problemsOf(edit: (files: Record<string, string>) => void): RuleSetProblem[] {
  const files = { ...defaults.files };
  edit(files);
  try {
    compileRuleSet({ location: 'test', files });
  } catch (error) {
    if (error instanceof RuleSetInvalidError) return error.problems;
    throw error;
  }
  throw new Error('the rule set was accepted');
}
const json = (files: Record<string, string>, name: string) => JSON.parse(files[name]);

describe('rule set loading', () => {
  it('accepts the default set with every stage', () => {
    const ruleSet = compileRuleSet(defaults);
    expect(Object.fromEntries(Object.entries(ruleSet.stages).map(([stage, rules]) => [stage, rules.length]))).toEqual({
      indicators: 34,
      adjustments: 9,
      vetoes: 4,
      stars: 5,
      company: 0,
      grade: 6,
      lists: 4,
    });
  });

  it('names the file with malformed JSON', () => {
    expect(problemsOf((f) => (f['40-stars.json'] = '{ "stage": "stars", "rules": [ }'))).toEqual([
      { file: '40-stars.json', rule: null, message: expect.stringContaining('malformed JSON') },
    ]);
  });

  it('refuses a missing stage and a missing parameter', () => {
    const problems = problemsOf((f) => {
      const manifest = json(f, 'ruleset.json');
      delete manifest.stages.vetoes;
      delete manifest.parameters.lists.durations.safety;
      f['ruleset.json'] = JSON.stringify(manifest);
    });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('lists.durations.safety'),
      'stage "vetoes" is missing from "stages"',
    ]);
  });

  it('reports every faulty rule with its file and name at once', () => {
    const problems = problemsOf((f) => {
      const grade = json(f, '60-grade.json');
      grade.rules[0].event.params.grade = 'AAAA';
      grade.rules[1].conditions.all[0].operator = 'atLeast';
      f['60-grade.json'] = JSON.stringify(grade);
      const stars = json(f, '40-stars.json');
      stars.rules[0].event.type = 'points';
      f['40-stars.json'] = JSON.stringify(stars);
    });
    expect(problems).toEqual([
      { file: '40-stars.json', rule: 'stars-5', message: expect.stringContaining('event type "points" does not belong in stage "stars"') },
      { file: '60-grade.json', rule: 'grade-AAA', message: 'event.params.grade "AAAA" is not a declared grade' },
      { file: '60-grade.json', rule: 'grade-AA', message: 'conditions.all[0]: unknown operator "atLeast"' },
    ]);
  });

  it('requires the clause a rule applies', () => {
    const problems = problemsOf((f) => {
      const lists = json(f, '70-lists.json');
      delete lists.rules[0].event.params.clause;
      f['70-lists.json'] = JSON.stringify(lists);
    });
    expect(problems).toEqual([{ file: '70-lists.json', rule: 'red-list', message: expect.stringContaining('clause') }]);
  });
});
