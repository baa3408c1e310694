/**
 * TEST SUPPORT ONLY: a compact, literal reading of the default scheme in DOMAIN.md for a
 * whole-year period, used by generator.spec.ts to check that the planted cases land where
 * seeds/README.md says. It is not the engine and takes no rule set: the numbers below are
 * the published defaults, duplicated here on purpose so the seeds can be checked on their own.
 */
import type { EventKind } from '../../src/domain/vocabulary.js';
import type { GeneratedDataset } from './index.js';

export interface ReferenceProjectScore {
  code: string;
  companyUscc: string;
  households: number;
  assessed: boolean;
  respondents: number;
  answers: number;
  highAnswers: number;
  /** the rate used for the band: raw, or the Wilson lower bound below the minimum sample */
  satisfactionRate: number;
  complaintsPer100: number;
  resolutionRate: number | null;
  feeRate: number;
  parts: { satisfaction: number; complaints: number; handling: number; fees: number; party: number; threeParty: number };
  bonus: number;
  deductions: number;
  total: number;
}

export type Grade = 'AAA' | 'AA' | 'A' | 'B' | 'C';

export interface ReferenceCompanyScore {
  uscc: string;
  score: number;
  satisfaction: number;
  badRecord: boolean;
  veto: boolean;
  grade: Grade;
  redList: boolean;
  blackList: boolean;
}

const VETO_KINDS: ReadonlySet<EventKind> = new Set(['maintenance_fund_misuse', 'major_safety_accident', 'refusing_inspection', 'serious_dishonesty']);
const DEDUCTIONS: Partial<Record<EventKind, number>> = { administrative_penalty: 5, public_criticism: 3, safety_incident: 10, finding: 2 };
const HONOUR_POINTS = { district: 2, city: 3, province: 5 } as const;
const SIX_HAVES = ['six_haves_venue', 'six_haves_facilities', 'six_haves_sign', 'six_haves_flag', 'six_haves_reading', 'six_haves_rules'];

const band = (value: number, bands: readonly [number, number][], otherwise: number, higherIsBetter = true): number => {
  for (const [edge, points] of bands) if (higherIsBetter ? value >= edge : value <= edge) return points;
  return otherwise;
};

export function wilsonLowerBound(p: number, n: number, z = 1.96): number {
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

export function satisfactionPoints(rate: number): number {
  return band(
    rate,
    [
      [0.95, 30],
      [0.9, 27],
      [0.85, 24],
      [0.8, 20],
      [0.7, 14],
      [0.6, 8],
    ],
    0,
  );
}

export function scoreYear(dataset: GeneratedDataset): { projects: Map<string, ReferenceProjectScore>; companies: Map<string, ReferenceCompanyScore> } {
  interface Acc {
    respondents: Set<string>;
    answers: number;
    high: number;
    tickets: number;
    resolved: number;
    billed: number;
    paid: number;
    feeRecords: number;
    flags: Set<string>;
    meetingMonths: Set<string>;
    ratings: number[];
    bonus: number;
    deductions: number;
  }
  const acc = new Map<string, Acc>();
  for (const p of dataset.projects) {
    acc.set(p.code, {
      respondents: new Set(),
      answers: 0,
      high: 0,
      tickets: 0,
      resolved: 0,
      billed: 0,
      paid: 0,
      feeRecords: 0,
      flags: new Set(),
      meetingMonths: new Set(),
      ratings: [],
      bonus: 0,
      deductions: 0,
    });
  }
  for (const a of dataset.surveyAnswers()) {
    const x = acc.get(a.projectCode)!;
    x.respondents.add(`${a.month}#${a.respondentNo}`);
    x.answers++;
    if (a.answer >= 4) x.high++;
  }
  for (const t of dataset.complaints()) {
    const x = acc.get(t.projectCode)!;
    x.tickets++;
    if (t.resolved) x.resolved++;
  }
  for (const f of dataset.fees()) {
    const x = acc.get(f.projectCode)!;
    x.billed += f.householdsBilled;
    x.paid += f.householdsPaid;
    x.feeRecords++;
  }
  for (const c of dataset.partyChecks()) {
    if (c.scope !== 'project' || c.projectCode === null) continue;
    const x = acc.get(c.projectCode)!;
    if (c.indicatorCode === 'joint_meetings') {
      if (c.value >= 1) x.meetingMonths.add(c.period);
    } else if (c.value === 1) x.flags.add(c.indicatorCode);
  }
  for (const r of dataset.ratings()) acc.get(r.projectCode)!.ratings.push(r.rating);

  const companyAdjust = new Map<string, { bonus: number; deductions: number }>();
  const badRecord = new Set<string>();
  const veto = new Set<string>();
  for (const e of dataset.events()) {
    const points = e.kind === 'honour' ? HONOUR_POINTS[e.honourLevel!] : e.kind === 'tech_innovation' ? 2 : e.kind === 'demonstration_site' ? 3 : 0;
    const deduction = DEDUCTIONS[e.kind] ?? 0;
    if (deduction > 0 || VETO_KINDS.has(e.kind)) badRecord.add(e.companyUscc);
    if (VETO_KINDS.has(e.kind)) veto.add(e.companyUscc);
    if (e.projectCode !== null) {
      const x = acc.get(e.projectCode)!;
      x.bonus += points;
      x.deductions += deduction;
    } else {
      const c = companyAdjust.get(e.companyUscc) ?? { bonus: 0, deductions: 0 };
      c.bonus += points;
      c.deductions += deduction;
      companyAdjust.set(e.companyUscc, c);
    }
  }

  const hasPartyOrg = new Map(dataset.companies.map((c) => [c.uscc, c.hasPartyOrg]));
  const projects = new Map<string, ReferenceProjectScore>();
  for (const p of dataset.projects) {
    const x = acc.get(p.code)!;
    const n = x.respondents.size;
    const raw = x.answers ? x.high / x.answers : 0;
    const minimum = Math.max(30, 0.1 * p.occupiedHouseholds);
    const satisfactionRate = n === 0 ? 0 : n < minimum ? wilsonLowerBound(raw, n) : raw;
    const complaintsPer100 = (x.tickets / p.households) * 100;
    const resolutionRate = x.tickets ? x.resolved / x.tickets : null;
    const feeRate = x.billed ? x.paid / x.billed : 0;
    const meanRating = x.ratings.length ? x.ratings.reduce((s, r) => s + r, 0) / x.ratings.length : 1;
    let party = (hasPartyOrg.get(p.companyUscc) ? 4 : 0) + (p.hasPartyBranch ? 4 : 0);
    for (const code of SIX_HAVES) if (x.flags.has(code)) party += 1;
    if (x.flags.has('cross_appointment')) party += 2;
    if (x.flags.has('party_instructor')) party += 2;
    if (x.meetingMonths.size === 12) party += 2;
    const parts = {
      satisfaction: n === 0 ? 0 : satisfactionPoints(satisfactionRate),
      complaints: band(
        complaintsPer100,
        [
          [1, 15],
          [2, 12],
          [4, 9],
          [6, 5],
        ],
        0,
        false,
      ),
      handling:
        resolutionRate === null
          ? 10
          : band(
              resolutionRate,
              [
                [0.95, 10],
                [0.9, 8],
                [0.8, 5],
              ],
              0,
            ),
      fees: band(
        feeRate,
        [
          [0.95, 15],
          [0.9, 12],
          [0.85, 9],
          [0.8, 6],
        ],
        2,
      ),
      party,
      threeParty: Math.round(((meanRating - 1) / 4) * 10 * 100) / 100,
    };
    const sum = parts.satisfaction + parts.complaints + parts.handling + parts.fees + parts.party + parts.threeParty;
    projects.set(p.code, {
      code: p.code,
      companyUscc: p.companyUscc,
      households: p.households,
      assessed: x.answers > 0 || x.feeRecords > 0,
      respondents: n,
      answers: x.answers,
      highAnswers: x.high,
      satisfactionRate,
      complaintsPer100,
      resolutionRate,
      feeRate,
      parts,
      bonus: x.bonus,
      deductions: x.deductions,
      total: Math.max(0, sum + Math.min(x.bonus, 10) - x.deductions),
    });
  }

  const companies = new Map<string, ReferenceCompanyScore>();
  for (const c of dataset.companies) {
    let weighted = 0;
    let households = 0;
    let answers = 0;
    let high = 0;
    for (const s of projects.values()) {
      if (s.companyUscc !== c.uscc || !s.assessed) continue;
      weighted += s.total * s.households;
      households += s.households;
      answers += s.answers;
      high += s.highAnswers;
    }
    const adjust = companyAdjust.get(c.uscc) ?? { bonus: 0, deductions: 0 };
    const score = (households ? weighted / households : 0) + Math.min(adjust.bonus, 10) - adjust.deductions;
    const bad = badRecord.has(c.uscc);
    const isVeto = veto.has(c.uscc);
    const grade: Grade = isVeto ? 'C' : score >= 85 ? 'AAA' : score >= 80 ? 'AA' : score >= 70 ? 'A' : score >= 60 ? 'B' : bad ? 'C' : 'B';
    const satisfaction = answers ? high / answers : 0;
    companies.set(c.uscc, {
      uscc: c.uscc,
      score,
      satisfaction,
      badRecord: bad,
      veto: isVeto,
      grade,
      redList: grade === 'AAA' && satisfaction >= 0.9 && !bad,
      blackList: grade === 'C',
    });
  }
  return { projects, companies };
}
