import type {
  ComplaintCategory,
  EventKind,
  HonourLevel,
  PartyIndicatorCode,
  PartyScope,
  RaterRole,
  RevisitVerdict,
  SurveyChannel,
} from '../domain/vocabulary.js';

/**
 * Records as they arrive (from files, the API or the seed generator), referring to each
 * other by natural keys: street and community codes, 统一社会信用代码, project codes.
 * Typed loosely on purpose where users type values: validation decides what is acceptable.
 */
export interface StreetRecord {
  code: string;
  name: string;
}
export interface CommunityRecord {
  code: string;
  name: string;
  streetCode: string;
}
export interface CompanyRecord {
  uscc: string;
  name: string;
  hasPartyOrg: boolean;
}
export interface ProjectRecord {
  code: string;
  name: string;
  streetCode: string;
  communityCode: string;
  companyUscc: string;
  households: number;
  occupiedHouseholds: number;
  floorAreaM2: number;
  hasPartyBranch: boolean;
}
export interface SurveyAnswerRecord {
  projectCode: string;
  /** `YYYY-MM`, the month the questionnaire was answered */
  month: string;
  respondentNo: number;
  questionNo: number;
  answer: number;
  channel: SurveyChannel;
}
export interface ComplaintRecord {
  ticketNo: string;
  projectCode: string;
  receivedAt: Date;
  respondedAt: Date | null;
  resolvedAt: Date | null;
  category: ComplaintCategory;
  resolved: boolean;
  revisitVerdict: RevisitVerdict | null;
}
export interface FeeRecord {
  projectCode: string;
  month: string;
  /** yuan, at most two decimals */
  billedAmount: number;
  collectedAmount: number;
  householdsBilled: number;
  householdsPaid: number;
}
export interface PartyCheckRecord {
  scope: PartyScope;
  projectCode: string | null;
  companyUscc: string | null;
  period: string;
  indicatorCode: PartyIndicatorCode;
  value: number;
  evidence: string | null;
}
export interface EventRecord {
  eventNo: string;
  kind: EventKind;
  companyUscc: string;
  projectCode: string | null;
  /** `YYYY-MM-DD` */
  occurredOn: string;
  honourLevel: HonourLevel | null;
  /** who reported it, e.g. 街道记分建议, 区住建局 */
  source: string;
  description: string;
  evidence: string | null;
}
export interface RatingRecord {
  projectCode: string;
  /** the year rated, e.g. `2025` */
  period: string;
  raterRole: RaterRole;
  rating: number;
}

export interface RecordTypes {
  streets: StreetRecord;
  communities: CommunityRecord;
  companies: CompanyRecord;
  projects: ProjectRecord;
  surveyAnswers: SurveyAnswerRecord;
  complaints: ComplaintRecord;
  fees: FeeRecord;
  partyChecks: PartyCheckRecord;
  events: EventRecord;
  ratings: RatingRecord;
}
export type RecordKind = keyof RecordTypes;

export const MASTER_KINDS = ['streets', 'communities', 'companies', 'projects'] as const satisfies RecordKind[];
export const FACT_KINDS = ['surveyAnswers', 'complaints', 'fees', 'partyChecks', 'events', 'ratings'] as const satisfies RecordKind[];
export type MasterKind = (typeof MASTER_KINDS)[number];
export type FactKind = (typeof FACT_KINDS)[number];

/** Where a record came from, so that a fault can name it: file, sheet and row when there are any. */
export interface RecordOrigin {
  file?: string;
  sheet?: string;
  row?: number;
}

export interface Sourced<T> {
  record: T;
  origin?: RecordOrigin;
}

/**
 * A load: master data as arrays (small even at province scale), facts as streams
 * (a province has millions of survey answers).
 */
export type RecordBatch = {
  [K in MasterKind]?: readonly Sourced<RecordTypes[K]>[];
} & {
  [K in FactKind]?: Iterable<Sourced<RecordTypes[K]>> | AsyncIterable<Sourced<RecordTypes[K]>>;
};

export const RECORD_LABELS: Record<RecordKind, string> = {
  streets: '街道',
  communities: '社区',
  companies: '物业服务企业',
  projects: '物业项目',
  surveyAnswers: '满意度调查答卷',
  complaints: '投诉工单',
  fees: '物业费收缴',
  partyChecks: '党建指标',
  events: '加减分事件',
  ratings: '三方互评',
};
