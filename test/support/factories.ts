import { organisationCodeCheckCharacter, usccCheckCharacter } from '../../src/domain/uscc.js';
import type {
  CommunityRecord,
  CompanyRecord,
  ComplaintRecord,
  EventRecord,
  FeeRecord,
  PartyCheckRecord,
  ProjectRecord,
  RatingRecord,
  StreetRecord,
  SurveyAnswerRecord,
} from '../../src/intake/records.js';

/** A valid 统一社会信用代码 for a sequence number. */
export function validUscc(sequence: number): string {
  const body = String(10000000 + sequence).slice(-8);
  const first17 = `91510104${body}${organisationCodeCheckCharacter(body)}`;
  return first17 + usccCheckCharacter(first17);
}

export const aStreet = (o: Partial<StreetRecord> = {}): StreetRecord => ({ code: '510104001', name: '草堂街道', ...o });
export const aCommunity = (o: Partial<CommunityRecord> = {}): CommunityRecord => ({
  code: '510104001001',
  name: '浣花社区',
  streetCode: '510104001',
  ...o,
});
export const aCompany = (o: Partial<CompanyRecord> = {}): CompanyRecord => ({
  uscc: validUscc(1),
  name: '四川蜀信物业服务有限公司',
  hasPartyOrg: true,
  ...o,
});
export const aProject = (o: Partial<ProjectRecord> = {}): ProjectRecord => ({
  code: 'XM00000001',
  name: '锦江花园',
  streetCode: '510104001',
  communityCode: '510104001001',
  companyUscc: validUscc(1),
  households: 500,
  occupiedHouseholds: 460,
  floorAreaM2: 52000.5,
  hasPartyBranch: true,
  ...o,
});
export const aSurveyAnswer = (o: Partial<SurveyAnswerRecord> = {}): SurveyAnswerRecord => ({
  projectCode: 'XM00000001',
  month: '2025-03',
  respondentNo: 1,
  questionNo: 1,
  answer: 5,
  channel: 'door_to_door',
  ...o,
});
export const aComplaint = (o: Partial<ComplaintRecord> = {}): ComplaintRecord => ({
  ticketNo: 'T2025-0000001',
  projectCode: 'XM00000001',
  receivedAt: new Date('2025-03-04T01:30:00Z'),
  respondedAt: new Date('2025-03-04T03:00:00Z'),
  resolvedAt: new Date('2025-03-05T08:00:00Z'),
  category: 'repair',
  resolved: true,
  revisitVerdict: 'satisfied',
  ...o,
});
export const aFee = (o: Partial<FeeRecord> = {}): FeeRecord => ({
  projectCode: 'XM00000001',
  month: '2025-03',
  billedAmount: 120000,
  collectedAmount: 110500.5,
  householdsBilled: 460,
  householdsPaid: 431,
  ...o,
});
export const aPartyCheck = (o: Partial<PartyCheckRecord> = {}): PartyCheckRecord => ({
  scope: 'project',
  projectCode: 'XM00000001',
  companyUscc: null,
  period: '2025',
  indicatorCode: 'six_haves_venue',
  value: 1,
  evidence: '党群服务站照片',
  ...o,
});
export const anEvent = (o: Partial<EventRecord> = {}): EventRecord => ({
  eventNo: 'E2025-000001',
  kind: 'finding',
  companyUscc: validUscc(1),
  projectCode: 'XM00000001',
  occurredOn: '2025-05-12',
  honourLevel: null,
  source: '街道记分建议',
  description: '占用消防通道',
  evidence: '〔2025〕第12号',
  ...o,
});
export const aRating = (o: Partial<RatingRecord> = {}): RatingRecord => ({
  projectCode: 'XM00000001',
  period: '2025',
  raterRole: 'owners_committee',
  rating: 4.5,
  ...o,
});

/** The master data the fact factories refer to. */
export function baseMasters() {
  return {
    streets: [{ record: aStreet() }],
    communities: [{ record: aCommunity() }],
    companies: [{ record: aCompany() }],
    projects: [{ record: aProject() }],
  };
}
