import type { EventKind, HonourLevel } from '../domain/vocabulary.js';

/**
 * The facts rules may read, by stage, with the Chinese labels the explanation prints.
 * A rule that names any other fact is refused before a run starts.
 */
export const EVENT_FACTS: Record<Exclude<EventKind, 'honour'>, string> = {
  administrative_penalty: 'administrativePenalties',
  public_criticism: 'publicCriticisms',
  safety_incident: 'safetyIncidents',
  finding: 'findings',
  tech_innovation: 'techInnovations',
  demonstration_site: 'demonstrationSites',
  maintenance_fund_misuse: 'maintenanceFundMisuses',
  major_safety_accident: 'majorSafetyAccidents',
  refusing_inspection: 'refusedInspections',
  serious_dishonesty: 'seriousDishonesties',
};
export const HONOUR_FACTS: Record<HonourLevel, string> = {
  district: 'honoursDistrict',
  city: 'honoursCity',
  province: 'honoursProvince',
};

/** Every event-count fact (events by kind, honours by level), in a fixed order. */
export const EVENT_COUNT_FACTS: readonly string[] = [...Object.values(EVENT_FACTS), ...Object.values(HONOUR_FACTS)];
const EVENT_COUNT_FACT_SET: ReadonlySet<string> = new Set(EVENT_COUNT_FACTS);

export function isEventCountFact(fact: string): boolean {
  return EVENT_COUNT_FACT_SET.has(fact);
}

/** The events an event-count fact counts: a kind, and for honours a level. */
export interface EventOfFact {
  kind: EventKind;
  level: HonourLevel | null;
}

const FACT_EVENT: ReadonlyMap<string, EventOfFact> = new Map<string, EventOfFact>([
  ...Object.entries(EVENT_FACTS).map(([kind, fact]): [string, EventOfFact] => [fact, { kind: kind as EventKind, level: null }]),
  ...Object.entries(HONOUR_FACTS).map(([level, fact]): [string, EventOfFact] => [fact, { kind: 'honour', level: level as HonourLevel }]),
]);

/** undefined for a fact that does not count events */
export function eventOfFact(fact: string): EventOfFact | undefined {
  return FACT_EVENT.get(fact);
}

const EVENT_FACT_LABELS: Record<string, string> = {
  administrativePenalties: '行政处罚次数',
  publicCriticisms: '通报批评次数',
  safetyIncidents: '安全事故次数',
  findings: '违规查处次数',
  techInnovations: '技术创新认证次数',
  demonstrationSites: '红色物业示范点',
  maintenanceFundMisuses: '挪用专项维修资金',
  majorSafetyAccidents: '重大安全责任事故',
  refusedInspections: '拒不接受监督检查',
  seriousDishonesties: '严重失信行为',
  honoursDistrict: '区级荣誉次数',
  honoursCity: '市级荣誉次数',
  honoursProvince: '省级荣誉次数',
};

export const PROJECT_FACT_LABELS: Record<string, string> = {
  periodMonths: '考核周期月数',
  households: '总户数',
  occupiedHouseholds: '入住户数',
  satisfactionRate: '满意率（计分用）',
  satisfactionRawRate: '满意率（原始）',
  satisfactionWilsonBound: '满意率威尔逊下限',
  smallSample: '样本不足',
  surveyRespondents: '有效问卷数',
  surveyAnswers: '满意度答题数',
  surveyPositiveAnswers: '满意答题数',
  surveyMinimumSample: '最低样本量',
  surveyCoverage: '问卷覆盖率（占入住户）',
  phoneProxyShare: '电话代答占比',
  complaintTickets: '投诉工单数',
  complaintsPer100HouseholdsYear: '每百户年投诉量',
  responseInTimeRate: '及时响应率',
  resolutionRate: '投诉解决率',
  revisitSatisfactionRate: '回访满意率',
  feeMonths: '收费记录月数',
  feeCollectionRateByHousehold: '物业费收缴率（按户）',
  feeCollectionRateByAmount: '物业费收缴率（按金额）',
  hasCompanyPartyOrg: '企业建立党组织',
  hasPartyBranch: '小区建立党支部',
  sixHavesVenue: '六有·有场所',
  sixHavesFacilities: '六有·有设施',
  sixHavesSign: '六有·有标志',
  sixHavesFlag: '六有·有党旗',
  sixHavesReading: '六有·有书报',
  sixHavesRules: '六有·有制度',
  crossAppointment: '双向进入、交叉任职',
  partyInstructor: '选派党建指导员',
  membersShowIdentity: '党员亮身份',
  jointMeetingMonths: '召开三方联动会议的月数',
  threePartyMean: '三方互评平均分',
  ...EVENT_FACT_LABELS,
};

export const STARS_FACT_LABELS: Record<string, string> = {
  ...PROJECT_FACT_LABELS,
  projectTotal: '项目总分',
  bonusPoints: '加分（封顶后）',
  deductionPoints: '扣分',
};

export const COMPANY_EVENT_FACT_LABELS: Record<string, string> = { ...EVENT_FACT_LABELS };

export const GRADE_FACT_LABELS: Record<string, string> = {
  companyScore: '企业得分',
  badRecords: '近期不良记录数',
  vetoed: '一票否决',
  assessedProjects: '参评项目数',
};

export const LIST_FACT_LABELS: Record<string, string> = {
  ...GRADE_FACT_LABELS,
  grade: '信用等级',
  companySatisfactionRate: '企业满意率',
  complaintWorstShareQuarters: '投诉率居末位的连续季度数',
  complaintRateImproved: '投诉率较上季度改善',
};

export const FACT_LABELS: Record<string, string> = { ...STARS_FACT_LABELS, ...LIST_FACT_LABELS };

/** Facts that are shares of 1 (rates, shares, coverage), shown as percentages and bounded 0–1. */
export function isRateFact(fact: string): boolean {
  return /(Rate|Share|Coverage|WilsonBound)(By[A-Z][A-Za-z]*)?$/.test(fact);
}
