import type { CompanyMetrics, ProjectMetrics } from './metrics.js';

/** Plain metrics with defaults that score a solid project; tests override what they examine. */
export function aProjectMetrics(overrides: Partial<ProjectMetrics> = {}): ProjectMetrics {
  return {
    projectId: 1,
    projectCode: 'XM00000001',
    projectName: '锦江花园',
    companyId: 1,
    companyUscc: '91510104100000018J',
    streetCode: '510104001',
    communityCode: '510104001001',
    households: 500,
    occupiedHouseholds: 400,
    floorAreaM2: 50000,
    hasPartyBranch: true,
    companyHasPartyOrg: true,
    survey: { respondents: 100, answers: 800, positiveAnswers: 760, phoneProxyRespondents: 0 },
    complaints: { tickets: 5, respondedInTime: 5, resolved: 5, revisited: 5, revisitSatisfied: 5 },
    fees: { months: 12, householdsBilled: 4800, householdsPaid: 4560, billedAmount: 1_000_000, collectedAmount: 950_000 },
    partyFlags: {
      six_haves_venue: 1,
      six_haves_facilities: 1,
      six_haves_sign: 1,
      six_haves_flag: 1,
      six_haves_reading: 1,
      six_haves_rules: 1,
      cross_appointment: 1,
      party_instructor: 1,
    },
    jointMeetingMonths: 12,
    threeParty: { mean: 5, year: 2025, ratings: 2 },
    events: {},
    ...overrides,
  };
}

export function aCompanyMetrics(overrides: Partial<CompanyMetrics> = {}): CompanyMetrics {
  return {
    companyId: 1,
    uscc: '91510104100000018J',
    name: '四川蜀信物业服务有限公司',
    hasPartyOrg: true,
    events: {},
    eventsInRecordWindow: {},
    complaintQuarters: [],
    ...overrides,
  };
}
