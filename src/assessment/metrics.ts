import type { EventKind, HonourLevel, PartyIndicatorCode } from '../domain/vocabulary.js';

/**
 * Raw measurements of one project over one assessment period, as counts and sums taken
 * set-based in SQL. Rates are derived from them in the pure core (one exact division each),
 * so that band edges compare the same on every backend.
 */
export interface ProjectMetrics {
  projectId: number;
  projectCode: string;
  projectName: string;
  companyId: number;
  companyUscc: string;
  streetCode: string;
  communityCode: string;
  households: number;
  occupiedHouseholds: number;
  floorAreaM2: number;
  hasPartyBranch: boolean;
  companyHasPartyOrg: boolean;
  survey: {
    /** distinct (month, respondent) questionnaires in the period */
    respondents: number;
    answers: number;
    /** answers at or above the rule set's positive threshold (4 by default) */
    positiveAnswers: number;
    phoneProxyRespondents: number;
  };
  complaints: {
    /** tickets received in the period (dates in the configured time zone) */
    tickets: number;
    /** responded within the rule set's response window (24 h by default) of receipt */
    respondedInTime: number;
    resolved: number;
    /** tickets with a revisit verdict other than unreachable */
    revisited: number;
    /** of those, satisfied or basically satisfied */
    revisitSatisfied: number;
  };
  fees: {
    /** months with a fee record in the period */
    months: number;
    householdsBilled: number;
    householdsPaid: number;
    billedAmount: number;
    collectedAmount: number;
  };
  /**
   * Party-building checklist of the project: for a flag, the value of the record whose period
   * lies within the assessed period (else: overlaps it) and ends last, the shorter period on a
   * tie; absent when none.
   */
  partyFlags: Partial<Record<PartyIndicatorCode, number>>;
  /** months of the period with at least one joint meeting recorded for that month */
  jointMeetingMonths: number;
  threeParty: {
    /** mean of the ratings of the latest rated year not after the period's year; null when none */
    mean: number | null;
    year: number | null;
    ratings: number;
  };
  /** project-level events that occurred in the period, by kind (honours by level separately) */
  events: EventCounts;
}

export type EventCounts = Partial<Record<EventKind, number>> & { honourByLevel?: Partial<Record<HonourLevel, number>> };

export interface CompanyMetrics {
  companyId: number;
  uscc: string;
  name: string;
  hasPartyOrg: boolean;
  /** company-level events (no project) that occurred in the period */
  events: EventCounts;
  /** events of any level (company or its projects) in the bad-record window ending at the period's end */
  eventsInRecordWindow: EventCounts;
  /** complaint tickets and households of the company's projects in scope, for the last two quarters ending with the period */
  complaintQuarters: { quarter: string; tickets: number; households: number }[];
}

/** The scheme numbers the SQL needs; they come from the rule set, never from code. */
export interface MetricParameters {
  positiveAnswerMin: number;
  responseWindowHours: number;
  badRecordWindowMonths: number;
}

export interface MetricScope {
  period: string;
  /** a street code, or null for every street */
  streetCode: string | null;
}
