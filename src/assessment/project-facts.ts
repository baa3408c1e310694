import { monthCount, type Period } from '../domain/period.js';
import type { Facts, FactValue } from '../rules/rule-json.js';
import type { RuleSetParameters } from '../rules/rule-set.js';
import { note, type Note } from './notes.js';
import { EVENT_FACTS, HONOUR_FACTS } from './facts.js';
import type { EventCounts, ProjectMetrics } from './metrics.js';

/** Wilson score interval lower bound for a share p observed over n. */
export function wilsonLowerBound(p: number, n: number, z: number): number {
  if (n <= 0) return 0;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

export function eventFacts(events: EventCounts): Record<string, number> {
  const facts: Record<string, number> = {};
  for (const [kind, fact] of Object.entries(EVENT_FACTS)) facts[fact] = events[kind as keyof typeof EVENT_FACTS] ?? 0;
  for (const [level, fact] of Object.entries(HONOUR_FACTS)) facts[fact] = events.honourByLevel?.[level as keyof typeof HONOUR_FACTS] ?? 0;
  return facts;
}

export interface ProjectFactsResult {
  assessed: boolean;
  facts: Facts;
  notes: Note[];
}

/**
 * Turns raw counts into the facts rules read. Every rate is one division of exact counts,
 * so a band edge (95 % exactly) compares the same everywhere; rates are never rounded here.
 */
export function projectFacts(m: ProjectMetrics, period: Period, parameters: RuleSetParameters): ProjectFactsResult {
  const notes: Note[] = [];
  const assessed = m.survey.answers > 0 || m.fees.months > 0;
  if (!assessed) notes.push(note('project.notAssessed', {}));

  const s = parameters.satisfaction;
  const rawRate = ratio(m.survey.positiveAnswers, m.survey.answers);
  const minimumSample = Math.max(s.minimumSample.respondents, s.minimumSample.shareOfOccupiedHouseholds * m.occupiedHouseholds);
  const smallSample = rawRate !== null && m.survey.respondents < minimumSample;
  const wilson = rawRate === null ? null : wilsonLowerBound(rawRate, m.survey.respondents, s.wilsonZ);
  const satisfactionRate = smallSample ? wilson : rawRate;
  if (smallSample) {
    notes.push(note('project.smallSample', { respondents: m.survey.respondents, minimumSample, wilsonZ: s.wilsonZ, wilsonBound: wilson!, rawRate }));
  }
  if (assessed && m.survey.answers === 0) notes.push(note('project.noSurvey', {}));
  if (assessed && m.fees.months === 0) notes.push(note('project.noFees', {}));

  const months = monthCount(period);
  const flag = (code: keyof ProjectMetrics['partyFlags']): FactValue => m.partyFlags[code] ?? null;
  const facts: Record<string, FactValue> = {
    periodMonths: months,
    households: m.households,
    occupiedHouseholds: m.occupiedHouseholds,
    satisfactionRate,
    satisfactionRawRate: rawRate,
    satisfactionWilsonBound: wilson,
    smallSample,
    surveyRespondents: m.survey.respondents,
    surveyAnswers: m.survey.answers,
    surveyPositiveAnswers: m.survey.positiveAnswers,
    surveyMinimumSample: minimumSample,
    surveyCoverage: ratio(m.survey.respondents, m.occupiedHouseholds),
    phoneProxyShare: ratio(m.survey.phoneProxyRespondents, m.survey.respondents),
    complaintTickets: m.complaints.tickets,
    complaintsPer100HouseholdsYear: ratio(m.complaints.tickets * 1200, m.households * months),
    responseInTimeRate: ratio(m.complaints.respondedInTime, m.complaints.tickets),
    resolutionRate: ratio(m.complaints.resolved, m.complaints.tickets),
    revisitSatisfactionRate: ratio(m.complaints.revisitSatisfied, m.complaints.revisited),
    feeMonths: m.fees.months,
    feeCollectionRateByHousehold: ratio(m.fees.householdsPaid, m.fees.householdsBilled),
    feeCollectionRateByAmount: ratio(Math.round(m.fees.collectedAmount * 100), Math.round(m.fees.billedAmount * 100)),
    hasCompanyPartyOrg: m.companyHasPartyOrg,
    hasPartyBranch: m.hasPartyBranch,
    sixHavesVenue: flag('six_haves_venue'),
    sixHavesFacilities: flag('six_haves_facilities'),
    sixHavesSign: flag('six_haves_sign'),
    sixHavesFlag: flag('six_haves_flag'),
    sixHavesReading: flag('six_haves_reading'),
    sixHavesRules: flag('six_haves_rules'),
    crossAppointment: flag('cross_appointment'),
    partyInstructor: flag('party_instructor'),
    membersShowIdentity: flag('members_show_identity'),
    jointMeetingMonths: m.jointMeetingMonths,
    threePartyMean: m.threeParty.mean,
    ...eventFacts(m.events),
  };
  return { assessed, facts, notes };
}

/**
 * Sets a corrected fact. A corrected satisfaction rate of a project whose sample was too small is
 * a corrected raw rate: it goes through the same Wilson bound as the measured one, so an appeal
 * cannot let a tiny sample beat a large one.
 */
export function setCorrectedFact(facts: Record<string, FactValue>, fact: string, value: FactValue, parameters: RuleSetParameters): void {
  if (
    (fact === 'satisfactionRate' || fact === 'satisfactionRawRate') &&
    facts.smallSample === true &&
    typeof value === 'number' &&
    typeof facts.surveyRespondents === 'number'
  ) {
    const bound = wilsonLowerBound(value, facts.surveyRespondents, parameters.satisfaction.wilsonZ);
    facts.satisfactionRawRate = value;
    facts.satisfactionWilsonBound = bound;
    facts.satisfactionRate = bound;
    return;
  }
  facts[fact] = value;
}
