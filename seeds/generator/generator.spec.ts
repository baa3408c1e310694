import { createHash } from 'node:crypto';
import { usccProblem, organisationCodeCheckCharacter } from '../../src/domain/uscc.js';
import { isIsoDate, isMonthCode } from '../../src/domain/period.js';
import {
  COMPLAINT_CATEGORIES,
  EVENT_KINDS,
  HONOUR_LEVELS,
  PARTY_INDICATORS,
  RATER_ROLES,
  REVISIT_VERDICTS,
  SURVEY_CHANNELS,
  isCode,
} from '../../src/domain/vocabulary.js';
import { generateDataset, type GeneratedDataset } from './index.js';
import { scoreYear } from './reference-scoring.js';

const DEDUCTION_KINDS = new Set(['administrative_penalty', 'public_criticism', 'safety_incident', 'finding']);
const VETO_KINDS = new Set(['maintenance_fund_misuse', 'major_safety_accident', 'refusing_inspection', 'serious_dishonesty']);
const HOUR = 3_600_000;

/** JSON with sorted keys and dates as ISO strings. */
function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function digest(ds: GeneratedDataset): string {
  const hash = createHash('sha256');
  const add = (kind: string, records: Iterable<unknown>) => {
    for (const r of records) hash.update(`${kind}\t${canonical(r)}\n`);
  };
  add('streets', ds.streets);
  add('communities', ds.communities);
  add('companies', ds.companies);
  add('projects', ds.projects);
  add('surveyAnswers', ds.surveyAnswers());
  add('complaints', ds.complaints());
  add('fees', ds.fees());
  add('partyChecks', ds.partyChecks());
  add('events', ds.events());
  add('ratings', ds.ratings());
  hash.update(canonical(ds.planted));
  return hash.digest('hex');
}

const count = (records: Iterable<unknown>): number => {
  let n = 0;
  for (const _ of records) n++;
  return n;
};

/** Written in decimal with at most two digits after the point (no float artefacts such as 0.30000000000000004). */
const hasAtMostTwoDecimals = (x: number): boolean => Number.isFinite(x) && /^-?\d+(\.\d{1,2})?$/.test(String(x));

/** The Shanghai calendar year of an instant. */
const shanghaiYear = (d: Date): number => new Date(d.getTime() + 8 * HOUR).getUTCFullYear();
const shanghaiMonth = (d: Date): number => new Date(d.getTime() + 8 * HOUR).getUTCMonth() + 1;
const quarterOfMonthCode = (month: string): number => Math.ceil(Number(month.slice(5, 7)) / 3);

describe('seed generator', () => {
  const demo = generateDataset({ scale: 'demo', seed: 1 });

  describe('determinism', () => {
    it('gives identical records for the same options, different ones for another seed', () => {
      const first = digest(demo);
      expect(digest(generateDataset({ scale: 'demo', seed: 1 }))).toBe(first);
      expect(digest(demo)).toBe(first); // every stream restarts identically
      expect(digest(generateDataset({ scale: 'demo', seed: 2 }))).not.toBe(first);
      expect(digest(generateDataset({ scale: 'demo', seed: 1, year: 2024 }))).not.toBe(first);
    });

    it('refuses invalid options', () => {
      expect(() => generateDataset({ scale: 'demo', seed: 1.5 })).toThrow(RangeError);
      expect(() => generateDataset({ scale: 'demo', seed: 1, year: 1999 })).toThrow(RangeError);
      expect(() => generateDataset({ scale: 'huge' as never, seed: 1 })).toThrow(RangeError);
    });
  });

  describe('demo master data', () => {
    it('has the demo shape', () => {
      expect(demo.streets).toHaveLength(2);
      expect(demo.communities).toHaveLength(6);
      expect(demo.companies).toHaveLength(12);
      expect(demo.projects).toHaveLength(40);
      expect(demo).toMatchObject({ scale: 'demo', seed: 1, year: 2025 });
    });

    it('has valid, unique codes and resolving references', () => {
      const streets = new Set(demo.streets.map((s) => s.code));
      expect(streets.size).toBe(demo.streets.length);
      for (const s of demo.streets) expect(s.code).toMatch(/^51\d{7}$/);

      const communityStreet = new Map(demo.communities.map((c) => [c.code, c.streetCode]));
      expect(communityStreet.size).toBe(demo.communities.length);
      for (const c of demo.communities) {
        expect(c.code).toMatch(/^\d{12}$/);
        expect(c.code.startsWith(c.streetCode)).toBe(true);
        expect(streets.has(c.streetCode)).toBe(true);
      }

      const usccs = new Set(demo.companies.map((c) => c.uscc));
      expect(usccs.size).toBe(demo.companies.length);
      expect(new Set(demo.companies.map((c) => c.name)).size).toBe(demo.companies.length);
      for (const c of demo.companies) {
        expect(usccProblem(c.uscc)).toBeNull();
        expect(c.uscc).toMatch(/^9151\d{4}/);
        expect(c.uscc[16]).toBe(organisationCodeCheckCharacter(c.uscc.slice(8, 16)));
        expect(c.name).toMatch(/物业(服务|管理)/);
      }

      expect(new Set(demo.projects.map((p) => p.code)).size).toBe(demo.projects.length);
      expect(new Set(demo.projects.map((p) => p.name)).size).toBe(demo.projects.length);
      const projectsPerCompany = new Map<string, number>();
      for (const p of demo.projects) {
        expect(p.code).toMatch(/^XM\d{8}$/);
        expect(communityStreet.get(p.communityCode)).toBe(p.streetCode);
        expect(usccs.has(p.companyUscc)).toBe(true);
        expect(Number.isInteger(p.households) && p.households >= 1).toBe(true);
        expect(Number.isInteger(p.occupiedHouseholds)).toBe(true);
        expect(p.occupiedHouseholds).toBeLessThanOrEqual(p.households);
        expect(p.occupiedHouseholds).toBeGreaterThanOrEqual(Math.floor(p.households * 0.84));
        expect(p.floorAreaM2).toBeGreaterThan(0);
        expect(hasAtMostTwoDecimals(p.floorAreaM2)).toBe(true);
        expect(typeof p.hasPartyBranch).toBe('boolean');
        projectsPerCompany.set(p.companyUscc, (projectsPerCompany.get(p.companyUscc) ?? 0) + 1);
      }
      expect(projectsPerCompany.size).toBe(demo.companies.length); // every company has a project
    });
  });

  describe('demo facts', () => {
    const projects = new Map(demo.projects.map((p) => [p.code, p]));
    const gap = demo.planted.quarterGapProject;

    it('survey answers: 8 questions per respondent, quarterly rounds, few phone proxies, mostly enough respondents', () => {
      const respondents = new Map<string, Set<number>>(); // project#month#no → questions answered
      const channels = new Map<string, string>();
      const problems: string[] = []; // plain checks: expect() per answer would make this test slow
      for (const a of demo.surveyAnswers()) {
        const key = `${a.projectCode}#${a.month}#${a.respondentNo}`;
        if (!projects.has(a.projectCode)) problems.push(`unknown project ${key}`);
        if (!isMonthCode(a.month) || !a.month.startsWith('2025-')) problems.push(`month ${key}`);
        if (!['03', '06', '09', '12'].includes(a.month.slice(5))) problems.push(`not a survey round ${key}`);
        if (!Number.isInteger(a.respondentNo) || a.respondentNo < 1) problems.push(`respondentNo ${key}`);
        if (!Number.isInteger(a.questionNo) || a.questionNo < 1 || a.questionNo > 8) problems.push(`questionNo ${key}`);
        if (!Number.isInteger(a.answer) || a.answer < 1 || a.answer > 5) problems.push(`answer ${key}`);
        if (!isCode(SURVEY_CHANNELS, a.channel)) problems.push(`channel ${key}`);
        const questions = respondents.get(key) ?? new Set<number>();
        if (questions.has(a.questionNo)) problems.push(`question answered twice ${key}`);
        questions.add(a.questionNo);
        respondents.set(key, questions);
        const seen = channels.get(key);
        if (seen && seen !== a.channel) problems.push(`respondent changes channel ${key}`);
        channels.set(key, a.channel);
      }
      expect(problems).toEqual([]);
      for (const questions of respondents.values()) expect(questions.size).toBe(8);
      const perProject = new Map<string, { n: number; phone: number }>();
      for (const [key, channel] of channels) {
        const code = key.split('#')[0];
        const x = perProject.get(code) ?? { n: 0, phone: 0 };
        x.n++;
        if (channel === 'phone_proxy') x.phone++;
        perProject.set(code, x);
      }
      expect(perProject.size).toBe(demo.projects.length);
      let enough = 0;
      for (const [code, x] of perProject) {
        expect(x.phone).toBeLessThanOrEqual(0.05 * x.n);
        const p = projects.get(code)!;
        if (x.n >= Math.max(30, 0.1 * p.occupiedHouseholds)) enough++;
      }
      expect(enough / perProject.size).toBeGreaterThanOrEqual(0.75);
    });

    it('complaints: unique tickets inside the year, ordered timestamps, valid codes', () => {
      const tickets = new Set<string>();
      let total = 0;
      let within24h = 0;
      let resolved = 0;
      for (const t of demo.complaints()) {
        total++;
        expect(t.ticketNo).toMatch(/^T2025-\d{7}$/);
        expect(tickets.has(t.ticketNo)).toBe(false);
        tickets.add(t.ticketNo);
        expect(projects.has(t.projectCode)).toBe(true);
        expect(shanghaiYear(t.receivedAt)).toBe(2025);
        expect(t.respondedAt).not.toBeNull();
        expect(t.respondedAt!.getTime()).toBeGreaterThanOrEqual(t.receivedAt.getTime());
        if (t.respondedAt!.getTime() - t.receivedAt.getTime() < 24 * HOUR) within24h++;
        if (t.resolved) {
          resolved++;
          expect(t.resolvedAt).not.toBeNull();
          expect(t.resolvedAt!.getTime()).toBeGreaterThanOrEqual(t.respondedAt!.getTime());
        } else {
          expect(t.resolvedAt).toBeNull();
        }
        expect(isCode(COMPLAINT_CATEGORIES, t.category)).toBe(true);
        if (t.revisitVerdict !== null) expect(isCode(REVISIT_VERDICTS, t.revisitVerdict)).toBe(true);
      }
      const households = demo.projects.reduce((s, p) => s + p.households, 0);
      expect((total / households) * 100).toBeGreaterThan(1);
      expect((total / households) * 100).toBeLessThan(4);
      expect(within24h / total).toBeGreaterThan(0.75);
      expect(resolved / total).toBeGreaterThan(0.8);
    });

    it('fees: one record a month, consistent households and amounts in cents', () => {
      const months = new Map<string, Set<string>>();
      for (const f of demo.fees()) {
        const p = projects.get(f.projectCode)!;
        expect(isMonthCode(f.month) && f.month.startsWith('2025-')).toBe(true);
        const set = months.get(f.projectCode) ?? new Set();
        expect(set.has(f.month)).toBe(false);
        set.add(f.month);
        months.set(f.projectCode, set);
        expect(f.householdsBilled).toBe(p.occupiedHouseholds);
        expect(Number.isInteger(f.householdsPaid) && f.householdsPaid >= 0).toBe(true);
        expect(f.householdsPaid).toBeLessThanOrEqual(f.householdsBilled);
        expect(f.billedAmount).toBeGreaterThan(0);
        expect(f.collectedAmount).toBeGreaterThanOrEqual(0);
        expect(f.collectedAmount).toBeLessThanOrEqual(f.billedAmount);
        expect(hasAtMostTwoDecimals(f.billedAmount) && hasAtMostTwoDecimals(f.collectedAmount)).toBe(true);
        // 1.2–3.5 yuan per m² per month over the occupied share of the floor area
        const occupiedArea = (p.floorAreaM2 * p.occupiedHouseholds) / p.households;
        expect(f.billedAmount / occupiedArea).toBeGreaterThanOrEqual(1.19);
        expect(f.billedAmount / occupiedArea).toBeLessThanOrEqual(3.51);
      }
      for (const p of demo.projects) expect(months.get(p.code)!.size).toBe(p.code === gap.projectCode ? 9 : 12);
    });

    it('party checks: yearly flags and monthly joint meetings per project, a few company checks', () => {
      const perProject = new Map<string, number>();
      let companyChecks = 0;
      const usccs = new Set(demo.companies.map((c) => c.uscc));
      for (const c of demo.partyChecks()) {
        const definition = PARTY_INDICATORS[c.indicatorCode];
        expect(definition).toBeDefined();
        expect(c.scope).toBe(definition.scope);
        if (c.evidence !== null) expect(c.evidence).toMatch(/[\u4e00-\u9fff]/);
        if (c.scope === 'project') {
          expect(projects.has(c.projectCode!)).toBe(true);
          expect(c.companyUscc).toBeNull();
          perProject.set(c.projectCode!, (perProject.get(c.projectCode!) ?? 0) + 1);
          if (c.indicatorCode === 'joint_meetings') {
            expect(isMonthCode(c.period) && c.period.startsWith('2025-')).toBe(true);
            expect([0, 1, 2, 3]).toContain(c.value);
          } else {
            expect(c.period).toBe('2025');
            expect([0, 1]).toContain(c.value);
          }
        } else {
          companyChecks++;
          expect(c.projectCode).toBeNull();
          expect(usccs.has(c.companyUscc!)).toBe(true);
          expect(c.period).toBe('2025');
          expect(Number.isInteger(c.value) && c.value >= 0).toBe(true);
        }
      }
      for (const p of demo.projects) expect(perProject.get(p.code)).toBe(9 + 12);
      expect(companyChecks).toBeGreaterThan(0);
    });

    it('events: unique numbers, dates in the year, honour levels only on honours, projects of the company', () => {
      const numbers = new Set<string>();
      const kinds = new Set<string>();
      for (const e of demo.events()) {
        expect(e.eventNo).toMatch(/^E2025-\d{6}$/);
        expect(numbers.has(e.eventNo)).toBe(false);
        numbers.add(e.eventNo);
        expect(isCode(EVENT_KINDS, e.kind)).toBe(true);
        kinds.add(e.kind);
        expect(isIsoDate(e.occurredOn) && e.occurredOn.startsWith('2025-')).toBe(true);
        if (e.kind === 'honour') expect(isCode(HONOUR_LEVELS, e.honourLevel)).toBe(true);
        else expect(e.honourLevel).toBeNull();
        if (e.projectCode !== null) expect(projects.get(e.projectCode)!.companyUscc).toBe(e.companyUscc);
        expect(e.source.length).toBeGreaterThan(0);
        expect(e.description).toMatch(/[\u4e00-\u9fff]/);
        if (e.evidence !== null) expect(e.evidence).toMatch(/〔2025〕第\d+号$/);
      }
      for (const kind of ['honour', 'demonstration_site', 'administrative_penalty', 'maintenance_fund_misuse']) expect(kinds).toContain(kind);
    });

    it('ratings: two raters per project, one decimal between 1 and 5', () => {
      const perProject = new Map<string, Set<string>>();
      for (const r of demo.ratings()) {
        expect(r.period).toBe('2025');
        expect(isCode(RATER_ROLES, r.raterRole)).toBe(true);
        expect(r.rating).toBeGreaterThanOrEqual(1);
        expect(r.rating).toBeLessThanOrEqual(5);
        expect(Math.round(r.rating * 10) / 10).toBe(r.rating);
        const set = perProject.get(r.projectCode) ?? new Set();
        set.add(r.raterRole);
        perProject.set(r.projectCode, set);
      }
      expect(perProject.size).toBe(demo.projects.length);
      for (const set of perProject.values()) expect(set.size).toBe(2);
    });

    it('supports another year, leap days included', () => {
      const ds = generateDataset({ scale: 'demo', seed: 1, year: 2024 });
      for (const t of ds.complaints()) expect(shanghaiYear(t.receivedAt)).toBe(2024);
      for (const e of ds.events()) expect(isIsoDate(e.occurredOn) && e.occurredOn.startsWith('2024-')).toBe(true);
      expect(ds.planted.quarterGapProject.quarter).toMatch(/^2024-Q[1-4]$/);
    });
  });

  describe('planted cases', () => {
    const { planted } = demo;
    const projects = new Map(demo.projects.map((p) => [p.code, p]));
    const allEvents = [...demo.events()];

    it('names distinct companies and projects', () => {
      expect(planted.redListCompanies).toHaveLength(3);
      expect(planted.blackListCompanies).toHaveLength(2);
      const roles = [...planted.redListCompanies, ...planted.blackListCompanies, planted.vetoCompany];
      expect(new Set(roles).size).toBe(6);
      const tinyCompany = projects.get(planted.tinySampleProject)!.companyUscc;
      const gapCompany = projects.get(planted.quarterGapProject.projectCode)!.companyUscc;
      expect(roles).not.toContain(tinyCompany);
      expect(roles).not.toContain(gapCompany);
      expect(tinyCompany).not.toBe(gapCompany);
    });

    it('tiny sample: 8 respondents, every answer 5', () => {
      const respondents = new Set<string>();
      let answers = 0;
      for (const a of demo.surveyAnswers()) {
        if (a.projectCode !== planted.tinySampleProject) continue;
        answers++;
        expect(a.answer).toBe(5);
        respondents.add(`${a.month}#${a.respondentNo}`);
      }
      expect(respondents.size).toBe(8);
      expect(answers).toBe(64);
    });

    it('quarter gap: no survey answer, fee record or complaint in that quarter, the other quarters normal', () => {
      const { projectCode, quarter } = planted.quarterGapProject;
      const q = Number(quarter.slice(-1));
      const surveyQuarters = new Set<number>();
      const feeQuarters = new Set<number>();
      let complaintsInGap = 0;
      for (const a of demo.surveyAnswers()) if (a.projectCode === projectCode) surveyQuarters.add(quarterOfMonthCode(a.month));
      for (const f of demo.fees()) if (f.projectCode === projectCode) feeQuarters.add(quarterOfMonthCode(f.month));
      for (const t of demo.complaints()) if (t.projectCode === projectCode && Math.ceil(shanghaiMonth(t.receivedAt) / 3) === q) complaintsInGap++;
      const others = [1, 2, 3, 4].filter((x) => x !== q);
      expect([...surveyQuarters].sort()).toEqual(others);
      expect([...feeQuarters].sort()).toEqual(others);
      expect(complaintsInGap).toBe(0);
    });

    it('veto company: a maintenance fund misuse in the year and no other bad record', () => {
      const own = allEvents.filter((e) => e.companyUscc === planted.vetoCompany);
      expect(own.filter((e) => e.kind === 'maintenance_fund_misuse')).toHaveLength(1);
      expect(own.filter((e) => DEDUCTION_KINDS.has(e.kind))).toHaveLength(0);
    });

    it('red-list companies have no deduction or veto event; black-list companies have a deduction', () => {
      for (const uscc of planted.redListCompanies) {
        expect(allEvents.some((e) => e.companyUscc === uscc && (DEDUCTION_KINDS.has(e.kind) || VETO_KINDS.has(e.kind)))).toBe(false);
      }
      for (const uscc of planted.blackListCompanies) {
        expect(allEvents.some((e) => e.companyUscc === uscc && DEDUCTION_KINDS.has(e.kind))).toBe(true);
        expect(allEvents.some((e) => e.companyUscc === uscc && VETO_KINDS.has(e.kind))).toBe(false);
      }
    });

    it.each([1, 2, 3, 4, 5, 6])('land where the default scheme puts them (seed %i)', (seed) => {
      const ds = seed === 1 ? demo : generateDataset({ scale: 'demo', seed });
      const { projects: scores, companies } = scoreYear(ds);
      const p = ds.planted;
      for (const uscc of p.redListCompanies) {
        const c = companies.get(uscc)!;
        expect(c.score).toBeGreaterThanOrEqual(85);
        expect(c.satisfaction).toBeGreaterThanOrEqual(0.9);
        expect(c.grade).toBe('AAA');
        expect(c.redList).toBe(true);
      }
      for (const uscc of p.blackListCompanies) {
        const c = companies.get(uscc)!;
        expect(c.score).toBeLessThan(60);
        expect(c.badRecord).toBe(true);
        expect(c.grade).toBe('C');
      }
      const veto = companies.get(p.vetoCompany)!;
      expect(veto.veto).toBe(true);
      expect(veto.grade).toBe('C');
      expect(veto.score).toBeGreaterThanOrEqual(80);

      const tiny = scores.get(p.tinySampleProject)!;
      expect(tiny.respondents).toBe(8);
      expect(tiny.highAnswers / tiny.answers).toBe(1);
      expect(tiny.satisfactionRate).toBeCloseTo(8 / (8 + 1.96 * 1.96), 6); // Wilson lower bound at p = 1, n = 8
      expect(tiny.parts.satisfaction).toBe(8);
      expect(companies.get(tiny.companyUscc)!.redList).toBe(false);

      const gapScore = scores.get(p.quarterGapProject.projectCode)!;
      expect(gapScore.assessed).toBe(true);

      // the lists are exactly the planted ones in the demo
      const red = [...companies.values()]
        .filter((c) => c.redList)
        .map((c) => c.uscc)
        .sort();
      const black = [...companies.values()]
        .filter((c) => c.blackList)
        .map((c) => c.uscc)
        .sort();
      expect(red).toEqual([...p.redListCompanies].sort());
      expect(black).toEqual([...p.blackListCompanies, p.vetoCompany].sort());

      const planted = new Set([...p.redListCompanies, ...p.blackListCompanies, p.vetoCompany]);
      const ordinary = [...companies.values()].filter((c) => !planted.has(c.uscc));
      const inRange = ordinary.filter((c) => c.score >= 65 && c.score < 85).length;
      expect(inRange / ordinary.length).toBeGreaterThanOrEqual(0.66);
    });
  });

  describe('city scale', () => {
    it('has the city shape and counts', () => {
      const city = generateDataset({ scale: 'city', seed: 1 });
      expect(city.streets).toHaveLength(60);
      expect(city.communities).toHaveLength(300);
      expect(city.companies).toHaveLength(900);
      expect(city.projects).toHaveLength(5000);
      expect(new Set(city.projects.map((p) => p.code)).size).toBe(5000);
      expect(new Set(city.projects.map((p) => p.name)).size).toBe(5000);
      expect(new Set(city.companies.map((c) => c.uscc)).size).toBe(900);
      expect(new Set(city.companies.map((c) => c.name)).size).toBe(900);
      expect(new Set(city.communities.map((c) => c.code)).size).toBe(300);
      for (const c of city.companies) expect(usccProblem(c.uscc)).toBeNull();
      for (const s of city.streets) expect(s.code.startsWith('5101')).toBe(true);

      const perCompany = new Map<string, number>();
      for (const p of city.projects) perCompany.set(p.companyUscc, (perCompany.get(p.companyUscc) ?? 0) + 1);
      const sizes = [...perCompany.values()];
      expect(perCompany.size).toBe(900);
      expect(sizes.filter((n) => n <= 5).length).toBeGreaterThan(600); // heavy tail: many small companies…
      expect(Math.max(...sizes)).toBeGreaterThanOrEqual(60); // …and a few big ones

      const answers = count(city.surveyAnswers());
      expect(answers % 8).toBe(0);
      expect(answers / 8 / 5000).toBeGreaterThan(35);
      expect(answers / 8 / 5000).toBeLessThan(45);
      const households = city.projects.reduce((s, p) => s + p.households, 0);
      const complaints = count(city.complaints());
      expect((complaints / households) * 100).toBeGreaterThan(1.5);
      expect((complaints / households) * 100).toBeLessThan(2.5);
      expect(count(city.fees())).toBe(5000 * 12 - 3);
      expect(count(city.partyChecks())).toBeGreaterThanOrEqual(5000 * 21);
      expect(count(city.ratings())).toBe(10000);
      const events = count(city.events());
      expect(events).toBeGreaterThan(200);
      expect(events).toBeLessThan(1000);
    });
  });
});
