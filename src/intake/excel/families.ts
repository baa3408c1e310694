import {
  COMPLAINT_CATEGORIES,
  EVENT_KINDS,
  HONOUR_LEVELS,
  PARTY_INDICATORS,
  RATER_ROLES,
  type PartyIndicatorDefinition,
  REVISIT_VERDICTS,
  SURVEY_CHANNELS,
} from '../../domain/vocabulary.js';
import { RECORD_LABELS, type RecordKind, type RecordTypes } from '../records.js';

/**
 * The spreadsheet families: which sheets a template holds and, for every sheet, the map
 * between Chinese column headers and record fields. Defined once here; the template writer,
 * the importer and the error workbook all read it. Pure: no exceljs, no Nest.
 */
export const FAMILY_NAMES = ['master', 'surveys', 'complaints', 'fees', 'party', 'events', 'ratings'] as const;
export type FamilyName = (typeof FAMILY_NAMES)[number];

/** What a cell must hold, and how it is read. */
export type CellType =
  | { readonly kind: 'text' }
  /** an identifier: letters, digits, `_` and `-` (validated by the intake) */
  | { readonly kind: 'code' }
  | { readonly kind: 'uscc' }
  /** `flags`: 是/否 are read as 1/0 too */
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number; readonly flags?: boolean }
  | { readonly kind: 'decimal'; readonly min?: number; readonly max?: number; readonly decimals: number }
  /** `YYYY-MM` */
  | { readonly kind: 'month' }
  /** 考核周期; `yearOnly`: `YYYY` */
  | { readonly kind: 'period'; readonly yearOnly?: boolean }
  /** a calendar date, `YYYY-MM-DD` */
  | { readonly kind: 'date' }
  /** a local date and time in the configured time zone (Excel has none), stored as an instant */
  | { readonly kind: 'datetime' }
  | { readonly kind: 'flag' }
  /** one of a vocabulary: the code or its Chinese label */
  | { readonly kind: 'choice'; readonly options: Readonly<Record<string, string>> };

/** Stored master data offered as drop-down lists (codes). */
export type CodeListName = 'streets' | 'communities' | 'companies' | 'projects';

export interface ColumnSpec {
  /** the record field (checked against the record type where the specs are built) */
  readonly field: string;
  readonly header: string;
  readonly type: CellType;
  /** an empty cell is a fault; optional cells become null */
  readonly required: boolean;
  /** column width in characters */
  readonly width: number;
  /** extra instruction for the 说明 sheet */
  readonly note?: string;
  /** drop-down of stored codes */
  readonly codeList?: CodeListName;
}

export interface SheetSpec {
  readonly kind: RecordKind;
  readonly sheet: string;
  /** other sheet names that mean this sheet */
  readonly aliases: readonly string[];
  readonly columns: readonly ColumnSpec[];
  /** rows of the template that carry the drop-downs and formats */
  readonly templateRows: number;
  /** fills fields the columns leave open (e.g. a party check's scope from its indicator) */
  readonly complete?: (values: Record<string, unknown>) => void;
}

export interface FamilySpec {
  readonly name: FamilyName;
  readonly label: string;
  readonly sheets: readonly SheetSpec[];
}

export const FLAG_LABELS = { true: '是', false: '否' } as const;
export const PARTY_SCOPES = { project: '项目', company: '企业' } as const;

const labelsOf = <T extends Record<string, string | { label: string }>>(table: T): Record<keyof T & string, string> =>
  Object.fromEntries(Object.entries(table).map(([code, v]) => [code, typeof v === 'string' ? v : v.label])) as Record<keyof T & string, string>;

const text = { kind: 'text' } as const;
const code = { kind: 'code' } as const;
const uscc = { kind: 'uscc' } as const;
const flag = { kind: 'flag' } as const;
const month = { kind: 'month' } as const;
const choice = (options: Record<string, string>) => ({ kind: 'choice', options }) as const;

/** Builds a column of a kind's sheet: the field must be one of the kind's record. */
type Column<K extends RecordKind> = (
  field: keyof RecordTypes[K] & string,
  header: string,
  type: CellType,
  required: boolean,
  width: number,
  extra?: { note?: string; codeList?: CodeListName },
) => ColumnSpec;

const column = (field: string, header: string, type: CellType, required: boolean, width: number, extra = {}): ColumnSpec => ({
  field,
  header,
  type,
  required,
  width,
  ...extra,
});

const DEFAULT_TEMPLATE_ROWS = 10_000;

function sheet<K extends RecordKind>(
  kind: K,
  name: string,
  columnsOf: (col: Column<K>) => ColumnSpec[],
  extra: { templateRows?: number; complete?: (values: Record<string, unknown>) => void } = {},
): SheetSpec {
  const columns = columnsOf(column);
  const aliases = [...new Set([RECORD_LABELS[kind], kind])].filter((a) => a !== name);
  return { kind, sheet: name, aliases, columns, templateRows: extra.templateRows ?? DEFAULT_TEMPLATE_ROWS, complete: extra.complete };
}

const STREETS = sheet('streets', '街道', (col) => [col('code', '街道编码', code, true, 16), col('name', '街道名称', text, true, 24)], { templateRows: 1_000 });

const COMMUNITIES = sheet(
  'communities',
  '社区',
  (col) => [
    col('code', '社区编码', code, true, 18),
    col('name', '社区名称', text, true, 24),
    col('streetCode', '所属街道编码', code, true, 16, { codeList: 'streets', note: '已登记的街道，或本文件“街道”工作表中的街道' }),
  ],
  { templateRows: 5_000 },
);

const COMPANIES = sheet(
  'companies',
  '物业服务企业',
  (col) => [col('uscc', '统一社会信用代码', uscc, true, 22), col('name', '企业名称', text, true, 36), col('hasPartyOrg', '是否建立企业党组织', flag, true, 18)],
  { templateRows: 5_000 },
);

const PROJECTS = sheet('projects', '物业项目', (col) => [
  col('code', '项目编码', code, true, 16),
  col('name', '项目名称', text, true, 28),
  col('streetCode', '所属街道编码', code, true, 16, { codeList: 'streets' }),
  col('communityCode', '所属社区编码', code, true, 18, { codeList: 'communities', note: '社区须属于所填街道' }),
  col('companyUscc', '物业服务企业统一社会信用代码', uscc, true, 26, { codeList: 'companies' }),
  col('households', '总户数', { kind: 'integer', min: 1 }, true, 10),
  col('occupiedHouseholds', '入住户数', { kind: 'integer', min: 0 }, true, 10, { note: '不大于总户数' }),
  col('floorAreaM2', '建筑面积（平方米）', { kind: 'decimal', min: 0, decimals: 2 }, true, 16),
  col('hasPartyBranch', '是否建立小区党支部', flag, true, 18),
]);

const SURVEYS = sheet(
  'surveyAnswers',
  '满意度调查',
  (col) => [
    col('projectCode', '项目编码', code, true, 16, { codeList: 'projects' }),
    col('month', '调查月份', month, true, 12),
    col('respondentNo', '问卷编号', { kind: 'integer', min: 1 }, true, 10, { note: '同一项目同一月份内的答卷序号' }),
    col('questionNo', '题号', { kind: 'integer', min: 1, max: 99 }, true, 8),
    col('answer', '答案', { kind: 'integer', min: 1, max: 5 }, true, 8, { note: '1 很不满意 … 5 很满意' }),
    col('channel', '调查方式', choice(SURVEY_CHANNELS), true, 12),
  ],
  { templateRows: 60_000 },
);

const COMPLAINTS = sheet(
  'complaints',
  '投诉工单',
  (col) => [
    col('ticketNo', '工单编号', code, true, 18),
    col('projectCode', '项目编码', code, true, 16, { codeList: 'projects' }),
    col('receivedAt', '受理时间', { kind: 'datetime' }, true, 18),
    col('respondedAt', '响应时间', { kind: 'datetime' }, false, 18, { note: '不早于受理时间' }),
    col('resolvedAt', '办结时间', { kind: 'datetime' }, false, 18, { note: '不早于受理时间；已解决的工单必填' }),
    col('category', '诉求类别', choice(COMPLAINT_CATEGORIES), true, 12),
    col('resolved', '是否解决', flag, true, 10),
    col('revisitVerdict', '回访评价', choice(REVISIT_VERDICTS), false, 12),
  ],
  { templateRows: 20_000 },
);

const FEES = sheet('fees', '物业费收缴', (col) => [
  col('projectCode', '项目编码', code, true, 16, { codeList: 'projects' }),
  col('month', '收费月份', month, true, 12),
  col('billedAmount', '应收金额（元）', { kind: 'decimal', min: 0, decimals: 2 }, true, 16),
  col('collectedAmount', '实收金额（元）', { kind: 'decimal', min: 0, decimals: 2 }, true, 16, { note: '不大于应收金额' }),
  col('householdsBilled', '应缴户数', { kind: 'integer', min: 0 }, true, 10),
  col('householdsPaid', '实缴户数', { kind: 'integer', min: 0 }, true, 10, { note: '不大于应缴户数' }),
]);

const PARTY_INDICATOR_LABELS = labelsOf(PARTY_INDICATORS);
const MONTHLY_PARTY_LABELS = Object.values(PARTY_INDICATORS as Record<string, PartyIndicatorDefinition>)
  .filter((i) => i.recordedPer === 'month')
  .map((i) => `“${i.label}”`)
  .join('、');

const PARTY = sheet(
  'partyChecks',
  '党建指标',
  (col) => [
    col('scope', '指标对象', choice(PARTY_SCOPES), false, 10, { note: '可不填：按指标自动确定（项目级或企业级）' }),
    col('projectCode', '项目编码', code, false, 16, { codeList: 'projects', note: '项目级指标必填，企业级指标不填' }),
    col('companyUscc', '统一社会信用代码', uscc, false, 22, { codeList: 'companies', note: '企业级指标必填，项目级指标不填' }),
    col('period', '考核周期', { kind: 'period' }, true, 12, {
      note: `是否类指标填其所属周期（如 2025）；${MONTHLY_PARTY_LABELS}须按月填报，每月一行、填月份（如 2025-07），按年度或季度合计的一行会被拒绝`,
    }),
    col('indicatorCode', '党建指标', choice(PARTY_INDICATOR_LABELS), true, 24),
    col('value', '指标值', { kind: 'integer', min: 0, flags: true }, true, 10, {
      note: '是否类指标填 1（是）或 0（否），也可填“是”“否”；次数、人数类指标填整数',
    }),
    col('evidence', '佐证材料', text, false, 30),
  ],
  {
    complete(values) {
      const indicator = values.indicatorCode;
      if (values.scope === null && typeof indicator === 'string' && Object.prototype.hasOwnProperty.call(PARTY_INDICATORS, indicator)) {
        values.scope = PARTY_INDICATORS[indicator as keyof typeof PARTY_INDICATORS].scope;
      }
    },
  },
);

const EVENTS = sheet('events', '加减分事件', (col) => [
  col('eventNo', '事件编号', code, true, 16),
  col('kind', '事件类型', choice(EVENT_KINDS), true, 22),
  col('companyUscc', '统一社会信用代码', uscc, true, 22, { codeList: 'companies' }),
  col('projectCode', '项目编码', code, false, 16, { codeList: 'projects', note: '企业层面的事件不填' }),
  col('occurredOn', '发生日期', { kind: 'date' }, true, 12),
  col('honourLevel', '荣誉级别', choice(HONOUR_LEVELS), false, 10, { note: '仅“荣誉表彰”填写，且必填' }),
  col('source', '事件来源', text, true, 16, { note: '如 街道记分建议、区住建局' }),
  col('description', '事件说明', text, true, 36),
  col('evidence', '佐证材料', text, false, 24, { note: '如 文号、照片编号' }),
]);

const RATINGS = sheet('ratings', '三方互评', (col) => [
  col('projectCode', '项目编码', code, true, 16, { codeList: 'projects' }),
  col('period', '年度', { kind: 'period', yearOnly: true }, true, 8),
  col('raterRole', '评价方', choice(RATER_ROLES), true, 22),
  col('rating', '评分', { kind: 'decimal', min: 1, max: 5, decimals: 2 }, true, 8, { note: '1 至 5 分' }),
]);

export const FAMILIES: Readonly<Record<FamilyName, FamilySpec>> = {
  master: { name: 'master', label: '基础信息（街道、社区、企业、项目）', sheets: [STREETS, COMMUNITIES, COMPANIES, PROJECTS] },
  surveys: { name: 'surveys', label: '满意度调查', sheets: [SURVEYS] },
  complaints: { name: 'complaints', label: '投诉工单', sheets: [COMPLAINTS] },
  fees: { name: 'fees', label: '物业费收缴', sheets: [FEES] },
  party: { name: 'party', label: '党建指标', sheets: [PARTY] },
  events: { name: 'events', label: '加减分事件', sheets: [EVENTS] },
  ratings: { name: 'ratings', label: '三方互评', sheets: [RATINGS] },
};

export const ALL_SHEETS: readonly SheetSpec[] = FAMILY_NAMES.flatMap((f) => FAMILIES[f].sheets);

/** Sheets of a template or an error workbook that hold no data. */
export const INSTRUCTIONS_SHEET = '说明';
export const LISTS_SHEET = '代码表';
export const SUMMARY_SHEET = '错误汇总';
export const ERROR_COLUMN = '错误说明';
export const NON_DATA_SHEETS: readonly string[] = [INSTRUCTIONS_SHEET, LISTS_SHEET, SUMMARY_SHEET];

export function isFamilyName(value: string): value is FamilyName {
  return (FAMILY_NAMES as readonly string[]).includes(value);
}

/** The sheet spec a sheet name stands for, if any. */
export function sheetSpecByName(name: string): SheetSpec | undefined {
  const wanted = normaliseName(name);
  return ALL_SHEETS.find((s) => normaliseName(s.sheet) === wanted || s.aliases.some((a) => normaliseName(a) === wanted));
}

export function sheetSpecOfKind(kind: RecordKind): SheetSpec {
  return ALL_SHEETS.find((s) => s.kind === kind)!;
}

export function columnLabel(kind: RecordKind, field: string): string | undefined {
  return sheetSpecOfKind(kind).columns.find((c) => c.field === field)?.header;
}

/**
 * Headers and sheet names compared loosely: width variants (（）/()), spaces, and a trailing
 * required marker (`*`, `（必填）`) do not matter.
 */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/(\*|\(必填\)|\(选填\))+$/u, '')
    .toLowerCase();
}
