import { parsePeriod } from '../domain/period.js';
import { DomainError } from '../domain/errors.js';
import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from '../rules/rule-set.loader.js';
import type { CompanyMetrics, ProjectMetrics } from '../assessment/metrics.js';
import { aCompanyMetrics, aProjectMetrics } from '../assessment/metrics.factory.js';
import { assess, type CompanyOutcome, type ProjectOutcome } from '../assessment/scoring.js';
import { correctionValueText, noteText } from '../reports/note-text.js';
import type { Note } from '../assessment/notes.js';
import { reviseCompany, type FactCorrection, type RevisionOutcome } from './revision.js';
import { ruleTraceEntries } from '../assessment/trace.js';

const ruleSet = loadRuleSet(readRuleSetDirectory(DEFAULT_RULES_DIR));
const year = parsePeriod('2025')!;

interface Current {
  company: CompanyOutcome;
  projects: ProjectOutcome[];
}

/** A published result as read back from the store (JSON round trip). */
function published(projects: ProjectMetrics[], company: CompanyMetrics = aCompanyMetrics()): Current {
  const outcome = assess({ ruleSet, period: year, projects, companies: [company] });
  return JSON.parse(JSON.stringify({ company: outcome.companies[0], projects: outcome.projects })) as Current;
}
function revise(current: Current, corrections: FactCorrection[], revision = 1): RevisionOutcome {
  return reviseCompany({ ruleSet, company: current.company, projects: current.projects, corrections, revision });
}
const withoutNotes = <T extends { notes: unknown[] }>(outcome: T): Omit<T, 'notes'> => {
  const { notes: _notes, ...rest } = outcome;
  return rest;
};
const fees = (paid: number) => ({ fees: { months: 12, householdsBilled: 10000, householdsPaid: paid, billedAmount: 1, collectedAmount: 1 } });
const survey = (positiveAnswers: number, answers = 800) => ({ survey: { respondents: 100, answers, positiveAnswers, phoneProxyRespondents: 0 } });
const feeLine = (code: string): FactCorrection['lineId'] => `12-${code}-feeCollection`;

describe('revising a company result from stored facts', () => {
  // A: 85 (fee 82 % → 6 of 15 points, three findings −6), B: 80 (two safety incidents).
  const a = (overrides: Partial<ProjectMetrics> = {}) =>
    aProjectMetrics({ projectId: 1, projectCode: 'XM1', ...fees(8200), events: { finding: 3 }, ...overrides });
  const b = aProjectMetrics({ projectId: 2, projectCode: 'XM2', events: { safety_incident: 2 } });

  it('re-scores a project whose fee rate is corrected: part, total, stars, weighted score, grade and lists', () => {
    const current = published([a(), b]);
    expect(current.projects[0]).toMatchObject({ total: 85, stars: 4 });
    expect(current.company).toMatchObject({ weightedScore: 82.5, grade: 'AA', lists: [] });

    const revised = revise(current, [{ projectCode: 'XM1', fact: 'feeCollectionRateByHousehold', value: 0.96, lineId: feeLine('XM1') }], 2);
    const [project] = revised.projects;
    expect(project.parts.find((p) => p.part === 'feeCollection')!.points).toBe(15);
    expect(project).toMatchObject({ total: 94, stars: 5, starsRule: 'stars-5' });
    expect(revised.company).toMatchObject({ weightedScore: 87, score: 87, grade: 'AAA' });
    expect(revised.company.lists.map((l) => l.list)).toEqual(['red']);
    expect(revised.changedProjectCodes).toEqual(['XM1']);
    expect(noteText(project.notes.at(-1)!)).toBe('第 2 次修订：申诉成立（行号 12-XM1-feeCollection），“物业费收缴率（按户）”由 82.00% 更正为 96.00%');
    // the company's note names no project: a street office reads the company, not its projects elsewhere
    // nor do its parameters
    expect(JSON.stringify(revised.company.notes.at(-1))).not.toContain('XM1');
    expect(noteText(revised.company.notes.at(-1)!)).toBe('第 2 次修订：申诉成立，所属项目“物业费收缴率（按户）”由 82.00% 更正为 96.00%（详见该项目说明）');
    expect(revised.ruleEvaluations).toBeGreaterThan(0);

    // exactly what assessing corrected data gives
    const reassessed = published([a(fees(9600)), b]);
    expect(revised.projects.map(withoutNotes)).toEqual(reassessed.projects.map(withoutNotes));
    expect(withoutNotes(revised.company)).toEqual(withoutNotes(reassessed.company));
    expect(revised.projects[1]).toEqual(current.projects[1]);
  });

  it('is deterministic and leaves its input as it was', () => {
    const current = published([a(), b]);
    const copy = JSON.stringify(current);
    const corrections = [{ projectCode: 'XM1', fact: 'feeCollectionRateByHousehold', value: 0.96, lineId: feeLine('XM1') }];
    expect(JSON.stringify(revise(current, corrections))).toBe(JSON.stringify(revise(current, corrections)));
    expect(JSON.stringify(current)).toBe(copy);
  });

  it('removes a deduction and a bad record when an event count is corrected to 0: grade C becomes B, off the black list', () => {
    const current = published(
      [aProjectMetrics({ events: { safety_incident: 4, finding: 1 } })],
      aCompanyMetrics({ eventsInRecordWindow: { safety_incident: 4, finding: 1 } }),
    );
    expect(current.company).toMatchObject({ score: 58, badRecords: 5, grade: 'C' });
    expect(current.company.lists.map((l) => l.rule)).toEqual(['black-list-grade-c']);

    const stillBad = revise(current, [{ projectCode: 'XM00000001', fact: 'findings', value: 0, lineId: '12-XM00000001-deduction-deduction-finding' }]);
    expect(stillBad.projects[0].deductions.lines.map((l) => l.rule)).toEqual(['deduction-safety-incident']);
    expect(stillBad.company).toMatchObject({ score: 60, badRecords: 4, grade: 'B', lists: [] });

    const clean = published([aProjectMetrics({ events: { safety_incident: 4, finding: 1 } })], aCompanyMetrics({ eventsInRecordWindow: { finding: 1 } }));
    expect(clean.company).toMatchObject({ score: 58, badRecords: 1, grade: 'C' });
    const revised = revise(clean, [{ projectCode: 'XM00000001', fact: 'findings', value: 0, lineId: 'l1' }]);
    expect(revised.company).toMatchObject({ score: 60, badRecords: 0, grade: 'B', lists: [] });
    expect(revised.company.facts).toMatchObject({ badRecords: 0, grade: 'B' });
  });

  it('never counts fewer than 0 bad records', () => {
    const current = published([aProjectMetrics({ events: { finding: 2 } })]);
    expect(current.company.badRecords).toBe(0);
    expect(revise(current, [{ projectCode: 'XM00000001', fact: 'findings', value: 0, lineId: 'l1' }]).company.badRecords).toBe(0);
  });

  it('lifts a company-level veto: grade recomputed, project stars restored', () => {
    const current = published([a(), b], aCompanyMetrics({ events: { major_safety_accident: 1 }, eventsInRecordWindow: { major_safety_accident: 1 } }));
    expect(current.company).toMatchObject({ grade: 'C', badRecords: 1 });
    expect(current.projects.map((p) => p.stars)).toEqual([0, 0]);
    expect(current.company.lists.map((l) => l.rule)).toEqual(['black-list-grade-c', 'black-list-veto']);

    const revised = revise(current, [
      { projectCode: null, fact: 'majorSafetyAccidents', value: 0, lineId: '12-91510104100000018J-veto-veto-major-safety-accident' },
    ]);
    expect(revised.company).toMatchObject({ vetoes: [], grade: 'AA', badRecords: 0, lists: [] });
    expect(revised.company.facts).toMatchObject({ majorSafetyAccidents: 0, vetoed: false });
    expect(revised.projects.map((p) => [p.stars, p.starsRule])).toEqual([
      [4, 'stars-4'],
      [4, 'stars-4'],
    ]);
    expect(revised.changedProjectCodes).toEqual(['XM1', 'XM2']);
    expect(revised.projects[0].notes.some((n) => n.code === 'veto.companyNoStars')).toBe(false);
    expect(noteText(revised.projects[0].notes.at(-1)!)).toBe(
      '第 1 次修订：申诉成立（行号 12-91510104100000018J-veto-veto-major-safety-accident），企业“重大安全责任事故”由 1 更正为 0',
    );
  });

  it('revises an outcome stored by redprop-scoring/2 (notes as sentences): its star notes are written afresh, earlier revisions kept last', () => {
    const coded = published([a(), b], aCompanyMetrics({ events: { major_safety_accident: 1 }, eventsInRecordWindow: { major_safety_accident: 1 } }));
    const sentences = <T extends { notes: Note[] }>(o: T): Omit<T, 'notes'> & { notes: string[] } => ({ ...o, notes: o.notes.map(noteText) });
    const earlier = '第 1 次修订：申诉成立（行号 l0），“违规查处次数”由 4 更正为 3';
    const stored = { company: sentences(coded.company), projects: coded.projects.map((p) => ({ ...sentences(p), notes: [...sentences(p).notes, earlier] })) };
    expect(stored.projects[0].notes).toContain('企业一票否决（发生重大安全责任事故），不评星');

    const revised = reviseCompany({
      ruleSet,
      ...stored,
      corrections: [{ projectCode: null, fact: 'majorSafetyAccidents', value: 0, lineId: 'l1' }],
      revision: 2,
    });
    const texts = revised.projects[0].notes.map(noteText);
    expect(texts).not.toContain('企业一票否决（发生重大安全责任事故），不评星');
    expect(texts.slice(-2)).toEqual([earlier, '第 2 次修订：申诉成立（行号 l1），企业“重大安全责任事故”由 1 更正为 0']);
    expect(revised.projects.map((p) => p.stars)).toEqual([4, 4]);
  });

  it('revises only the corrected project of an outcome stored by redprop-scoring/2 (per-rule traces, clauses on lines, sentences)', () => {
    const coded = published([a(), b]);
    const clauses = new Map(Object.values(ruleSet.stages).flatMap((rules) => rules.map((r) => [r.id, r.clause] as const)));
    const withClauses = <T extends { rule: string }>(lines: T[]) => lines.map((l) => ({ ...l, clause: clauses.get(l.rule) }));
    const legacy = (p: ProjectOutcome) => ({
      ...p,
      notes: p.notes.map(noteText),
      trace: ruleTraceEntries(p.trace, ruleSet),
      parts: p.parts.map((part) => ({ ...part, lines: withClauses(part.lines) })),
      bonus: { ...p.bonus, lines: withClauses(p.bonus.lines) },
      deductions: { ...p.deductions, lines: withClauses(p.deductions.lines) },
    });
    const revised = reviseCompany({
      ruleSet,
      company: { ...coded.company, notes: coded.company.notes.map(noteText), trace: ruleTraceEntries(coded.company.trace, ruleSet) },
      projects: coded.projects.map(legacy),
      corrections: [{ projectCode: 'XM1', fact: 'feeCollectionRateByHousehold', value: 0.96, lineId: feeLine('XM1') }],
      revision: 1,
    });
    expect(revised.changedProjectCodes).toEqual(['XM1']);
  });

  it('puts a company veto back when a company-level event is corrected upwards', () => {
    const current = published([a(), b]);
    const revised = revise(current, [{ projectCode: null, fact: 'seriousDishonesties', value: 1, lineId: 'l1' }]);
    expect(revised.company).toMatchObject({ grade: 'C', badRecords: 1 });
    expect(revised.projects.map((p) => p.stars)).toEqual([0, 0]);
    expect(revised.projects[0].notes.map(noteText)).toContain('企业一票否决（存在严重失信行为），不评星');
  });

  it('refuses a fact the subject does not have, a project not of the company and an invalid value', () => {
    const current = published([a(), b]);
    const attempt = (c: Partial<FactCorrection>) => () =>
      revise(current, [{ projectCode: 'XM1', fact: 'feeCollectionRateByHousehold', value: 0.9, lineId: 'l1', ...c }]);
    expect(attempt({ fact: 'noSuchFact' })).toThrow(expect.objectContaining({ code: 'CORRECTION_FACT_UNKNOWN', category: 'bad_input' }));
    expect(attempt({ projectCode: 'XM404' })).toThrow(expect.objectContaining({ code: 'CORRECTION_FACT_UNKNOWN' }));
    expect(attempt({ projectCode: null })).toThrow(expect.objectContaining({ code: 'CORRECTION_FACT_UNKNOWN' }));
    expect(attempt({ value: 1.2 })).toThrow(expect.objectContaining({ code: 'CORRECTION_VALUE_INVALID' }));
    expect(attempt({ fact: 'findings', value: -1 })).toThrow(expect.objectContaining({ code: 'CORRECTION_VALUE_INVALID' }));
    try {
      attempt({ fact: 'noSuchFact' })();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).messageZh).toBe('项目 XM1 没有可更正的指标“noSuchFact”（行号 l1）');
    }
  });

  it('puts a corrected satisfaction rate of a too small sample through the Wilson bound, as the measurement does', () => {
    const tiny = { survey: { respondents: 8, answers: 64, positiveAnswers: 40, phoneProxyRespondents: 0 } };
    const current = published([a(tiny)]);
    expect(current.projects[0].facts.smallSample).toBe(true);
    const revised = revise(current, [{ projectCode: 'XM1', fact: 'satisfactionRate', value: 1, lineId: '12-XM1-satisfaction' }]);
    const facts = revised.projects[0].facts;
    expect(facts.satisfactionRawRate).toBe(1);
    expect(facts.satisfactionRate).toBeLessThan(0.7);
    expect(facts.satisfactionRate).toBe(facts.satisfactionWilsonBound);
    // exactly what measuring 8 respondents who all answered positively gives
    const measured = published([a({ survey: { respondents: 8, answers: 64, positiveAnswers: 64, phoneProxyRespondents: 0 } })]);
    expect(facts.satisfactionRate).toBe(measured.projects[0].facts.satisfactionRate);
  });

  it('accumulates corrections over revisions', () => {
    const current = published([a(), b]);
    const first = revise(current, [{ projectCode: 'XM1', fact: 'feeCollectionRateByHousehold', value: 0.96, lineId: 'l1' }], 1);
    const stored = JSON.parse(JSON.stringify({ company: first.company, projects: first.projects })) as Current;
    const second = revise(stored, [{ projectCode: 'XM1', fact: 'findings', value: 0, lineId: 'l2' }], 2);
    expect(second.projects[0]).toMatchObject({ total: 100, stars: 5 });
    expect(second.changedProjectCodes).toEqual(['XM1']);

    const reassessed = published([a({ ...fees(9600), events: {} }), b]);
    expect(second.projects.map(withoutNotes)).toEqual(reassessed.projects.map(withoutNotes));
    expect(withoutNotes(second.company)).toEqual(withoutNotes(reassessed.company));
    expect(second.projects[0].notes.filter((n) => n.code === 'revision').map(noteText)).toEqual([
      '第 1 次修订：申诉成立（行号 l1），“物业费收缴率（按户）”由 82.00% 更正为 96.00%',
      '第 2 次修订：申诉成立（行号 l2），“违规查处次数”由 3 更正为 0',
    ]);
    expect(second.company.notes.filter((n) => n.code === 'revision')).toHaveLength(2);
  });

  it('keeps a project that was not assessed unassessed, but re-runs its vetoes', () => {
    const unassessed = aProjectMetrics({
      projectId: 3,
      projectCode: 'XM3',
      survey: { respondents: 0, answers: 0, positiveAnswers: 0, phoneProxyRespondents: 0 },
      fees: { months: 0, householdsBilled: 0, householdsPaid: 0, billedAmount: 0, collectedAmount: 0 },
    });
    const current = published([a(), unassessed]);
    const revised = revise(current, [{ projectCode: 'XM3', fact: 'feeCollectionRateByHousehold', value: 0.99, lineId: 'l1' }]);
    expect(revised.projects[1]).toMatchObject({ assessed: false, total: null, stars: null, parts: [] });
    expect(revised.company).toMatchObject({ assessedProjects: 1, notAssessedProjects: 1, weightedScore: 85 });

    const vetoed = revise(current, [{ projectCode: 'XM3', fact: 'maintenanceFundMisuses', value: 1, lineId: 'l2' }]);
    expect(vetoed.projects[1]).toMatchObject({
      assessed: false,
      vetoes: [expect.objectContaining({ rule: 'veto-maintenance-fund-misuse', projectCode: 'XM3' })],
    });
    expect(vetoed.company.grade).toBe('C');
    expect(vetoed.company.badRecords).toBe(1);
  });

  describe('company satisfaction rate', () => {
    // A 95 % of 800 answers, B 80 % of 800: 87.5 % together, short of the red list's 90 %.
    const projects = [aProjectMetrics({ projectId: 1, projectCode: 'XM1' }), aProjectMetrics({ projectId: 2, projectCode: 'XM2', ...survey(640) })];

    it('counts a corrected project rate × its answers', () => {
      const current = published(projects);
      expect(current.company).toMatchObject({ satisfactionRate: 0.875, grade: 'AAA', lists: [] });
      const revised = revise(current, [{ projectCode: 'XM2', fact: 'satisfactionRate', value: 0.9, lineId: 'l1' }]);
      expect(revised.company.satisfactionRate).toBeCloseTo(0.925, 12);
      expect(revised.company.facts.companySatisfactionRate).toBe(revised.company.satisfactionRate);
      expect(revised.company.lists.map((l) => l.list)).toEqual(['red']);

      // an earlier correction still counts when a later revision corrects something else
      const stored = JSON.parse(JSON.stringify({ company: revised.company, projects: revised.projects })) as Current;
      const again = revise(stored, [{ projectCode: 'XM1', fact: 'findings', value: 0, lineId: 'l2' }], 2);
      expect(again.company.satisfactionRate).toBe(revised.company.satisfactionRate);
    });

    it('prefers a corrected raw rate to the scored rate', () => {
      const current = published(projects);
      const revised = revise(current, [
        { projectCode: 'XM2', fact: 'satisfactionRate', value: 0.9, lineId: 'l1' },
        { projectCode: 'XM2', fact: 'satisfactionRawRate', value: 0.85, lineId: 'l1' },
      ]);
      expect(revised.company.satisfactionRate).toBeCloseTo((760 + 680) / 1600, 12);
    });

    it('keeps the stored rate for results stored without answer counts', () => {
      const current = published(projects);
      for (const p of current.projects) {
        const { surveyAnswers: _answers, surveyPositiveAnswers: _positive, ...older } = p.facts;
        p.facts = older;
      }
      const revised = revise(current, [{ projectCode: 'XM2', fact: 'satisfactionRate', value: 0.9, lineId: 'l1' }]);
      expect(revised.company.satisfactionRate).toBe(0.875);
    });
  });

  it('writes corrected rates with at least two decimals', () => {
    expect(correctionValueText('feeCollectionRateByHousehold', 0.82)).toBe('82.00%');
    expect(correctionValueText('feeCollectionRateByHousehold', 0.82345)).toBe('82.345%');
    expect(correctionValueText('findings', 2)).toBe('2');
    expect(correctionValueText('hasPartyBranch', true)).toBe('是');
    expect(correctionValueText('threePartyMean', null)).toBe('无数据');
  });
});
