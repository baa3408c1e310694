import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory, readRuleTestFiles } from './rule-set.loader.js';
import { compileRuleSet } from './rule-set.js';
import { runRuleTests } from './rule-tests.js';

const source = readRuleSetDirectory(DEFAULT_RULES_DIR);
const tests = readRuleTestFiles(DEFAULT_RULES_DIR);

describe('the default rule set against its own test cases', () => {
  const results = runRuleTests(loadRuleSet(source), tests);

  it('ships cases for every band edge and every veto', () => {
    expect(Object.keys(tests)).toEqual(['bands.json', 'grades-and-lists.json', 'vetoes.json']);
    expect(results.length).toBeGreaterThanOrEqual(85);
  });

  it.each(results.map((r) => [`${r.file} · ${r.name}`, r.failures]))('%s', (_name, failures) => {
    expect(failures).toEqual([]);
  });

  it('fails a named case when one band of a copy changes', () => {
    const indicators = JSON.parse(source.files['10-indicators.json']);
    const band = indicators.rules.find((r: { name: string }) => r.name === 'feeCollection-ge-90');
    band.event.params.points = 11;
    const copy = compileRuleSet({ location: 'copy', files: { ...source.files, '10-indicators.json': JSON.stringify(indicators) } });
    const failed = runRuleTests(copy, tests).filter((r) => r.failures.length > 0);
    expect(failed.map((r) => r.name)).toEqual(['收缴率（按户） 94.99% → 12 分', '收缴率（按户） 90% → 12 分']);
    expect(failed[0].failures).toEqual(['指标 feeCollection 得分：期望 12，实际 11', '项目总分：期望 97，实际 96']);
  });
});
