import { isIsoDate, isMonthCode, monthCode, parsePeriod } from '../domain/period.js';
import { usccProblem } from '../domain/uscc.js';
import {
  COMPLAINT_CATEGORIES,
  EVENT_KINDS,
  HONOUR_LEVELS,
  isCode,
  PARTY_INDICATORS,
  RATER_ROLES,
  REVISIT_VERDICTS,
  SURVEY_CHANNELS,
} from '../domain/vocabulary.js';
import type { RecordKind, RecordTypes } from './records.js';

/** What a rule found wrong with one field of a record. */
export interface FieldFault {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

/** The master data a record may refer to: what is stored plus what the same load brings. */
export interface References {
  hasStreet(code: string): boolean;
  /** the street code of a community, undefined when unknown */
  communityStreet(code: string): string | undefined;
  hasCompany(uscc: string): boolean;
  /** the 统一社会信用代码 of the company managing a project, undefined when unknown */
  projectCompany(code: string): string | undefined;
}

type Validator<K extends RecordKind> = (record: RecordTypes[K], refs: References) => FieldFault[] | null;

const CODE_PATTERN = /^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$/;

class Faults {
  list: FieldFault[] | null = null;
  add(field: string, code: string, message: string): void {
    (this.list ??= []).push({ field, code, message });
  }
  text(field: string, value: unknown, label: string): void {
    if (typeof value !== 'string' || value.trim() === '') this.add(field, 'REQUIRED', `${label}不能为空`);
  }
  code(field: string, value: unknown, label: string): void {
    if (typeof value !== 'string' || value === '') this.add(field, 'REQUIRED', `${label}不能为空`);
    else if (!CODE_PATTERN.test(value)) this.add(field, 'CODE_INVALID', `${label}“${value}”只能由字母、数字、下划线或连字符组成（最长 40 位）`);
  }
  flag(field: string, value: unknown, label: string): void {
    if (typeof value !== 'boolean') this.add(field, 'FLAG_INVALID', `${label}应为“是”或“否”，实际为“${String(value)}”`);
  }
  wholeNumber(field: string, value: unknown, label: string, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `不小于 ${min} 的整数` : `${min} 至 ${max} 的整数`;
      this.add(field, 'NUMBER_OUT_OF_RANGE', `${label}应为${range}，实际为“${String(value)}”`);
      return false;
    }
    return true;
  }
  amount(field: string, value: unknown, label: string, mustBePositive = false): boolean {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (mustBePositive && value === 0)) {
      this.add(field, 'AMOUNT_INVALID', `${label}应为${mustBePositive ? '大于 0' : '不小于 0'}的数，实际为“${String(value)}”`);
      return false;
    }
    if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) {
      this.add(field, 'AMOUNT_PRECISION', `${label}最多保留两位小数，实际为“${value}”`);
      return false;
    }
    return true;
  }
  month(field: string, value: unknown): void {
    if (typeof value !== 'string' || !isMonthCode(value)) this.add(field, 'MONTH_INVALID', `月份应写作 YYYY-MM（如 2025-07），实际为“${String(value)}”`);
  }
  date(field: string, value: unknown, label: string): boolean {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      this.add(field, 'DATE_INVALID', `${label}不是有效的日期时间：“${String(value)}”`);
      return false;
    }
    return true;
  }
  vocabulary(field: string, value: unknown, table: object, code: string, label: string): boolean {
    if (!isCode(table, value)) {
      this.add(field, code, `${label}“${String(value)}”不在可选范围内（${Object.keys(table).join('、')}）`);
      return false;
    }
    return true;
  }
  street(field: string, code: string, refs: References): void {
    if (typeof code === 'string' && code !== '' && !refs.hasStreet(code)) this.add(field, 'UNKNOWN_STREET', `街道编码“${code}”不存在`);
  }
  company(field: string, uscc: string, refs: References): boolean {
    if (typeof uscc !== 'string' || uscc === '') {
      this.add(field, 'REQUIRED', '统一社会信用代码不能为空');
      return false;
    }
    if (!refs.hasCompany(uscc)) {
      this.add(field, 'UNKNOWN_COMPANY', `统一社会信用代码“${uscc}”对应的物业服务企业不存在`);
      return false;
    }
    return true;
  }
  project(field: string, code: string, refs: References): string | undefined {
    if (typeof code !== 'string' || code === '') {
      this.add(field, 'REQUIRED', '项目编码不能为空');
      return undefined;
    }
    const company = refs.projectCompany(code);
    if (company === undefined) this.add(field, 'UNKNOWN_PROJECT', `项目编码“${code}”不存在`);
    return company;
  }
  notBefore(field: string, later: Date | null, earlier: Date, code: string, message: string): void {
    if (later instanceof Date && !Number.isNaN(later.getTime()) && later.getTime() < earlier.getTime()) this.add(field, code, message);
  }
}

const USCC_PROBLEM_TEXT = {
  length: '应为 18 位',
  alphabet: '含有不允许的字符（不使用 I、O、S、V、Z）',
  check_digit: '校验码错误（GB 32100-2015）',
} as const;

const validators: { [K in RecordKind]: Validator<K> } = {
  streets(r) {
    const f = new Faults();
    f.code('code', r.code, '街道编码');
    f.text('name', r.name, '街道名称');
    return f.list;
  },
  communities(r, refs) {
    const f = new Faults();
    f.code('code', r.code, '社区编码');
    f.text('name', r.name, '社区名称');
    f.street('streetCode', r.streetCode, refs);
    return f.list;
  },
  companies(r) {
    const f = new Faults();
    if (typeof r.uscc !== 'string' || r.uscc === '') f.add('uscc', 'REQUIRED', '统一社会信用代码不能为空');
    else {
      const problem = usccProblem(r.uscc);
      if (problem) f.add('uscc', 'USCC_INVALID', `统一社会信用代码“${r.uscc}”${USCC_PROBLEM_TEXT[problem]}`);
    }
    f.text('name', r.name, '企业名称');
    f.flag('hasPartyOrg', r.hasPartyOrg, '是否建立企业党组织');
    return f.list;
  },
  projects(r, refs) {
    const f = new Faults();
    f.code('code', r.code, '项目编码');
    f.text('name', r.name, '项目名称');
    f.street('streetCode', r.streetCode, refs);
    if (typeof r.communityCode !== 'string' || r.communityCode === '') f.add('communityCode', 'REQUIRED', '社区编码不能为空');
    else {
      const street = refs.communityStreet(r.communityCode);
      if (street === undefined) f.add('communityCode', 'UNKNOWN_COMMUNITY', `社区编码“${r.communityCode}”不存在`);
      else if (street !== r.streetCode) f.add('communityCode', 'COMMUNITY_NOT_IN_STREET', `社区“${r.communityCode}”不属于街道“${r.streetCode}”`);
    }
    f.company('companyUscc', r.companyUscc, refs);
    if (f.wholeNumber('households', r.households, '总户数', 1) && f.wholeNumber('occupiedHouseholds', r.occupiedHouseholds, '入住户数', 0)) {
      if (r.occupiedHouseholds > r.households) {
        f.add('occupiedHouseholds', 'OCCUPIED_EXCEEDS_HOUSEHOLDS', `入住户数 ${r.occupiedHouseholds} 大于总户数 ${r.households}`);
      }
    }
    f.amount('floorAreaM2', r.floorAreaM2, '建筑面积（平方米）', true);
    f.flag('hasPartyBranch', r.hasPartyBranch, '是否建立小区党支部');
    return f.list;
  },
  surveyAnswers(r, refs) {
    const f = new Faults();
    f.project('projectCode', r.projectCode, refs);
    f.month('month', r.month);
    f.wholeNumber('respondentNo', r.respondentNo, '问卷编号', 1);
    f.wholeNumber('questionNo', r.questionNo, '题号', 1, 99);
    if (typeof r.answer !== 'number' || !Number.isInteger(r.answer) || r.answer < 1 || r.answer > 5) {
      f.add('answer', 'ANSWER_OUT_OF_RANGE', `答案应为 1 至 5 的整数，实际为“${String(r.answer)}”`);
    }
    f.vocabulary('channel', r.channel, SURVEY_CHANNELS, 'CHANNEL_INVALID', '调查方式');
    return f.list;
  },
  complaints(r, refs) {
    const f = new Faults();
    f.code('ticketNo', r.ticketNo, '工单编号');
    f.project('projectCode', r.projectCode, refs);
    const received = f.date('receivedAt', r.receivedAt, '受理时间');
    if (r.respondedAt !== null) f.date('respondedAt', r.respondedAt, '响应时间');
    if (r.resolvedAt !== null) f.date('resolvedAt', r.resolvedAt, '办结时间');
    if (received) {
      f.notBefore('respondedAt', r.respondedAt, r.receivedAt, 'RESPONDED_BEFORE_RECEIVED', '响应时间早于受理时间');
      f.notBefore('resolvedAt', r.resolvedAt, r.receivedAt, 'RESOLVED_BEFORE_RECEIVED', '办结时间早于受理时间');
    }
    f.flag('resolved', r.resolved, '是否解决');
    if (r.resolved === true && r.resolvedAt === null) f.add('resolvedAt', 'RESOLVED_TIME_MISSING', '已解决的工单须填写办结时间');
    f.vocabulary('category', r.category, COMPLAINT_CATEGORIES, 'CATEGORY_INVALID', '诉求类别');
    if (r.revisitVerdict !== null) f.vocabulary('revisitVerdict', r.revisitVerdict, REVISIT_VERDICTS, 'REVISIT_VERDICT_INVALID', '回访评价');
    return f.list;
  },
  fees(r, refs) {
    const f = new Faults();
    f.project('projectCode', r.projectCode, refs);
    f.month('month', r.month);
    const amounts = f.amount('billedAmount', r.billedAmount, '应收金额') && f.amount('collectedAmount', r.collectedAmount, '实收金额');
    if (amounts && r.collectedAmount > r.billedAmount) {
      f.add('collectedAmount', 'COLLECTED_EXCEEDS_BILLED', `实收金额 ${r.collectedAmount} 大于应收金额 ${r.billedAmount}`);
    }
    const counts = f.wholeNumber('householdsBilled', r.householdsBilled, '应缴户数', 0) && f.wholeNumber('householdsPaid', r.householdsPaid, '实缴户数', 0);
    if (counts && r.householdsPaid > r.householdsBilled) {
      f.add('householdsPaid', 'PAID_EXCEEDS_BILLED', `实缴户数 ${r.householdsPaid} 大于应缴户数 ${r.householdsBilled}`);
    }
    return f.list;
  },
  partyChecks(r, refs) {
    const f = new Faults();
    if (r.scope === 'project') {
      f.project('projectCode', r.projectCode ?? '', refs);
      if (r.companyUscc) f.add('companyUscc', 'SUBJECT_CONFLICT', '项目级指标不应填写企业信用代码');
    } else if (r.scope === 'company') {
      f.company('companyUscc', r.companyUscc ?? '', refs);
      if (r.projectCode) f.add('projectCode', 'SUBJECT_CONFLICT', '企业级指标不应填写项目编码');
    } else {
      f.add('scope', 'SCOPE_INVALID', `指标对象应为 project（项目）或 company（企业），实际为“${String(r.scope)}”`);
    }
    if (typeof r.period !== 'string' || !parsePeriod(r.period))
      f.add('period', 'PERIOD_INVALID', `考核周期“${String(r.period)}”无效（如 2025、2025-H1、2025-Q3、2025-07）`);
    if (!isCode(PARTY_INDICATORS, r.indicatorCode)) {
      f.add('indicatorCode', 'UNKNOWN_INDICATOR', `党建指标代码“${String(r.indicatorCode)}”不存在`);
    } else {
      const indicator = PARTY_INDICATORS[r.indicatorCode];
      if ((r.scope === 'project' || r.scope === 'company') && indicator.scope !== r.scope) {
        f.add('indicatorCode', 'INDICATOR_SCOPE_MISMATCH', `指标“${indicator.label}”属于${indicator.scope === 'project' ? '项目' : '企业'}级指标`);
      }
      if (indicator.valueType === 'flag' && r.value !== 0 && r.value !== 1) {
        f.add('value', 'FLAG_VALUE_INVALID', `指标“${indicator.label}”的值应为 1（是）或 0（否），实际为“${String(r.value)}”`);
      }
      if (indicator.valueType === 'count') f.wholeNumber('value', r.value, `指标“${indicator.label}”的值`, 0);
      const period = typeof r.period === 'string' ? parsePeriod(r.period) : null;
      if ('recordedPer' in indicator && indicator.recordedPer === 'month' && period && period.kind !== 'month') {
        f.add(
          'period',
          'PARTY_COUNT_MONTHLY_ONLY',
          `指标“${indicator.label}”须按月填报：每月一行，考核周期填月份（如 ${monthCode(period.year, period.firstMonth)}），当月开会次数填在指标值中；一行“${r.period}”的合计数看不出哪些月份开过会，无法计分，请拆分为逐月记录`,
        );
      }
    }
    return f.list;
  },
  events(r, refs) {
    const f = new Faults();
    f.code('eventNo', r.eventNo, '事件编号');
    f.vocabulary('kind', r.kind, EVENT_KINDS, 'UNKNOWN_EVENT_KIND', '事件类型');
    const companyKnown = f.company('companyUscc', r.companyUscc, refs);
    if (r.projectCode !== null && r.projectCode !== '') {
      const manager = f.project('projectCode', r.projectCode, refs);
      if (companyKnown && manager !== undefined && manager !== r.companyUscc) {
        f.add('projectCode', 'PROJECT_NOT_OF_COMPANY', `项目“${r.projectCode}”不由企业“${r.companyUscc}”管理`);
      }
    }
    if (typeof r.occurredOn !== 'string' || !isIsoDate(r.occurredOn))
      f.add('occurredOn', 'DATE_INVALID', `发生日期应写作 YYYY-MM-DD，实际为“${String(r.occurredOn)}”`);
    if (r.kind === 'honour') {
      if (r.honourLevel === null) f.add('honourLevel', 'HONOUR_LEVEL_MISSING', '荣誉表彰须填写级别（区级、市级、省级）');
      else f.vocabulary('honourLevel', r.honourLevel, HONOUR_LEVELS, 'HONOUR_LEVEL_INVALID', '荣誉级别');
    } else if (r.honourLevel !== null) {
      f.add('honourLevel', 'HONOUR_LEVEL_UNEXPECTED', '只有荣誉表彰事件才填写荣誉级别');
    }
    f.text('source', r.source, '事件来源');
    f.text('description', r.description, '事件说明');
    return f.list;
  },
  ratings(r, refs) {
    const f = new Faults();
    f.project('projectCode', r.projectCode, refs);
    if (typeof r.period !== 'string' || parsePeriod(r.period)?.kind !== 'year')
      f.add('period', 'PERIOD_INVALID', `三方互评按年度进行，周期应写作 YYYY，实际为“${String(r.period)}”`);
    f.vocabulary('raterRole', r.raterRole, RATER_ROLES, 'RATER_ROLE_INVALID', '评价方');
    if (typeof r.rating !== 'number' || !Number.isFinite(r.rating) || r.rating < 1 || r.rating > 5) {
      f.add('rating', 'RATING_OUT_OF_RANGE', `评分应为 1 至 5 之间的数，实际为“${String(r.rating)}”`);
    }
    return f.list;
  },
};

export function validateRecord<K extends RecordKind>(kind: K, record: RecordTypes[K], refs: References): FieldFault[] | null {
  return (validators[kind] as Validator<K>)(record, refs);
}

/** The natural key of a record: what a fault names it by and what makes a re-import idempotent. */
export function naturalKey<K extends RecordKind>(kind: K, record: RecordTypes[K]): string {
  const r = record as never as Record<string, unknown>;
  switch (kind) {
    case 'streets':
    case 'communities':
    case 'projects':
      return String(r.code);
    case 'companies':
      return String(r.uscc);
    case 'surveyAnswers':
      return `${String(r.projectCode)}/${String(r.month)}/问卷${String(r.respondentNo)}/第${String(r.questionNo)}题`;
    case 'complaints':
      return String(r.ticketNo);
    case 'fees':
      return `${String(r.projectCode)}/${String(r.month)}`;
    case 'partyChecks':
      return `${String(r.scope === 'company' ? r.companyUscc : r.projectCode)}/${String(r.period)}/${String(r.indicatorCode)}`;
    case 'events':
      return String(r.eventNo);
    case 'ratings':
      return `${String(r.projectCode)}/${String(r.period)}/${String(r.raterRole)}`;
    default:
      return '?';
  }
}
