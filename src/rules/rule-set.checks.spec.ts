import { checkRuleSet, type Finding } from './rule-set.checks.js';
import { DEFAULT_RULES_DIR, readRuleSetDirectory } from './rule-set.loader.js';

const defaults = readRuleSetDirectory(DEFAULT_RULES_DIR);

/** The default set with one deliberate fault, made by editing one file's JSON. */
function broken(file: string, edit: (json: any) => void): Finding[] {
  const json = JSON.parse(defaults.files[file]);
  edit(json);
  return checkRuleSet({ location: 'broken', files: { ...defaults.files, [file]: JSON.stringify(json) } }).findings;
}
const rule = (json: { rules: { name: string }[] }, name: string) => json.rules.find((r) => r.name === name)! as any;
const summary = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.file}:${f.rule ?? '-'}`);

describe('rules:check', () => {
  it('passes the default set without a finding', () => {
    expect(checkRuleSet(defaults).findings).toEqual([]);
  });

  it('finds a gap in a band table and names the values left uncovered', () => {
    const findings = broken('10-indicators.json', (j) => (rule(j, 'satisfaction-ge-90').conditions.all[0].value = 0.91));
    expect(summary(findings)).toEqual(['GAP:10-indicators.json:-']);
    expect(findings[0].message).toMatch(/指标“群众满意度”存在空档：当 satisfactionRate = 0\.9 时没有任何规则适用/);
  });

  it('finds an overlap', () => {
    const findings = broken('10-indicators.json', (j) => (rule(j, 'feeCollection-ge-90').conditions.all[1].value = 0.96));
    expect(summary(findings)).toEqual(['OVERLAP:10-indicators.json:feeCollection-ge-95, feeCollection-ge-90']);
  });

  it('finds an unknown fact', () => {
    const findings = broken('20-adjustments.json', (j) => (rule(j, 'deduction-finding').conditions.all[0].fact = 'fireLaneFindings'));
    expect(findings).toEqual([{ severity: 'error', code: 'INVALID', file: '20-adjustments.json', rule: 'deduction-finding', message: 'conditions.all[0]: unknown fact "fireLaneFindings"' }]);
  });

  it('finds points that do not reach the part maximum, and parts that do not add up to the total', () => {
    expect(summary(broken('10-indicators.json', (j) => (rule(j, 'party-instructor').event.params.points = 1)))).toEqual(['POINTS_MISMATCH:10-indicators.json:-']);
    expect(summary(broken('ruleset.json', (j) => (j.totalMax = 110)))).toEqual(['TOTAL_MISMATCH:ruleset.json:-']);
  });

  it('finds a bonus without a cap and missing list durations', () => {
    const findings = broken('ruleset.json', (j) => {
      delete j.parameters.projectTotal.bonusCap;
      delete j.parameters.lists.durations.serious;
    });
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('bonus cap'),
      expect.stringContaining('list durations missing'),
    ]);
  });

  it('warns of a company parameter left out and scores as the engine did before it existed', () => {
    const findings = broken('ruleset.json', (j) => {
      delete j.parameters.company.scoreDecimals;
      delete j.parameters.company.vetoTakesProjectStars;
    });
    expect(findings.map((f) => [f.severity, f.code, f.message])).toEqual([
      ['warning', 'PARAMETER_DEFAULTED', expect.stringContaining('parameters.company.scoreDecimals')],
      ['warning', 'PARAMETER_DEFAULTED', expect.stringContaining('parameters.company.vetoTakesProjectStars')],
    ]);
    expect(summary(broken('ruleset.json', (j) => (j.parameters.company.scoreDecimals = 3)))).toEqual(['INVALID:ruleset.json:-']);
  });

  it('finds an unreachable rule', () => {
    const findings = broken('60-grade.json', (j) => rule(j, 'grade-A').conditions.all.push({ fact: 'companyScore', operator: 'greaterThan', value: 90 }));
    expect(summary(findings)).toContain('UNREACHABLE:60-grade.json:grade-A');
    expect(summary(findings)).toContain('GAP:60-grade.json:-');
  });

  it('finds a grade table that leaves scores without a grade', () => {
    expect(summary(broken('60-grade.json', (j) => (j.rules = j.rules.filter((r: { name: string }) => r.name !== 'grade-B-no-bad-record'))))).toEqual(['GAP:60-grade.json:-']);
  });
});
