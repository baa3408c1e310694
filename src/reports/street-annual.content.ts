/**
 * 街道年度考核: the sheets of the street's annual assessment workbook, as sheet specs and row
 * builders over repository rows. Pure.
 */
import { notesText } from './note-text.js';
import type { Period } from '../domain/period.js';
import type { CompiledRuleSet } from '../rules/rule-set.js';
import { partSummaries, type PartSummary } from './indicator-lines.js';
import { ENTRY_STATE_LABELS, entryStateOn, movementText, transitionsIn, type ListCounts } from './list-status.js';
import type { CompanyRow, LedgerRow, LevelPair, ListEntryRow, ProjectRow, RunInfo } from './report-data.js';
import { scoreCells, scoreColumns } from './score-columns.js';
import { LIST_LABELS, RUN_STATUS_LABELS, SEVERITY_LABELS, dateTimeText, factCell, periodLabel, shareOf, starsText } from './report-text.js';
import { SUMMARY_COLUMNS, itemRow, sectionRow, textRow, type ColumnSpec, type SheetRow, type SheetSpec } from './sheet-model.js';

export function scopeText(streetCode: string | null, streetName: string | null): string {
  return streetCode === null ? '全部街道' : `${streetName ?? ''}（${streetCode}）`;
}

// ---- 概况 -------------------------------------------------------------------------------

export interface LevelChanges {
  up: number;
  same: number;
  down: number;
  /** rated now, not rated (or absent) before */
  newlyRated: number;
  /** rated before, not rated now */
  noLongerRated: number;
}

/** Counts of subjects whose level rose, stayed or fell; `order` gives a level's rank (0 best), null when not rated. */
export function levelChanges<T>(pairs: readonly LevelPair<T>[], order: (level: T | null) => number | null): LevelChanges {
  const changes: LevelChanges = { up: 0, same: 0, down: 0, newlyRated: 0, noLongerRated: 0 };
  for (const p of pairs) {
    const before = p.inPrevious ? order(p.previous) : null;
    const now = order(p.current);
    if (now === null && before === null) continue;
    if (before === null) changes.newlyRated += p.count;
    else if (now === null) changes.noLongerRated += p.count;
    else if (now < before) changes.up += p.count;
    else if (now > before) changes.down += p.count;
    else changes.same += p.count;
  }
  return changes;
}

/** stars: more is better; null (not assessed) is not rated. */
export const starOrder = (stars: number | null): number | null => (stars === null ? null : -stars);
export const gradeOrder = (grades: readonly string[]) => (grade: string | null): number | null => {
  if (grade === null) return null;
  const i = grades.indexOf(grade);
  return i < 0 ? null : i;
};

export interface OverviewInput {
  period: Period;
  scope: string;
  run: RunInfo;
  projects: { total: number; assessed: number };
  /** assessed projects by stars (0 = 不评星) */
  stars: { stars: number; count: number }[];
  companies: number;
  grades: { grade: string | null; count: number }[];
  gradeOrder: readonly string[];
  decisions: { red: number; black: number };
  lists: ListCounts;
  averageTotal: number | null;
  averageScore: number | null;
  previousPeriod: string;
  previous: {
    run: RunInfo;
    starPairs: LevelPair<number>[];
    gradePairs: LevelPair<string>[];
    averageTotal: number | null;
    averageScore: number | null;
  } | null;
}

export function overviewSpec(title: string): SheetSpec {
  return { name: '概况', title, columns: SUMMARY_COLUMNS };
}

export function overviewRows(input: OverviewInput): SheetRow[] {
  const { projects } = input;
  const rows: SheetRow[] = [
    textRow('考核周期', `${periodLabel(input.period)}（${input.period.code}）`),
    textRow('范围', input.scope),
    textRow('考核运行', `#${input.run.id}（${RUN_STATUS_LABELS[input.run.status] ?? input.run.status}）`),
    sectionRow('项目'),
    itemRow('物业项目', projects.total),
    itemRow('参评项目', projects.assessed, null, { share: shareOf(projects.assessed, projects.total) }),
    itemRow('不参评项目', projects.total - projects.assessed, '考核期内无满意度调查和物业费收缴数据，不计为 0 分', { share: shareOf(projects.total - projects.assessed, projects.total) }),
    itemRow('参评项目平均总分', input.averageTotal, null, { format: 'decimal2' }),
    sectionRow('星级分布（参评项目）'),
  ];
  const starCount = (n: number) => input.stars.filter((s) => s.stars === n).reduce((sum, s) => sum + s.count, 0);
  for (let n = 5; n >= 1; n--) rows.push(itemRow(`${starsText(n)}（${n} 星）`, starCount(n), null, { share: shareOf(starCount(n), projects.assessed) }));
  rows.push(itemRow('不评星', starCount(0), '一票否决或低于最低档', { share: shareOf(starCount(0), projects.assessed) }));

  rows.push(sectionRow('信用等级分布（在范围内经营的企业）'));
  rows.push(itemRow('物业服务企业', input.companies));
  const gradeCount = (g: string | null) => input.grades.filter((x) => x.grade === g).reduce((sum, x) => sum + x.count, 0);
  for (const grade of input.gradeOrder) rows.push(itemRow(grade, gradeCount(grade), null, { share: shareOf(gradeCount(grade), input.companies) }));
  const ungraded = gradeCount(null);
  if (ungraded > 0) rows.push(itemRow('未评定', ungraded, '无参评项目', { share: shareOf(ungraded, input.companies) }));
  rows.push(itemRow('企业平均得分', input.averageScore, null, { format: 'decimal2' }));

  rows.push(sectionRow('红黑榜'));
  rows.push(itemRow('本期列入红榜的决定', input.decisions.red, '本次考核结果中符合红榜条件的企业'));
  rows.push(itemRow('本期列入黑榜的决定', input.decisions.black, '本次考核结果中符合黑榜条件的企业（含一票否决）'));
  rows.push(itemRow('期末在红榜', input.lists.open.red));
  rows.push(itemRow('期末在黑榜', input.lists.open.black));
  rows.push(itemRow('本期新列入红榜 / 黑榜', input.lists.entered.red + input.lists.entered.black, `红榜 ${input.lists.entered.red}，黑榜 ${input.lists.entered.black}`));
  rows.push(itemRow('本期移出红榜 / 黑榜', input.lists.left.red + input.lists.left.black, `红榜 ${input.lists.left.red}，黑榜 ${input.lists.left.black}（含期满移出）`));

  rows.push(sectionRow(`与上期（${input.previousPeriod}）比较`));
  const previous = input.previous;
  if (!previous) {
    rows.push(textRow('上期考核', `上期（${input.previousPeriod}）没有已发布的考核运行，无法比较`));
    return rows;
  }
  rows.push(textRow('上期考核运行', `#${previous.run.id}（${RUN_STATUS_LABELS[previous.run.status] ?? previous.run.status}，规则集 ${previous.run.ruleSetName} ${previous.run.ruleSetVersion}）`));
  const stars = levelChanges(previous.starPairs, starOrder);
  rows.push(itemRow('星级上升的项目', stars.up));
  rows.push(itemRow('星级持平的项目', stars.same));
  rows.push(itemRow('星级下降的项目', stars.down));
  rows.push(itemRow('本期新参评的项目', stars.newlyRated, '上期不参评或不在上期考核中'));
  rows.push(itemRow('本期不再参评的项目', stars.noLongerRated));
  const grades = levelChanges(previous.gradePairs, gradeOrder(input.gradeOrder));
  rows.push(itemRow('信用等级上升的企业', grades.up));
  rows.push(itemRow('信用等级持平的企业', grades.same));
  rows.push(itemRow('信用等级下降的企业', grades.down));
  rows.push(itemRow('本期新评定等级的企业', grades.newlyRated));
  rows.push(itemRow('上期参评项目平均总分', previous.averageTotal, null, { format: 'decimal2' }));
  rows.push(itemRow('上期企业平均得分', previous.averageScore, null, { format: 'decimal2' }));
  return rows;
}

/** Marks a result changed by accepted appeals after publication. */
export const REVISION_COLUMN: ColumnSpec = { header: '申诉修订', width: 12, format: 'text' };

export function revisionText(revision: number): string | null {
  return revision > 0 ? `已修订（第 ${revision} 版）` : null;
}

// ---- 项目排名 -----------------------------------------------------------------------------

export function projectRankingSpec(title: string, ruleSet: CompiledRuleSet, withPrevious: boolean): SheetSpec {
  const columns: ColumnSpec[] = [
    { header: '排名', width: 7, format: 'integer' },
    { header: '项目编码', width: 14, format: 'text' },
    { header: '项目名称', width: 22, format: 'text' },
    { header: '物业服务企业', width: 30, format: 'text' },
    { header: '统一社会信用代码', width: 21, format: 'text' },
    { header: '街道', width: 14, format: 'text' },
    { header: '社区', width: 14, format: 'text' },
    { header: '总户数', width: 9, format: 'integer' },
    ...scoreColumns(ruleSet),
    { header: '一票否决', width: 20, format: 'text' },
  ];
  if (withPrevious) columns.push({ header: '上期总分', width: 9, format: 'decimal2' }, { header: '上期星级', width: 10, format: 'text' });
  columns.push(REVISION_COLUMN, { header: '说明', width: 50, format: 'text' });
  return { name: '项目排名', title, columns, freezeColumns: 3, autoFilter: true };
}

export function projectRankingRow(rank: number | null, p: ProjectRow, ruleSet: CompiledRuleSet, withPrevious: boolean): SheetRow {
  const cells = [
    rank,
    p.code,
    p.name,
    p.companyName,
    p.companyUscc,
    p.streetName,
    p.communityName,
    p.households,
    ...scoreCells(p, ruleSet),
    p.outcome.vetoes.map((v) => v.reason).join('；') || null,
  ];
  if (withPrevious) cells.push(p.previous?.total ?? null, p.previous ? starsText(p.previous.stars, p.previous.assessed) : '不在上期考核中');
  const revisionColumn = cells.length;
  cells.push(revisionText(p.revision), notesText(p.outcome.notes, '；') || null);
  return { cells, cellFills: p.revision > 0 ? { [revisionColumn]: 'section' } : undefined };
}

// ---- 指标明细 -----------------------------------------------------------------------------

export function detailSpec(title: string): SheetSpec {
  return {
    name: '指标明细',
    title,
    columns: [
      { header: '项目编码', width: 14, format: 'text' },
      { header: '项目名称', width: 22, format: 'text' },
      { header: '物业服务企业', width: 30, format: 'text' },
      { header: '街道', width: 14, format: 'text' },
      { header: '指标', width: 14, format: 'text' },
      { header: '原始值', width: 11, format: 'decimal2' },
      { header: '数据明细', width: 60, format: 'text' },
      { header: '得分', width: 8, format: 'decimal2' },
      { header: '满分', width: 8, format: 'decimal2' },
      { header: '规则', width: 30, format: 'text' },
      { header: '依据条款', width: 60, format: 'text' },
    ],
    freezeColumns: 2,
    autoFilter: true,
  };
}

export function detailRows(p: ProjectRow, ruleSet: CompiledRuleSet, factsOfPart?: Map<string, string[]>): SheetRow[] {
  return partSummaries(p.outcome, ruleSet, factsOfPart).map((s: PartSummary) => {
    const raw = s.mainFact === null ? { value: null, format: 'decimal2' as const } : factCell(s.mainFact, s.mainValue);
    return {
      cells: [p.code, p.name, p.companyName, p.streetName, s.label, raw.value, s.factsText || null, s.points, s.max, s.rules || null, s.clauses || null],
      formats: { 5: raw.format },
    };
  });
}

// ---- 企业排名 -----------------------------------------------------------------------------

export function companyRankingSpec(title: string, withPrevious: boolean): SheetSpec {
  const columns: ColumnSpec[] = [
    { header: '排名', width: 7, format: 'integer' },
    { header: '物业服务企业', width: 30, format: 'text' },
    { header: '统一社会信用代码', width: 21, format: 'text' },
    { header: '范围内项目数', width: 10, format: 'integer' },
    { header: '参评项目数', width: 10, format: 'integer' },
    { header: '不参评项目数', width: 10, format: 'integer' },
    { header: '加权平均分', width: 10, format: 'decimal2' },
    { header: '企业加分', width: 9, format: 'decimal2' },
    { header: '企业扣分', width: 9, format: 'decimal2' },
    { header: '企业得分', width: 9, format: 'decimal2' },
    { header: '信用等级', width: 8, format: 'text' },
    { header: '企业满意率', width: 10, format: 'percent' },
    { header: '近期不良记录', width: 10, format: 'integer' },
    { header: '一票否决', width: 24, format: 'text' },
    { header: '红黑榜决定', width: 36, format: 'text' },
  ];
  if (withPrevious) columns.push({ header: '上期得分', width: 9, format: 'decimal2' }, { header: '上期等级', width: 8, format: 'text' });
  columns.push(REVISION_COLUMN, { header: '说明', width: 50, format: 'text' });
  return { name: '企业排名', title, columns, freezeColumns: 2, autoFilter: true };
}

export function companyRankingRow(rank: number | null, c: CompanyRow, withPrevious: boolean): SheetRow {
  const o = c.outcome;
  const vetoes = [...new Set(o.vetoes.map((v) => v.reason))].join('；');
  const decisions = o.lists.map((l) => `${LIST_LABELS[l.list]}：${l.reason}`).join('；');
  const cells = [
    rank,
    c.name,
    c.uscc,
    c.projectsInScope,
    o.assessedProjects,
    o.notAssessedProjects,
    o.weightedScore,
    o.bonus.capped,
    -o.deductions.total,
    c.score,
    c.grade ?? '未评定',
    o.satisfactionRate,
    o.badRecords,
    vetoes || null,
    decisions || null,
  ];
  if (withPrevious) cells.push(c.previous?.score ?? null, c.previous ? (c.previous.grade ?? '未评定') : '不在上期考核中');
  const revisionColumn = cells.length;
  cells.push(revisionText(c.revision), notesText(o.notes, '；') || null);
  const list = o.lists.some((l) => l.list === 'black') ? 'black' : o.lists.some((l) => l.list === 'red') ? 'red' : undefined;
  const fills: Record<number, 'red' | 'black' | 'section'> = {};
  if (list) fills[14] = list;
  if (c.revision > 0) fills[revisionColumn] = 'section';
  return { cells, cellFills: Object.keys(fills).length > 0 ? fills : undefined };
}

// ---- 红黑榜 -------------------------------------------------------------------------------

export function listSheetSpec(title: string, name = '红黑榜'): SheetSpec {
  return {
    name,
    title,
    columns: [
      { header: '名单', width: 7, format: 'text' },
      { header: '物业服务企业', width: 30, format: 'text' },
      { header: '统一社会信用代码', width: 21, format: 'text' },
      { header: '严重程度', width: 8, format: 'text' },
      { header: '列入原因', width: 40, format: 'text' },
      { header: '依据条款', width: 50, format: 'text' },
      { header: '列入日期', width: 12, format: 'date' },
      { header: '最短期限至', width: 12, format: 'date' },
      { header: '最长期限至', width: 12, format: 'date' },
      { header: '期末状态', width: 10, format: 'text' },
      { header: '本期变动', width: 50, format: 'text' },
    ],
    freezeColumns: 2,
    autoFilter: true,
  };
}

export function listRow(e: ListEntryRow, from: string, to: string): SheetRow {
  return {
    cells: [
      LIST_LABELS[e.list],
      e.companyName,
      e.uscc,
      SEVERITY_LABELS[e.severity] ?? e.severity,
      e.reason,
      e.clause,
      e.startedOn,
      e.minEndOn,
      e.maxEndOn,
      ENTRY_STATE_LABELS[entryStateOn(e, to)],
      movementText(transitionsIn(e, from, to)) || null,
    ],
    cellFills: { 0: e.list },
  };
}

// ---- 诚信台账 -----------------------------------------------------------------------------

export function ledgerSpec(title: string): SheetSpec {
  return {
    name: '诚信台账',
    title,
    columns: [
      { header: '条目号', width: 8, format: 'integer' },
      { header: '记录日期', width: 12, format: 'date' },
      { header: '物业服务企业', width: 30, format: 'text' },
      { header: '统一社会信用代码', width: 21, format: 'text' },
      { header: '分值', width: 8, format: 'decimal2' },
      { header: '事由', width: 70, format: 'text' },
      { header: '规则', width: 28, format: 'text' },
      { header: '证据', width: 30, format: 'text' },
      { header: '有效期起', width: 12, format: 'date' },
      { header: '有效期止', width: 12, format: 'date' },
      { header: '冲正条目', width: 9, format: 'integer' },
    ],
    freezeColumns: 3,
    autoFilter: true,
  };
}

export function ledgerRow(l: LedgerRow): SheetRow {
  return { cells: [l.id, l.entryDate, l.companyName, l.uscc, l.points, l.reason, l.ruleId, l.evidence, l.validFrom, l.validTo, l.reversesEntryId] };
}

// ---- 方法说明 -----------------------------------------------------------------------------

export interface MethodologyInput {
  reportLabel: string;
  run: RunInfo;
  ruleSet: CompiledRuleSet;
  scope: string;
  generatedAt: Date;
  timeZone: string;
  /** extra lines that say how the sheets were made */
  notes: readonly string[];
}

export function methodologySpec(title: string): SheetSpec {
  return { name: '方法说明', title, columns: SUMMARY_COLUMNS };
}

export function methodologyRows(input: MethodologyInput): SheetRow[] {
  const { run, ruleSet } = input;
  const manifest = ruleSet.manifest;
  const rows: SheetRow[] = [
    textRow('报表', input.reportLabel),
    textRow('范围', input.scope),
    textRow('生成时间', dateTimeText(input.generatedAt, input.timeZone)),
    sectionRow('考核运行'),
    itemRow('考核运行编号', run.id),
    textRow('考核周期', run.periodCode),
    textRow('运行范围', run.streetCode ?? '全部街道'),
    textRow('状态', RUN_STATUS_LABELS[run.status] ?? run.status),
    textRow('运行时间', dateTimeText(run.createdAt, input.timeZone)),
    textRow('发布时间', run.publishedAt ? dateTimeText(run.publishedAt, input.timeZone) : '未发布'),
    textRow('运行指纹', run.fingerprint),
    textRow('输入数据摘要', run.inputDigest),
    textRow('结果摘要', run.outcomeDigest),
    textRow('计分引擎版本', run.engineVersion),
    sectionRow('规则集'),
    textRow('规则集名称', `${run.ruleSetName}（${manifest.title}）`),
    textRow('规则集版本', run.ruleSetVersion),
    textRow('规则集指纹', run.ruleSetFingerprint),
    textRow('说明', manifest.authorNote ?? null),
    sectionRow('计分项目'),
  ];
  for (const part of manifest.parts) rows.push(itemRow(part.label, part.max, part.combine === 'band' ? '按档次得分' : '各条得分相加', { format: 'decimal2' }));
  rows.push(itemRow('加分上限', manifest.parameters.projectTotal.bonusCap, '扣分不封顶，总分不低于下限', { format: 'decimal2' }));
  const clauses = (stage: 'stars' | 'grade' | 'lists' | 'vetoes') => {
    for (const rule of ruleSet.stages[stage]) rows.push(textRow(rule.id, rule.clause));
  };
  rows.push(sectionRow('星级评定'));
  clauses('stars');
  rows.push(sectionRow('信用等级'));
  clauses('grade');
  rows.push(sectionRow('一票否决'));
  clauses('vetoes');
  rows.push(sectionRow('红黑榜'));
  clauses('lists');
  rows.push(sectionRow('本表的做法'));
  for (const note of input.notes) rows.push(textRow('', note));
  rows.push(textRow('', '名称、原因、条款等来自数据的文字一律按文本写入（单元格格式为“文本”），不会被当作公式执行。'));
  return rows;
}
