/**
 * Master data and the hidden per-project profiles the fact streams are drawn from.
 * Everything here is small (at most 49,000 projects) and built eagerly; facts are streamed
 * from the profiles in facts.ts.
 */
import type { CommunityRecord, CompanyRecord, ProjectRecord, StreetRecord } from '../../src/intake/records.js';
import type { PartyIndicatorCode } from '../../src/domain/vocabulary.js';
import { organisationCodeCheckCharacter, usccCheckCharacter } from '../../src/domain/uscc.js';
import { monthCode } from '../../src/domain/period.js';
import { allocate, CumulativeSampler, Random, SeedKey } from './random.js';
import {
  CHENGDU_COUNTIES,
  COMMUNITY_FIRST,
  COMMUNITY_MIDDLE,
  COMMUNITY_SECOND,
  COMPANY_FIRST,
  COMPANY_GROUP_SUFFIX,
  COMPANY_SECOND,
  COMPANY_SUFFIXES,
  type County,
  countyByCode,
  DEMO_STREETS,
  PREFECTURES,
  PROJECT_FIRST,
  PROJECT_SECOND,
  PROJECT_SUFFIXES,
  SICHUAN_COUNTIES,
  STREET_FIRST,
  STREET_SECOND,
} from './places.js';

export type SeedScale = 'demo' | 'city' | 'province';

/** What a company was built to be: an ordinary one or one of the planted cases. */
export type CompanyRole = 'ordinary' | 'red' | 'black' | 'veto';

interface ScaleShape {
  streets: number;
  communities: number;
  projects: number;
  companies: number;
}

export const SCALE_SHAPES: Record<SeedScale, ScaleShape> = {
  demo: { streets: 2, communities: 6, projects: 40, companies: 12 },
  city: { streets: 60, communities: 300, projects: 5000, companies: 900 },
  province: { streets: 1200, communities: 7000, projects: 49000, companies: 8891 },
};

/**
 * Project counts of the 12 demo companies (shuffled per seed): 40 projects; nine companies with
 * 2–4 projects to draw the six planted companies from, and ordinary hosts with 3–9 projects left over.
 */
const DEMO_COMPANY_PROJECT_COUNTS = [9, 6, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1];

export const PARTY_FLAG_CODES = [
  'six_haves_venue',
  'six_haves_facilities',
  'six_haves_sign',
  'six_haves_flag',
  'six_haves_reading',
  'six_haves_rules',
  'cross_appointment',
  'party_instructor',
  'members_show_identity',
] as const satisfies readonly PartyIndicatorCode[];
const ALL_FLAGS = (1 << PARTY_FLAG_CODES.length) - 1;
const ALL_MONTHS = (1 << 12) - 1;
const flagBit = (code: (typeof PARTY_FLAG_CODES)[number]): number => 1 << PARTY_FLAG_CODES.indexOf(code);

export interface CompanyProfile {
  index: number;
  uscc: string;
  name: string;
  role: CompanyRole;
  /** latent service quality, 0 (poor) … 1 (excellent) */
  quality: number;
  hasPartyOrg: boolean;
  countyCode: string;
  /** indices into World.projects, in project order */
  projects: number[];
}

/** Everything the fact streams need about one project, fixed when the masters are built. */
export interface ProjectProfile {
  index: number;
  code: string;
  name: string;
  company: number;
  companyUscc: string;
  role: CompanyRole;
  quality: number;
  households: number;
  occupied: number;
  /** floor area in 0.01 m² (an integer) */
  floorAreaCenti: number;
  hasPartyBranch: boolean;
  /** survey respondents over the year */
  respondents: number;
  /** respondents answering by phone proxy (≤ 5 % of respondents) */
  phoneProxies: number;
  onlineShare: number;
  /** chance that an answer is 4 or 5 (ordinary projects) */
  pHigh: number;
  /** chance that a high answer is 5 rather than 4 */
  p5: number;
  /** planted projects: exact share of answers below 4 (answers drawn by selection sampling) */
  lowShare: number | null;
  /** every answer is 5 */
  allFives: boolean;
  /** 1–4: the quarter without survey answers, fee records and complaints; 0: none */
  gapQuarter: number;
  complaintCount: number;
  /** planted projects: exact number of resolved tickets; null: each resolved with chance pResolved */
  resolvedCount: number | null;
  pResolved: number;
  /** chance of a response within 24 h */
  pFast: number;
  feeRate: number;
  feeRateMin: number;
  feeRateMax: number;
  feeJitter: number;
  /** fee in fen (0.01 yuan) per m² per month */
  priceFen: number;
  /** bit i set: PARTY_FLAG_CODES[i] is 1 for the year */
  flagMask: number;
  /** bit m set (0 = January): at least one joint meeting that month */
  meetingMask: number;
  ratingMean: number;
  ratingMin: number;
  ratingMax: number;
}

export interface PlantedIndices {
  red: number[];
  black: number[];
  veto: number;
  tinyProject: number;
  gapProject: number;
  gapQuarter: number;
}

export interface World {
  scale: SeedScale;
  seed: number;
  year: number;
  key: SeedKey;
  monthCodes: string[];
  streets: StreetRecord[];
  communities: CommunityRecord[];
  companies: CompanyRecord[];
  projects: ProjectRecord[];
  companyProfiles: CompanyProfile[];
  projectProfiles: ProjectProfile[];
  planted: PlantedIndices;
}

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** A unique name drawn by `make`; retries on collision. */
function uniqueName(used: Set<string>, rng: Random, make: (rng: Random) => string | null): string {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const name = make(rng);
    if (name !== null && !used.has(name)) {
      used.add(name);
      return name;
    }
  }
  throw new Error('name space exhausted');
}

interface StreetDraft {
  record: StreetRecord;
  county: County;
  weight: number;
  communities: number[];
  communitySampler: CumulativeSampler | null;
}

function buildStreets(scale: SeedScale, rng: Random): StreetDraft[] {
  const drafts: StreetDraft[] = [];
  if (scale === 'demo') {
    for (const street of DEMO_STREETS) {
      const county = countyByCode(street.county);
      const code = `${county.code}${String(rng.intBetween(1, 20)).padStart(3, '0')}`;
      drafts.push({ record: { code, name: street.name }, county, weight: 1, communities: [], communitySampler: null });
    }
    return drafts;
  }
  const counties = scale === 'city' ? CHENGDU_COUNTIES : SICHUAN_COUNTIES;
  const counts = allocate(
    SCALE_SHAPES[scale].streets,
    counties.map((c) => c.weight),
    1,
  );
  const used = new Set<string>();
  counties.forEach((county, ci) => {
    const count = counts[ci];
    // districts have only 街道; counties have a few 街道 around the seat, the rest towns (镇)
    const subdistricts = county.urban ? count : Math.min(count, 1 + rng.int(3));
    let streetNo = 1 + rng.int(3);
    let townNo = 100 + rng.int(3);
    for (let k = 0; k < count; k++) {
      const isTown = k >= subdistricts;
      const base = uniqueName(used, rng, (r) => {
        const a = r.pick(STREET_FIRST);
        const b = r.pick(STREET_SECOND);
        return a === b ? null : a + b;
      });
      const suffix3 = isTown ? townNo : streetNo;
      if (isTown) townNo += 1 + (rng.chance(0.2) ? 1 : 0);
      else streetNo += 1 + (rng.chance(0.2) ? 1 : 0);
      const weight = Math.exp(0.5 * rng.normal()) * (county.urban ? 1 : 0.6) * (isTown ? 0.4 : 1);
      drafts.push({
        record: { code: `${county.code}${String(suffix3).padStart(3, '0')}`, name: base + (isTown ? '镇' : '街道') },
        county,
        weight,
        communities: [],
        communitySampler: null,
      });
    }
  });
  return drafts;
}

function buildCommunities(scale: SeedScale, streets: StreetDraft[], rng: Random): { records: CommunityRecord[]; weights: number[] } {
  const records: CommunityRecord[] = [];
  const weights: number[] = [];
  const counts =
    scale === 'demo'
      ? DEMO_STREETS.map((s) => s.communities.length)
      : allocate(
          SCALE_SHAPES[scale].communities,
          streets.map((s) => Math.sqrt(s.weight)),
          2,
        );
  const used = new Set<string>();
  streets.forEach((street, si) => {
    let no = 1;
    for (let k = 0; k < counts[si]; k++) {
      const name =
        scale === 'demo'
          ? DEMO_STREETS[si].communities[k]
          : uniqueName(used, rng, (r) => {
              const a = r.pick(COMMUNITY_FIRST);
              const b = r.pick(COMMUNITY_SECOND);
              if (a === b) return null;
              return (r.chance(0.55) ? a + b : a + r.pick(COMMUNITY_MIDDLE) + b) + '社区';
            });
      const index = records.length;
      records.push({ code: `${street.record.code}${String(no).padStart(3, '0')}`, name, streetCode: street.record.code });
      no += 1 + (rng.chance(0.15) ? 1 : 0);
      weights.push(Math.exp(0.7 * rng.normal()));
      street.communities.push(index);
    }
    street.communitySampler = new CumulativeSampler(street.communities.map((c) => weights[c]));
  });
  return { records, weights };
}

function companyProjectCounts(scale: SeedScale, rng: Random): number[] {
  if (scale === 'demo') return rng.shuffle([...DEMO_COMPANY_PROJECT_COUNTS]);
  const { companies, projects } = SCALE_SHAPES[scale];
  // heavy tail: lognormal weights, σ = 1.6, the far tail compressed (median company 2 projects,
  // a few dozen with 100+ and none with more than a few hundred at province scale)
  const weights = Array.from({ length: companies }, () => {
    const z = rng.normal();
    return Math.exp(1.6 * (z > 2.5 ? 2.5 + 0.4 * (z - 2.5) : z));
  });
  return allocate(projects, weights, 1);
}

function assignRoles(counts: number[], rng: Random): { roles: CompanyRole[]; red: number[]; black: number[]; veto: number; tinyHost: number; gapHost: number } {
  const roles = counts.map((): CompanyRole => 'ordinary');
  const candidates = rng.shuffle(counts.flatMap((c, i) => (c >= 2 && c <= 4 ? [i] : [])));
  if (candidates.length < 6) throw new Error('not enough small companies for the planted cases');
  const red = candidates.slice(0, 3).sort((a, b) => a - b);
  const black = candidates.slice(3, 5).sort((a, b) => a - b);
  const veto = candidates[5];
  for (const i of red) roles[i] = 'red';
  for (const i of black) roles[i] = 'black';
  roles[veto] = 'veto';
  // hosts of the tiny-sample and quarter-gap projects: ordinary companies with 3–9 projects
  const hosts = rng.shuffle(counts.flatMap((c, i) => (roles[i] === 'ordinary' && c >= 3 && c <= 9 ? [i] : [])));
  if (hosts.length < 2) throw new Error('not enough ordinary companies for the planted projects');
  return { roles, red, black, veto, tinyHost: hosts[0], gapHost: hosts[1] };
}

function companyQuality(scale: SeedScale, role: CompanyRole, rng: Random): number {
  switch (role) {
    case 'red':
      return 0.95;
    case 'black':
      return 0.1;
    case 'veto':
      return 0.75;
    case 'ordinary': {
      const centre = (rng.next() + rng.next()) / 2;
      if (scale === 'demo') return 0.5 + 0.2 * centre;
      const tail = rng.next();
      if (tail < 0.05) return 0.05 + 0.25 * rng.next(); // weak companies
      if (tail < 0.09) return 0.85 + 0.15 * rng.next(); // excellent companies
      return 0.4 + 0.4 * centre;
    }
  }
}

function makeUscc(county: County, used: Set<string>, rng: Random): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < 8; i++) body += String(rng.int(10));
    if (used.has(body)) continue;
    used.add(body);
    const first17 = `91${county.code}${body}${organisationCodeCheckCharacter(body)}`;
    return first17 + usccCheckCharacter(first17)!;
  }
}

function companyName(county: County, projectCount: number, used: Set<string>, rng: Random): string {
  return uniqueName(used, rng, (r) => {
    const a = r.pick(COMPANY_FIRST);
    const b = r.pick(COMPANY_SECOND);
    if (a === b) return null;
    const place = r.chance(0.35) ? '四川' : PREFECTURES[county.prefecture];
    const suffix = projectCount >= 50 && r.chance(0.6) ? COMPANY_GROUP_SUFFIX : r.pick(COMPANY_SUFFIXES);
    return place + a + b + suffix;
  });
}

function projectName(used: Set<string>, rng: Random): string {
  return uniqueName(used, rng, (r) => {
    const a = r.pick(PROJECT_FIRST);
    const b = r.pick(PROJECT_SECOND);
    const suffix = r.pick(PROJECT_SUFFIXES);
    if (a === b || b === suffix[0]) return null;
    return a + b + suffix;
  });
}

interface ProjectDraft {
  company: number;
  street: number;
  community: number;
  order: number;
  households: number;
  occupied: number;
  floorAreaCenti: number;
}

export function buildWorld(scale: SeedScale, seed: number, year: number): World {
  const key = new SeedKey(seed);
  const rng = key.stream('masters');

  // streets and communities
  const streetDrafts = buildStreets(scale, rng);
  const { records: communities } = buildCommunities(scale, streetDrafts, rng);
  const streetSampler = new CumulativeSampler(streetDrafts.map((s) => s.weight));
  const countyCodes = [...new Set(streetDrafts.map((s) => s.county.code))];
  const countyStreets = new Map<string, number[]>(countyCodes.map((c) => [c, []]));
  streetDrafts.forEach((s, i) => countyStreets.get(s.county.code)!.push(i));
  const countySamplers = new Map<string, CumulativeSampler>(
    countyCodes.map((c) => [c, new CumulativeSampler(countyStreets.get(c)!.map((i) => streetDrafts[i].weight))]),
  );
  const countyWeights = countyCodes.map((c) => countyStreets.get(c)!.reduce((s, i) => s + streetDrafts[i].weight, 0));
  const countySampler = new CumulativeSampler(countyWeights);

  // companies
  const counts = companyProjectCounts(scale, rng);
  const { roles, red, black, veto, tinyHost, gapHost } = assignRoles(counts, rng);
  const usedBodies = new Set<string>();
  const usedCompanyNames = new Set<string>();
  const companyProfiles: CompanyProfile[] = counts.map((count, index) => {
    const role = roles[index];
    const quality = companyQuality(scale, role, rng);
    const county = countyByCode(countyCodes[countySampler.sample(rng)]);
    const hasPartyOrg =
      role === 'red' || role === 'veto' ? true : role === 'black' ? false : rng.chance(clamp(0.3 + 0.1 * Math.min(count, 6) + 0.2 * quality, 0, 0.97));
    return {
      index,
      uscc: makeUscc(county, usedBodies, rng),
      name: companyName(county, count, usedCompanyNames, rng),
      role,
      quality,
      hasPartyOrg,
      countyCode: county.code,
      projects: [],
    };
  });

  // project placement: mostly in the company's home county, big companies spread wider
  const drafts: ProjectDraft[] = [];
  companyProfiles.forEach((company, ci) => {
    const count = counts[ci];
    const pHome = count <= 5 ? 0.85 : count <= 30 ? 0.6 : 0.35;
    for (let k = 0; k < count; k++) {
      const home = countyStreets.get(company.countyCode)!;
      const street = k === 0 || rng.chance(pHome) ? home[countySamplers.get(company.countyCode)!.sample(rng)] : streetSampler.sample(rng);
      const sd = streetDrafts[street];
      const community = sd.communities[sd.communitySampler!.sample(rng)];
      const households = Math.round(clamp(225 * Math.exp(0.75 * rng.normal()), 30, 5000));
      const occupied = clamp(Math.round(households * rng.between(0.85, 0.98)), 1, households);
      const floorAreaCenti = Math.round(households * rng.between(82, 135) * 100);
      drafts.push({ company: ci, street, community, order: drafts.length, households, occupied, floorAreaCenti });
    }
  });
  drafts.sort((x, y) => x.street - y.street || x.community - y.community || x.order - y.order);

  // planted projects: the tiny sample (the host's smallest estate) and the quarter gap, each in its own ordinary company
  const tinyDraft = drafts.filter((d) => d.company === tinyHost).reduce((a, b) => (b.households < a.households ? b : a));
  const gapDraft = drafts.find((d) => d.company === gapHost)!;
  const gapQuarter = 1 + rng.int(4);

  const usedProjectNames = new Set<string>();
  const projects: ProjectRecord[] = [];
  const projectProfiles: ProjectProfile[] = [];
  let tinyProject = -1;
  let gapProject = -1;
  drafts.forEach((d, index) => {
    const company = companyProfiles[d.company];
    const code = `XM${String(10_000_001 + index)}`;
    const name = projectName(usedProjectNames, rng);
    const profile = projectProfile(key.stream('profile', index), {
      index,
      code,
      name,
      company,
      households: d.households,
      occupied: d.occupied,
      floorAreaCenti: d.floorAreaCenti,
      tiny: d === tinyDraft,
      gapQuarter: d === gapDraft ? gapQuarter : 0,
      satisfactionCap: scale === 'demo' ? 0.86 : 0.99,
    });
    if (d === tinyDraft) tinyProject = index;
    if (d === gapDraft) gapProject = index;
    company.projects.push(index);
    projectProfiles.push(profile);
    projects.push({
      code,
      name,
      streetCode: streetDrafts[d.street].record.code,
      communityCode: communities[d.community].code,
      companyUscc: company.uscc,
      households: d.households,
      occupiedHouseholds: d.occupied,
      floorAreaM2: d.floorAreaCenti / 100,
      hasPartyBranch: profile.hasPartyBranch,
    });
  });

  const monthCodes = Array.from({ length: 12 }, (_, m) => monthCode(year, m + 1));
  return {
    scale,
    seed,
    year,
    key,
    monthCodes,
    streets: streetDrafts.map((s) => s.record),
    communities,
    companies: companyProfiles.map((c) => ({ uscc: c.uscc, name: c.name, hasPartyOrg: c.hasPartyOrg })),
    projects,
    companyProfiles,
    projectProfiles,
    planted: { red, black, veto, tinyProject, gapProject, gapQuarter },
  };
}

interface ProfileInput {
  index: number;
  code: string;
  name: string;
  company: CompanyProfile;
  households: number;
  occupied: number;
  floorAreaCenti: number;
  tiny: boolean;
  gapQuarter: number;
  /** highest chance of a high answer for an ordinary project (demo: below the red list's 90 %) */
  satisfactionCap: number;
}

/** The default minimum sample: max(30, 10 % of occupied households). */
export function minimumSample(occupied: number): number {
  return Math.max(30, Math.ceil(occupied / 10));
}

/** The role-dependent part of a profile. */
type ProfileParameters = Omit<
  ProjectProfile,
  | 'index'
  | 'code'
  | 'name'
  | 'company'
  | 'companyUscc'
  | 'role'
  | 'quality'
  | 'households'
  | 'occupied'
  | 'floorAreaCenti'
  | 'onlineShare'
  | 'gapQuarter'
  | 'phoneProxies'
>;

function projectProfile(rng: Random, input: ProfileInput): ProjectProfile {
  const { company, households, occupied } = input;
  const role = company.role;
  const q = clamp(company.quality + (role === 'ordinary' ? 0.05 * rng.normal() : 0), 0, 1);
  const onlineShare = rng.between(0.2, 0.6);
  const x = role === 'ordinary' ? ordinaryParameters(rng, input, q) : plantedParameters(rng, role, households, minimumSample(occupied));
  // one literal with every field, so that all profiles share one object shape
  return {
    index: input.index,
    code: input.code,
    name: input.name,
    company: company.index,
    companyUscc: company.uscc,
    role,
    quality: q,
    households,
    occupied,
    floorAreaCenti: input.floorAreaCenti,
    hasPartyBranch: x.hasPartyBranch,
    respondents: x.respondents,
    phoneProxies: Math.floor(x.respondents * 0.05 * rng.next()),
    onlineShare,
    pHigh: x.pHigh,
    p5: x.p5,
    lowShare: x.lowShare,
    allFives: x.allFives,
    gapQuarter: input.gapQuarter,
    complaintCount: x.complaintCount,
    resolvedCount: x.resolvedCount,
    pResolved: x.pResolved,
    pFast: x.pFast,
    feeRate: x.feeRate,
    feeRateMin: x.feeRateMin,
    feeRateMax: x.feeRateMax,
    feeJitter: x.feeJitter,
    priceFen: x.priceFen,
    flagMask: x.flagMask,
    meetingMask: x.meetingMask,
    ratingMean: x.ratingMean,
    ratingMin: x.ratingMin,
    ratingMax: x.ratingMax,
  };
}

/**
 * Planted companies: fixed parameters and exact quotas (share of low answers, tickets per
 * 100 households, resolved tickets), so that their scores do not depend on luck. The
 * intended points per part are in seeds/README.md.
 */
function plantedParameters(rng: Random, role: Exclude<CompanyRole, 'ordinary'>, households: number, target: number): ProfileParameters {
  const respondents = target + rng.intBetween(2, 6);
  switch (role) {
    case 'red': {
      const complaintCount = Math.floor((households * 0.7) / 100);
      return {
        respondents,
        allFives: false,
        hasPartyBranch: true,
        pHigh: 0.97,
        p5: 0.8,
        lowShare: 0.03,
        complaintCount,
        resolvedCount: complaintCount,
        pResolved: 1,
        pFast: 0.98,
        feeRate: 0.985,
        feeRateMin: 0.97,
        feeRateMax: 0.997,
        feeJitter: 0.006,
        priceFen: rng.intBetween(220, 350),
        flagMask: ALL_FLAGS,
        meetingMask: ALL_MONTHS,
        ratingMean: 4.75,
        ratingMin: 4.5,
        ratingMax: 5,
      };
    }
    case 'black': {
      const complaintCount = Math.ceil((households * 5) / 100);
      return {
        respondents,
        allFives: false,
        hasPartyBranch: false,
        pHigh: 0.76,
        p5: 0.3,
        lowShare: 0.24,
        complaintCount,
        resolvedCount: Math.floor(complaintCount * 0.84),
        pResolved: 0.84,
        pFast: 0.7,
        feeRate: 0.83,
        feeRateMin: 0.81,
        feeRateMax: 0.845,
        feeJitter: 0.006,
        priceFen: rng.intBetween(120, 180),
        flagMask: flagBit('six_haves_venue') | flagBit('six_haves_sign') | flagBit('six_haves_rules') | flagBit('party_instructor'),
        meetingMask: sporadicMonths(rng, 4),
        ratingMean: 2.6,
        ratingMin: 2.2,
        ratingMax: 3,
      };
    }
    case 'veto': {
      const complaintCount = Math.floor((households * 1.5) / 100);
      return {
        respondents,
        allFives: false,
        hasPartyBranch: true,
        pHigh: 0.88,
        p5: 0.5,
        lowShare: 0.12,
        complaintCount,
        resolvedCount: Math.ceil(complaintCount * 0.96),
        pResolved: 0.96,
        pFast: 0.92,
        feeRate: 0.945,
        feeRateMin: 0.93,
        feeRateMax: 0.96,
        feeJitter: 0.006,
        priceFen: rng.intBetween(180, 280),
        flagMask: ALL_FLAGS & ~flagBit('cross_appointment'),
        meetingMask: ALL_MONTHS,
        ratingMean: 4.1,
        ratingMin: 3.8,
        ratingMax: 4.4,
      };
    }
  }
}

/** Ordinary projects: every parameter follows the company's quality q, with noise. */
function ordinaryParameters(rng: Random, input: ProfileInput, q: number): ProfileParameters {
  const { households, occupied } = input;
  const target = minimumSample(occupied);
  // respondents: most projects reach the minimum sample, about one in twelve falls short
  const respondents = input.tiny ? 8 : rng.chance(0.08) ? Math.max(10, Math.floor(target * rng.between(0.7, 0.97))) : target + rng.intBetween(0, 8);
  const hasPartyBranch = rng.chance(clamp(0.3 + 0.55 * q + (households > 500 ? 0.1 : 0), 0, 0.98));
  const pFlag = clamp(0.4 + 0.55 * q + (hasPartyBranch ? 0.1 : -0.15), 0.05, 0.98);
  let flagMask = 0;
  for (let i = 0; i < PARTY_FLAG_CODES.length; i++) if (rng.chance(pFlag)) flagMask |= 1 << i;
  const pMeet = clamp(0.78 + 0.24 * q, 0, 1);
  let meetingMask = 0;
  for (let m = 0; m < 12; m++) if (rng.chance(pMeet)) meetingMask |= 1 << m;
  const complaintsPer100 = Math.max(0.2, (3.6 - 3 * q) * Math.exp(0.3 * rng.normal()));
  const monthsCovered = input.gapQuarter ? 9 : 12;
  return {
    respondents,
    allFives: input.tiny,
    hasPartyBranch,
    pHigh: clamp(0.74 + 0.22 * q + 0.025 * rng.normal(), 0.4, input.satisfactionCap),
    p5: clamp(0.3 + 0.45 * q, 0.1, 0.9),
    lowShare: null,
    complaintCount: rng.poisson(((households * complaintsPer100) / 100) * (monthsCovered / 12)),
    resolvedCount: null,
    pResolved: clamp(0.93 + 0.06 * q + 0.015 * rng.normal(), 0.5, 1),
    pFast: clamp(0.78 + 0.2 * q, 0, 0.99),
    feeRate: clamp(0.85 + 0.12 * q + 0.015 * rng.normal(), 0.6, 0.995),
    feeRateMin: 0.5,
    feeRateMax: 1,
    feeJitter: 0.015,
    priceFen: 120 + Math.round(Math.pow(rng.next(), 1.5) * 160 + 70 * q),
    flagMask,
    meetingMask,
    ratingMean: clamp(3 + 1.6 * q + 0.2 * rng.normal(), 1.5, 4.9),
    ratingMin: 1,
    ratingMax: 5,
  };
}

/** A month mask with `count` random months set. */
function sporadicMonths(rng: Random, count: number): number {
  const months = rng.shuffle(Array.from({ length: 12 }, (_, m) => m)).slice(0, count);
  return months.reduce((mask, m) => mask | (1 << m), 0);
}
