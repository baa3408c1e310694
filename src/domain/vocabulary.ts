/**
 * The fixed vocabulary of the domain: codes and their Chinese labels. Points and thresholds
 * attached to them belong to rule sets in rules/, never here.
 */
export const SURVEY_CHANNELS = { door_to_door: '入户', online: '线上', phone_proxy: '电话代答' } as const;
export type SurveyChannel = keyof typeof SURVEY_CHANNELS;

export const REVISIT_VERDICTS = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  unreachable: '未回访成功',
} as const;
export type RevisitVerdict = keyof typeof REVISIT_VERDICTS;

export const COMPLAINT_CATEGORIES = {
  environment: '环境卫生',
  security: '秩序安全',
  repair: '维修养护',
  greening: '绿化养护',
  parking: '停车管理',
  fees: '收费争议',
  service_attitude: '服务态度',
  other: '其他',
} as const;
export type ComplaintCategory = keyof typeof COMPLAINT_CATEGORIES;

export type PartyScope = 'project' | 'company';

export interface PartyIndicatorDefinition {
  readonly label: string;
  readonly scope: PartyScope;
  /** flag: 0 or 1; count: a whole number of occurrences in the period it is recorded for. */
  readonly valueType: 'flag' | 'count';
  /**
   * 'month': recorded one row per month, never as a total of a longer period (the metric counts
   * the months in which it happened, which a yearly total cannot tell).
   */
  readonly recordedPer?: 'month';
}

export const PARTY_INDICATORS = {
  six_haves_venue: { label: '六有·有场所', scope: 'project', valueType: 'flag' },
  six_haves_facilities: { label: '六有·有设施', scope: 'project', valueType: 'flag' },
  six_haves_sign: { label: '六有·有标志', scope: 'project', valueType: 'flag' },
  six_haves_flag: { label: '六有·有党旗', scope: 'project', valueType: 'flag' },
  six_haves_reading: { label: '六有·有书报', scope: 'project', valueType: 'flag' },
  six_haves_rules: { label: '六有·有制度', scope: 'project', valueType: 'flag' },
  cross_appointment: { label: '双向进入、交叉任职', scope: 'project', valueType: 'flag' },
  party_instructor: { label: '选派党建指导员', scope: 'project', valueType: 'flag' },
  members_show_identity: { label: '党员亮身份', scope: 'project', valueType: 'flag' },
  joint_meetings: { label: '三方联动联席会议次数', scope: 'project', valueType: 'count', recordedPer: 'month' },
  company_party_activities: { label: '企业党组织活动次数', scope: 'company', valueType: 'count' },
  company_party_members: { label: '企业党员职工人数', scope: 'company', valueType: 'count' },
} as const satisfies Record<string, PartyIndicatorDefinition>;
export type PartyIndicatorCode = keyof typeof PARTY_INDICATORS;

export const EVENT_KINDS = {
  administrative_penalty: '行政处罚',
  public_criticism: '通报批评',
  safety_incident: '安全事故',
  finding: '违规查处（消防通道、违法建设等）',
  honour: '荣誉表彰',
  tech_innovation: '技术创新认证',
  demonstration_site: '红色物业示范点',
  maintenance_fund_misuse: '挪用专项维修资金',
  major_safety_accident: '重大安全责任事故',
  refusing_inspection: '拒不接受监督检查',
  serious_dishonesty: '严重失信行为',
} as const;
export type EventKind = keyof typeof EVENT_KINDS;

export const HONOUR_LEVELS = { district: '区级', city: '市级', province: '省级' } as const;
export type HonourLevel = keyof typeof HONOUR_LEVELS;

export const RATER_ROLES = { community_party_org: '小区（社区）党组织', owners_committee: '业主代表大会/业委会' } as const;
export type RaterRole = keyof typeof RATER_ROLES;

export function isCode<T extends object>(table: T, value: unknown): value is keyof T {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(table, value);
}
