import { parsePeriod } from '../domain/period.js';
import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from '../rules/rule-set.loader.js';
import { aCompanyMetrics, aProjectMetrics } from './metrics.factory.js';
import { lineIdOf, lineKeyOf, scoreLinesOf } from './score-lines.js';
import { assess } from './scoring.js';

const ruleSet = loadRuleSet(readRuleSetDirectory(DEFAULT_RULES_DIR));
const period = parsePeriod('2025')!;

function result(overrides: Parameters<typeof aProjectMetrics>[0] = {}, companyEvents = {}) {
  const outcome = assess({ ruleSet, period, projects: [aProjectMetrics(overrides)], companies: [aCompanyMetrics({ events: companyEvents })] });
  return { company: outcome.companies[0], projects: outcome.projects };
}

describe('score lines', () => {
  it('gives every line of a result as a flat record with a key that names no run', () => {
    const lines = scoreLinesOf(result({ events: { administrative_penalty: 1 } }, { public_criticism: 1 }), ruleSet);
    expect(lines.map((l) => l.key)).toEqual(expect.arrayContaining(['XM00000001-satisfaction', 'XM00000001-deduction-deduction-administrative-penalty']));
    expect(new Set(lines.map((l) => l.key)).size).toBe(lines.length);
    expect(lines[0]).toEqual({
      subject: '91510104100000018J',
      projectCode: null,
      key: '91510104100000018J-deduction-deduction-public-criticism',
      section: 'deduction',
      rule: 'deduction-public-criticism',
      fact: 'publicCriticisms',
      value: 1,
      points: -3,
      max: null,
      facts: { publicCriticisms: 1 },
      notes: [],
    });
    expect(lines.find((l) => l.key === 'XM00000001-satisfaction')).toMatchObject({
      section: 'satisfaction',
      fact: 'satisfactionRate',
      max: 30,
      rule: 'satisfaction-ge-95',
    });
  });

  it('adds up to the project total: capped parts, capped bonus, signed deductions', () => {
    const { projects } = result({ events: { honour: 3, honourByLevel: { city: 2, province: 1 }, safety_incident: 1 } });
    const lines = scoreLinesOf({ company: result().company, projects }, ruleSet).filter((l) => l.projectCode !== null);
    const bonus = lines.filter((l) => l.section === 'bonus');
    expect(bonus[0].notes).toEqual([{ code: 'line.bonusCapped', params: { raw: projects[0].bonus.raw, capped: projects[0].bonus.capped, company: false } }]);
    const parts = lines.filter((l) => l.section !== 'bonus').reduce((sum, l) => sum + Math.round((l.points ?? 0) * 100), 0);
    expect((parts + Math.round(projects[0].bonus.capped * 100)) / 100).toBe(projects[0].total);
  });

  it('gives a project that was not assessed one line with its notes', () => {
    const { projects } = result({
      survey: { respondents: 0, answers: 0, positiveAnswers: 0, phoneProxyRespondents: 0 },
      fees: { months: 0, householdsBilled: 0, householdsPaid: 0, billedAmount: 0, collectedAmount: 0 },
    });
    const lines = scoreLinesOf({ company: result().company, projects }, ruleSet).filter((l) => l.projectCode !== null);
    expect(lines).toEqual([expect.objectContaining({ key: 'XM00000001-notAssessed', points: null, notes: [{ code: 'project.notAssessed', params: {} }] })]);
  });

  it('reads the key of a line id stored with an appeal (the run id and a dash off the front)', () => {
    expect(lineKeyOf('12-XM1-feeCollection', 12)).toBe('XM1-feeCollection');
    expect(lineKeyOf('12-XM1-feeCollection', 1)).toBe('12-XM1-feeCollection');
    expect(lineKeyOf(lineIdOf(7, '91510104100000018J-veto-veto-major-safety-accident'), 7)).toBe('91510104100000018J-veto-veto-major-safety-accident');
  });
});
