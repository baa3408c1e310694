/**
 * Deterministic seed data for redprop: master data for streets, communities, companies and
 * projects, and one year of facts per project, streamed lazily. The same options always give
 * the same records; see seeds/README.md for the planted cases and what they should score.
 */
import type {
  CommunityRecord,
  ComplaintRecord,
  CompanyRecord,
  EventRecord,
  FeeRecord,
  PartyCheckRecord,
  ProjectRecord,
  RatingRecord,
  StreetRecord,
  SurveyAnswerRecord,
} from '../../src/intake/records.js';
import { complaints, events, fees, partyChecks, ratings, surveyAnswers } from './facts.js';
import { buildWorld, type SeedScale } from './world.js';

export type { SeedScale } from './world.js';

export interface SeedOptions {
  scale: SeedScale;
  /** any safe integer */
  seed: number;
  /** the year of facts, 2000–2099; default 2025 */
  year?: number;
}

export interface PlantedCases {
  /** USCCs designed to land on the red list (红榜) */
  redListCompanies: string[];
  /** USCCs designed to be grade C with bad records → black list (not counting the veto one) */
  blackListCompanies: string[];
  /** USCC with a veto-class event (maintenance_fund_misuse) in the year, otherwise decent scores */
  vetoCompany: string;
  /** project code with 8 survey respondents in the year, all answering 5 */
  tinySampleProject: string;
  /** no survey answer, no fee record and no complaint in that quarter (e.g. `2025-Q2`) */
  quarterGapProject: { projectCode: string; quarter: string };
}

export interface GeneratedDataset {
  scale: SeedScale;
  seed: number;
  year: number;
  streets: StreetRecord[];
  communities: CommunityRecord[];
  companies: CompanyRecord[];
  projects: ProjectRecord[];
  /** each call starts a fresh, identical stream */
  surveyAnswers(): Iterable<SurveyAnswerRecord>;
  complaints(): Iterable<ComplaintRecord>;
  fees(): Iterable<FeeRecord>;
  partyChecks(): Iterable<PartyCheckRecord>;
  events(): Iterable<EventRecord>;
  ratings(): Iterable<RatingRecord>;
  planted: PlantedCases;
}

const SCALES: readonly SeedScale[] = ['demo', 'city', 'province'];

export function generateDataset(options: SeedOptions): GeneratedDataset {
  const { scale, seed } = options;
  const year = options.year ?? 2025;
  if (!SCALES.includes(scale)) throw new RangeError(`unknown seed scale ${String(scale)}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  if (!Number.isInteger(year) || year < 2000 || year > 2099) throw new RangeError(`year must be 2000–2099, got ${year}`);

  const world = buildWorld(scale, seed, year);
  const { planted } = world;
  const companyUscc = (index: number) => world.companyProfiles[index].uscc;
  return {
    scale,
    seed,
    year,
    streets: world.streets,
    communities: world.communities,
    companies: world.companies,
    projects: world.projects,
    surveyAnswers: () => surveyAnswers(world),
    complaints: () => complaints(world),
    fees: () => fees(world),
    partyChecks: () => partyChecks(world),
    events: () => events(world),
    ratings: () => ratings(world),
    planted: {
      redListCompanies: planted.red.map(companyUscc),
      blackListCompanies: planted.black.map(companyUscc),
      vetoCompany: companyUscc(planted.veto),
      tinySampleProject: world.projectProfiles[planted.tinyProject].code,
      quarterGapProject: {
        projectCode: world.projectProfiles[planted.gapProject].code,
        quarter: `${year}-Q${planted.gapQuarter}`,
      },
    },
  };
}
