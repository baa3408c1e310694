import { noteText, notesText } from '../reports/note-text.js';
import { parsePeriod } from '../domain/period.js';
import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from '../rules/rule-set.loader.js';
import type { CompanyMetrics, ProjectMetrics } from './metrics.js';
import { aCompanyMetrics, aProjectMetrics } from './metrics.factory.js';
import { explainProject } from './explain.js';
import { assess, type ProjectOutcome } from './scoring.js';
import { expandTrace } from './trace.js';

const defaults = readRuleSetDirectory(DEFAULT_RULES_DIR);
const ruleSet = loadRuleSet(defaults);
/** The default set with other company parameters. */
const withCompanyParameters = (company: Record<string, unknown>) => {
  const manifest = JSON.parse(defaults.files['ruleset.json']);
  Object.assign(manifest.parameters.company, company);
  return loadRuleSet({ location: 'edited', files: { ...defaults.files, 'ruleset.json': JSON.stringify(manifest) } });
};
const year = parsePeriod('2025')!;

function run(projects: ProjectMetrics[], companies: CompanyMetrics[] = [aCompanyMetrics()], period = year) {
  return assess({ ruleSet, period, projects, companies });
}
function project(overrides: Partial<ProjectMetrics> = {}): ProjectOutcome {
  return run([aProjectMetrics(overrides)]).projects[0];
}
const part = (outcome: ProjectOutcome, id: string) => outcome.parts.find((p) => p.part === id)!.points;
const survey = (positiveAnswers: number, answers: number, respondents = 100) => ({
  survey: { respondents, answers, positiveAnswers, phoneProxyRespondents: 0 },
});

describe('project score under the default rule set', () => {
  it('scores a project that meets every band in full', () => {
    const outcome = project();
    expect(outcome.parts.map((p) => [p.part, p.points])).toEqual([
      ['satisfaction', 30],
      ['complaintRate', 15],
      ['complaintHandling', 10],
      ['feeCollection', 15],
      ['partyBuilding', 20],
      ['threeParty', 10],
    ]);
    expect(outcome.total).toBe(100);
    expect(outcome.stars).toBe(5);
  });

  it.each([
    [9500, 10000, 30],
    [9499, 10000, 27],
    [9000, 10000, 27],
    [8999, 10000, 24],
    [8500, 10000, 24],
    [8000, 10000, 20],
    [7999, 10000, 14],
    [7000, 10000, 14],
    [6000, 10000, 8],
    [5999, 10000, 0],
  ])('satisfaction %i / %i answers ≥ 4 → %i points (edges inclusive, rates unrounded)', (positive, answers, points) => {
    expect(part(project(survey(positive, answers)), 'satisfaction')).toBe(points);
  });

  it.each([
    [5, 15],
    [6, 12],
    [10, 12],
    [11, 9],
    [20, 9],
    [21, 5],
    [30, 5],
    [31, 0],
  ])('%i tickets a year over 500 households → %i complaint-rate points', (tickets, points) => {
    expect(part(project({ complaints: { tickets, respondedInTime: tickets, resolved: tickets, revisited: 0, revisitSatisfied: 0 } }), 'complaintRate')).toBe(
      points,
    );
  });

  it('annualises the complaint rate of a quarter', () => {
    // 5 tickets in a quarter over 500 households = 4 per 100 households a year → 9 points
    const outcome = run(
      [aProjectMetrics({ complaints: { tickets: 5, respondedInTime: 5, resolved: 5, revisited: 0, revisitSatisfied: 0 } })],
      undefined,
      parsePeriod('2025-Q2')!,
    ).projects[0];
    expect(outcome.facts.complaintsPer100HouseholdsYear).toBe(4);
    expect(part(outcome, 'complaintRate')).toBe(9);
  });

  it.each([
    [0, 0, 10],
    [20, 19, 10],
    [20, 18, 8],
    [100, 94, 8],
    [20, 16, 5],
    [100, 79, 0],
  ])('%i tickets with %i resolved → %i handling points (no ticket: full points)', (tickets, resolved, points) => {
    expect(part(project({ complaints: { tickets, respondedInTime: tickets, resolved, revisited: 0, revisitSatisfied: 0 } }), 'complaintHandling')).toBe(points);
  });

  it.each([
    [9500, 15],
    [9499, 12],
    [9000, 12],
    [8500, 9],
    [8000, 6],
    [7999, 2],
  ])('%i of 10,000 households paid → %i fee points', (paid, points) => {
    expect(part(project({ fees: { months: 12, householdsBilled: 10000, householdsPaid: paid, billedAmount: 1, collectedAmount: 1 } }), 'feeCollection')).toBe(
      points,
    );
  });

  it('adds up the Party-building checklist', () => {
    expect(part(project({ companyHasPartyOrg: false }), 'partyBuilding')).toBe(16);
    expect(part(project({ hasPartyBranch: false }), 'partyBuilding')).toBe(16);
    expect(part(project({ partyFlags: { six_haves_venue: 1, six_haves_flag: 0, cross_appointment: 1 } }), 'partyBuilding')).toBe(4 + 4 + 1 + 2 + 2);
    expect(part(project({ jointMeetingMonths: 11 }), 'partyBuilding')).toBe(18);
  });

  it('maps the three-party mean linearly, rounded to two decimals', () => {
    expect(part(project({ threeParty: { mean: 4.3, year: 2025, ratings: 2 } }), 'threeParty')).toBe(8.25);
    expect(part(project({ threeParty: { mean: 1, year: 2025, ratings: 2 } }), 'threeParty')).toBe(0);
    expect(part(project({ threeParty: { mean: 3.335, year: 2025, ratings: 2 } }), 'threeParty')).toBe(5.84);
    expect(part(project({ threeParty: { mean: null, year: null, ratings: 0 } }), 'threeParty')).toBe(0);
  });

  it('caps the bonus at 10 and does not cap deductions', () => {
    const bonus = project({ events: { honourByLevel: { province: 2, city: 1 } } });
    expect(bonus.bonus).toMatchObject({ raw: 13, capped: 10 });
    expect(bonus.total).toBe(110);
    const deducted = project({ events: { safety_incident: 3, administrative_penalty: 1, finding: 2 } });
    expect(deducted.deductions.total).toBe(30 + 5 + 4);
    expect(deducted.total).toBe(61);
    expect(project({ events: { safety_incident: 12 } }).total).toBe(0);
  });

  it('gives stars by total, branch and safety record', () => {
    expect(project({ events: { finding: 5 } }).stars).toBe(5); // 90
    expect(project({ events: { finding: 5 }, hasPartyBranch: false }).stars).toBe(4); // 86 without a branch
    expect(project({ events: { safety_incident: 1 } }).stars).toBe(4); // 90 but a safety deduction
    expect(project({ events: { finding: 6 } }).stars).toBe(4); // 88
    expect(project({ events: { safety_incident: 2, finding: 1 } }).stars).toBe(3); // 78
    expect(project({ events: { safety_incident: 4, finding: 1 } }).stars).toBe(1); // 58
  });

  it('scores a small sample on its Wilson lower bound and says so', () => {
    const outcome = project(survey(64, 64, 8));
    expect(outcome.facts.satisfactionRawRate).toBe(1);
    expect(outcome.facts.satisfactionRate).toBeCloseTo(8 / (8 + 1.96 ** 2), 12);
    expect(outcome.facts.smallSample).toBe(true);
    expect(part(outcome, 'satisfaction')).toBe(8);
    expect(outcome.notes).toEqual([
      { code: 'project.smallSample', params: { respondents: 8, minimumSample: 40, wilsonZ: 1.96, wilsonBound: outcome.facts.satisfactionRate, rawRate: 1 } },
    ]);
    expect(notesText(outcome.notes)).toContain('威尔逊下限');
  });

  it('takes the minimum sample as 10 % of occupied households when that is more than 30', () => {
    const occupied = { households: 1200, occupiedHouseholds: 1000 };
    expect(project({ ...occupied, ...survey(792, 792, 99) }).facts.smallSample).toBe(true);
    expect(project({ ...occupied, ...survey(800, 800, 100) }).facts.smallSample).toBe(false);
  });

  it('leaves a project without survey and fee data unassessed, not at zero', () => {
    const outcome = project({ ...survey(0, 0, 0), fees: { months: 0, householdsBilled: 0, householdsPaid: 0, billedAmount: 0, collectedAmount: 0 } });
    expect(outcome).toMatchObject({ assessed: false, total: null, stars: null });
  });
});

describe('company score, grade and lists under the default rule set', () => {
  const company = (overrides: Partial<CompanyMetrics> = {}) => aCompanyMetrics(overrides);

  it('weights projects by households and leaves unassessed projects out', () => {
    const projects = [
      aProjectMetrics({ projectId: 1, households: 500 }), // 100
      aProjectMetrics({ projectId: 2, projectCode: 'XM2', households: 1500, events: { safety_incident: 2 } }), // 80
      aProjectMetrics({
        projectId: 3,
        projectCode: 'XM3',
        households: 9000,
        ...survey(0, 0, 0),
        fees: { months: 0, householdsBilled: 0, householdsPaid: 0, billedAmount: 0, collectedAmount: 0 },
      }),
    ];
    const [outcome] = run(projects).companies;
    expect(outcome).toMatchObject({ assessedProjects: 2, notAssessedProjects: 1, weightedScore: 85, score: 85 });
  });

  it('adds company-level events after the weighted mean', () => {
    const [outcome] = run(
      [aProjectMetrics({ events: { safety_incident: 1 } })],
      [company({ events: { honourByLevel: { province: 1 }, public_criticism: 1 } })],
    ).companies;
    expect(outcome).toMatchObject({ weightedScore: 90, score: 92 });
  });

  it.each([
    [{ administrative_penalty: 1, safety_incident: 1 }, 0, 85, 'AAA'],
    [{ administrative_penalty: 1, safety_incident: 1, finding: 1 }, 0, 83, 'AA'],
    [{ safety_incident: 2 }, 0, 80, 'AA'],
    [{ safety_incident: 2, finding: 1 }, 0, 78, 'A'],
    [{ safety_incident: 3 }, 0, 70, 'A'],
    [{ safety_incident: 4 }, 0, 60, 'B'],
    [{ safety_incident: 4, finding: 1 }, 0, 58, 'B'],
    [{ safety_incident: 4, finding: 1 }, 1, 58, 'C'],
  ])('project events %j, %i bad records → score %i, grade %s', (events, bad, score, grade) => {
    const [outcome] = run([aProjectMetrics({ events })], [company({ eventsInRecordWindow: { finding: bad } })]).companies;
    expect(outcome).toMatchObject({ score, grade });
  });

  it('puts a 84.99 company at AA, not AAA', () => {
    const [outcome] = run([
      aProjectMetrics({ threeParty: { mean: 4.996, year: 2025, ratings: 2 }, events: { administrative_penalty: 1, safety_incident: 1 } }),
    ]).companies;
    expect(outcome).toMatchObject({ score: 84.99, grade: 'AA' });
  });

  it("reads the grade from the score rounded to the rule set's decimals", () => {
    const metrics = [aProjectMetrics({ threeParty: { mean: 4.996, year: 2025, ratings: 2 }, events: { administrative_penalty: 1, safety_incident: 1 } })];
    const [outcome] = assess({
      ruleSet: withCompanyParameters({ scoreDecimals: 0 }),
      period: year,
      projects: metrics,
      companies: [aCompanyMetrics()],
    }).companies;
    expect(outcome).toMatchObject({ weightedScore: 85, score: 85, grade: 'AAA' });
  });

  it('a company without an assessed project but with a veto gets grade C and one note that says both', () => {
    const unassessed = aProjectMetrics({
      ...survey(0, 0, 0),
      fees: { months: 0, householdsBilled: 0, householdsPaid: 0, billedAmount: 0, collectedAmount: 0 },
    });
    const [outcome] = run([unassessed], [company({ events: { serious_dishonesty: 1 } })]).companies;
    expect(outcome).toMatchObject({ score: null, grade: 'C' });
    expect(outcome.notes.map(noteText)).toEqual(['1 个项目本期不参评，未计入加权平均', '无参评项目，但一票否决（存在严重失信行为），信用等级为 C']);
  });

  it('a veto overrides a high score: grade C, black list, no stars', () => {
    const outcome = run([aProjectMetrics({ events: { maintenance_fund_misuse: 1 } })], [company({ eventsInRecordWindow: { maintenance_fund_misuse: 1 } })]);
    expect(outcome.projects[0]).toMatchObject({ total: 100, stars: 0, starsRule: 'veto-maintenance-fund-misuse' });
    expect(outcome.companies[0]).toMatchObject({ score: 100, grade: 'C', gradeRule: 'veto-maintenance-fund-misuse' });
    expect(outcome.companies[0].lists.map((l) => [l.list, l.rule])).toEqual([
      ['black', 'black-list-grade-c'],
      ['black', 'black-list-veto'],
    ]);
  });

  it.each(['major_safety_accident', 'refusing_inspection', 'serious_dishonesty'] as const)(
    'a company-level %s vetoes the company and all its projects',
    (kind) => {
      const outcome = run([aProjectMetrics()], [company({ events: { [kind]: 1 } })]);
      expect(outcome.projects[0].stars).toBe(0);
      expect(outcome.companies[0].grade).toBe('C');
      expect(outcome.companies[0].lists.some((l) => l.list === 'black')).toBe(true);
    },
  );

  it('leaves the projects their stars under a company veto when the rule set says so', () => {
    const outcome = assess({
      ruleSet: withCompanyParameters({ vetoTakesProjectStars: false }),
      period: year,
      projects: [aProjectMetrics()],
      companies: [company({ events: { serious_dishonesty: 1 } })],
    });
    expect(outcome.projects[0].stars).toBe(5);
    expect(outcome.companies[0].grade).toBe('C');
  });

  it('puts an AAA company with high satisfaction and a clean record on the red list', () => {
    expect(run([aProjectMetrics()]).companies[0].lists.map((l) => l.list)).toEqual(['red']);
    expect(run([aProjectMetrics(survey(8999, 10000))]).companies[0].lists).toEqual([]); // 89.99 % satisfied, still AAA
    expect(run([aProjectMetrics()], [company({ eventsInRecordWindow: { finding: 1 } })]).companies[0].lists).toEqual([]);
  });

  it('black-lists persistent worst complaint rates that did not improve', () => {
    const companies = Array.from({ length: 10 }, (_, i) =>
      company({
        companyId: i + 1,
        uscc: `C${i}`,
        complaintQuarters: [
          { quarter: '2025-Q3', tickets: i === 0 ? 30 : 2, households: 1000 },
          { quarter: '2025-Q4', tickets: i === 0 ? 30 : 2, households: 1000 },
        ],
      }),
    );
    const projects = companies.map((c) => aProjectMetrics({ projectId: c.companyId, companyId: c.companyId, projectCode: `XM${c.companyId}` }));
    const outcome = run(projects, companies);
    expect(outcome.companies[0].facts).toMatchObject({ complaintWorstShareQuarters: 2, complaintRateImproved: false });
    expect(outcome.companies[0].lists.map((l) => l.rule)).toContain('black-list-complaints');
    expect(outcome.companies[1].lists.map((l) => l.rule)).not.toContain('black-list-complaints');

    companies[0].complaintQuarters[1].tickets = 29; // worst still, but improving
    expect(run(projects, companies).companies[0].lists.map((l) => l.rule)).not.toContain('black-list-complaints');
  });

  it('explains rules that did not fire by the condition and value that failed', () => {
    const outcome = project(survey(9499, 10000));
    const top = expandTrace(outcome.trace, outcome.facts, ruleSet).find((t) => t.rule === 'satisfaction-ge-95')!;
    expect(top.fired).toBe(false);
    expect(top.conditions).toEqual([{ fact: 'satisfactionRate', operator: 'greaterThanInclusive', expected: 0.95, actual: 0.9499, result: false }]);
    expect(outcome.parts[0].lines[0]).toMatchObject({ rule: 'satisfaction-ge-90', points: 27, facts: { satisfactionRate: 0.9499 } });
  });

  it('shows the project total, bonus and deductions in every star rule of the explanation', () => {
    const outcome = project(survey(9499, 10000));
    const stored = { ...outcome, facts: outcome.facts as Record<string, never> } as unknown as Parameters<typeof explainProject>[0];
    const text = explainProject(stored, ruleSet);
    const starLines = text
      .slice(text.indexOf('星级评定'))
      .split('\n')
      .filter((l) => l.includes('项目总分'));
    expect(starLines.length).toBeGreaterThan(0);
    expect(starLines.every((l) => l.includes('项目总分 97'))).toBe(true);
    expect(text).not.toContain('无数据');
  });
});
