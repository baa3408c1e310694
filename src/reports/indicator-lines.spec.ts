import { aCompanyMetrics, aProjectMetrics } from '../assessment/metrics.factory.js';
import { assess } from '../assessment/scoring.js';
import { parsePeriod } from '../domain/period.js';
import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from '../rules/rule-set.loader.js';
import { companyLines, eventEvidence, partSummaries, projectLines, type EvidenceEvent } from './indicator-lines.js';

const ruleSet = loadRuleSet(readRuleSetDirectory(DEFAULT_RULES_DIR));
const period = parsePeriod('2025')!;

function outcomes(overrides: Parameters<typeof aProjectMetrics>[0] = {}, companyEvents = {}) {
  return assess({ ruleSet, period, projects: [aProjectMetrics(overrides)], companies: [aCompanyMetrics({ events: companyEvents })] });
}

const penalty: EvidenceEvent = {
  eventNo: 'E2025-000010',
  kind: 'administrative_penalty',
  honourLevel: null,
  projectCode: 'XM00000001',
  occurredOn: '2025-04-06',
  source: '市住建局',
  description: '未按规定维护消防设施',
  evidence: '住建罚字〔2025〕第103号',
};

describe('indicator lines of a project', () => {
  it('gives a band part one line with the part id, and every rule of a summed part its own line', () => {
    const { projects } = outcomes({ partyFlags: { six_haves_venue: 1 } });
    const lines = projectLines(7, projects[0], ruleSet);
    const ids = lines.map((l) => l.lineId);
    expect(ids).toContain('7-XM00000001-satisfaction');
    expect(ids).toContain('7-XM00000001-partyBuilding-party-six-haves-flag');
    expect(new Set(ids).size).toBe(ids.length);
    const party = lines.filter((l) => l.section === 'partyBuilding');
    expect(party).toHaveLength(ruleSet.stages.indicators.filter((r) => r.params.part === 'partyBuilding').length);
    expect(party.find((l) => l.rule === 'party-six-haves-flag')).toMatchObject({ points: 0, max: 1 });
    expect(party.find((l) => l.rule === 'party-six-haves-venue')).toMatchObject({ points: 1, max: 1 });
  });

  it('shows the raw value of the indicator with the counts behind it', () => {
    const { projects } = outcomes({ survey: { respondents: 100, answers: 800, positiveAnswers: 720, phoneProxyRespondents: 0 } });
    const satisfaction = projectLines(1, projects[0], ruleSet).find((l) => l.section === 'satisfaction')!;
    expect(satisfaction).toMatchObject({ mainFact: 'satisfactionRate', mainValue: 0.9, points: 27, max: 30, rule: 'satisfaction-ge-90' });
    expect(satisfaction.factsText).toContain('满意率（计分用） 90%');
    expect(satisfaction.factsText).toContain('有效问卷数 100');
    const handling = projectLines(1, projects[0], ruleSet).find((l) => l.section === 'complaintHandling')!;
    expect(handling.mainFact).toBe('resolutionRate');
    const fees = projectLines(1, projects[0], ruleSet).find((l) => l.section === 'feeCollection')!;
    expect(fees.factsText).toContain('物业费收缴率（按户） 95%');
  });

  it('puts deductions with their events as evidence, signed negative', () => {
    const { projects } = outcomes({ events: { administrative_penalty: 1 } });
    const deduction = projectLines(1, projects[0], ruleSet, [penalty]).find((l) => l.section === 'deduction')!;
    expect(deduction).toMatchObject({ lineId: '1-XM00000001-deduction-deduction-administrative-penalty', points: -5 });
    expect(deduction.evidence).toContain('E2025-000010');
    expect(deduction.evidence).toContain('住建罚字〔2025〕第103号');
  });

  it('gives a project that was not assessed one line saying so', () => {
    const { projects } = outcomes({
      survey: { respondents: 0, answers: 0, positiveAnswers: 0, phoneProxyRespondents: 0 },
      fees: { months: 0, householdsBilled: 0, householdsPaid: 0, billedAmount: 0, collectedAmount: 0 },
    });
    const lines = projectLines(1, projects[0], ruleSet);
    expect(lines.map((l) => l.lineId)).toEqual(['1-XM00000001-notAssessed']);
    expect(partSummaries(projects[0], ruleSet).map((s) => s.label)).toEqual(['本期不参评']);
  });

  it('summarises one row per part for the street detail', () => {
    const { projects } = outcomes({ events: { honour: 1, honourByLevel: { city: 1 } } });
    const rows = partSummaries(projects[0], ruleSet);
    expect(rows.map((r) => r.section)).toEqual([...ruleSet.manifest.parts.map((p) => p.id), 'bonus']);
    expect(rows.find((r) => r.section === 'bonus')).toMatchObject({ points: 3, rules: 'bonus-honour-city' });
    const total = rows.reduce((sum, r) => sum + (r.points ?? 0), 0);
    expect(Math.round(total * 100) / 100).toBe(projects[0].total);
  });

  it('lists the company-level lines, with events matched by kind and level', () => {
    const { companies } = outcomes({}, { public_criticism: 1 });
    const criticism: EvidenceEvent = { ...penalty, eventNo: 'E2', kind: 'public_criticism', projectCode: null };
    const lines = companyLines(3, companies[0], ruleSet, [penalty, criticism]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ lineId: '3-91510104100000018J-deduction-deduction-public-criticism', projectCode: null, points: -3 });
    expect(lines[0].evidence).toContain('E2');
    expect(lines[0].evidence).not.toContain('E2025-000010');
    expect(eventEvidence({ honoursCity: 1 }, [{ ...penalty, kind: 'honour', honourLevel: 'district' }], 'XM00000001')).toBe('');
  });
});
