/**
 * 企业考核评分表: one company's result, one row per indicator line with a stable line id.
 * The appeals work adds its columns (claimed value, reason, evidence reference) to the same
 * sheet through `scoresheetSpec(title, extraColumns)` / `scoresheetRow(line, extraCells)`. Pure.
 */
import { noteText, notesText } from './note-text.js';
import type { Period } from '../domain/period.js';
import type { CompiledRuleSet } from '../rules/rule-set.js';
import type { IndicatorLine } from './indicator-lines.js';
import type { CompanyRow, ProjectRow, RunInfo } from './report-data.js';
import { scoreCells, scoreColumns } from './score-columns.js';
import { LIST_LABELS, RUN_STATUS_LABELS, factCell, factLabel, periodLabel } from './report-text.js';
import { SUMMARY_COLUMNS, itemRow, sectionRow, textRow, type CellValue, type ColumnSpec, type SheetRow, type SheetSpec } from './sheet-model.js';

export const SCORESHEET_SHEET_NAME = '评分明细';
export const LINE_ID_HEADER = '行号';

/** The columns of the score sheet, in order; `LINE_ID_HEADER` is always the first. */
export const SCORESHEET_COLUMNS: readonly ColumnSpec[] = [
  { header: LINE_ID_HEADER, width: 34, format: 'text' },
  { header: '项目编码', width: 14, format: 'text' },
  { header: '项目名称', width: 22, format: 'text' },
  { header: '指标类别', width: 12, format: 'text' },
  { header: '规则编号', width: 28, format: 'text' },
  { header: '依据条款', width: 44, format: 'text' },
  { header: '指标', width: 20, format: 'text' },
  { header: '原始值', width: 11, format: 'decimal2' },
  { header: '数据明细', width: 50, format: 'text' },
  { header: '得分', width: 8, format: 'decimal2' },
  { header: '满分', width: 8, format: 'decimal2' },
  { header: '证据与说明', width: 50, format: 'text' },
];

export function scoresheetSpec(title: string, extraColumns: readonly ColumnSpec[] = []): SheetSpec {
  return { name: SCORESHEET_SHEET_NAME, title, columns: [...SCORESHEET_COLUMNS, ...extraColumns], freezeColumns: 1, autoFilter: true };
}

export function scoresheetRow(line: IndicatorLine, extraCells: readonly CellValue[] = []): SheetRow {
  const raw = line.mainFact === null ? { value: null, format: 'decimal2' as const } : factCell(line.mainFact, line.mainValue);
  return {
    cells: [
      line.lineId,
      line.projectCode ?? '（企业层面）',
      line.projectName,
      line.sectionLabel,
      line.rule,
      line.clause,
      line.mainFact === null ? null : factLabel(line.mainFact),
      raw.value,
      line.factsText || null,
      line.points,
      line.max,
      line.evidence || null,
      ...extraCells,
    ],
    formats: { 7: raw.format },
    fill: line.section === 'veto' ? 'black' : undefined,
  };
}

export function scoresheetTitle(company: { name: string; uscc: string }, period: Period): string {
  return `${company.name}（${company.uscc}）${periodLabel(period)}考核评分表`;
}

// ---- 企业汇总 -----------------------------------------------------------------------------

export function companySummarySpec(title: string): SheetSpec {
  return { name: '企业汇总', title, columns: SUMMARY_COLUMNS };
}

export function companySummaryRows(company: CompanyRow, run: RunInfo, period: Period, scope: string, projectsShown: number): SheetRow[] {
  const o = company.outcome;
  const rows: SheetRow[] = [
    textRow('物业服务企业', company.name),
    textRow('统一社会信用代码', company.uscc),
    textRow('考核周期', `${periodLabel(period)}（${period.code}）`),
    textRow('考核运行', `#${run.id}（${RUN_STATUS_LABELS[run.status] ?? run.status}）`),
    textRow('本表范围', scope),
    itemRow('本表所列项目', projectsShown),
    sectionRow('企业得分'),
    itemRow('参评项目', o.assessedProjects),
    itemRow('不参评项目', o.notAssessedProjects),
    itemRow(`项目${o.weighting === 'households' ? '按户数' : '按建筑面积'}加权平均分`, o.weightedScore, null, { format: 'decimal2' }),
    itemRow('企业层面加分', o.bonus.capped, o.bonus.raw > o.bonus.capped ? `合计 ${o.bonus.raw}，按上限计` : null, { format: 'decimal2' }),
    itemRow('企业层面扣分', o.deductions.total === 0 ? 0 : -o.deductions.total, null, { format: 'decimal2' }),
    itemRow('企业得分', company.score, null, { format: 'decimal2' }),
    textRow('信用等级', company.grade === null ? '未评定' : `${company.grade}${o.gradeRule ? `（${o.gradeRule}）` : ''}`),
    itemRow('企业满意率', o.satisfactionRate, '参评项目满意答卷 ÷ 全部答卷', { format: 'percent' }),
    itemRow('近期不良记录', o.badRecords),
    sectionRow('一票否决与红黑榜'),
  ];
  if (o.vetoes.length === 0) rows.push(textRow('一票否决', '无'));
  for (const v of o.vetoes) rows.push(textRow('一票否决', `${v.reason}（${v.projectCode ? `项目 ${v.projectCode}` : '企业层面'}；${v.rule}：${v.clause}）`));
  if (o.lists.length === 0) rows.push(textRow('红黑榜决定', '不列入'));
  for (const l of o.lists) rows.push({ ...textRow(`红黑榜决定：${LIST_LABELS[l.list]}`, `${l.reason}（${l.rule}：${l.clause}）`), cellFills: { 0: l.list } });
  if (o.notes.length > 0) {
    rows.push(sectionRow('说明'));
    for (const note of o.notes) rows.push(textRow('', noteText(note)));
  }
  return rows;
}

// ---- 项目汇总 -----------------------------------------------------------------------------

export function projectSummarySpec(title: string, ruleSet: CompiledRuleSet): SheetSpec {
  return {
    name: '项目汇总',
    title,
    columns: [
      { header: '项目编码', width: 14, format: 'text' },
      { header: '项目名称', width: 22, format: 'text' },
      { header: '街道', width: 14, format: 'text' },
      { header: '社区', width: 14, format: 'text' },
      { header: '总户数', width: 9, format: 'integer' },
      ...scoreColumns(ruleSet),
      { header: '说明', width: 60, format: 'text' },
    ],
    freezeColumns: 2,
    autoFilter: true,
  };
}

export function projectSummaryRow(p: ProjectRow, ruleSet: CompiledRuleSet): SheetRow {
  return {
    cells: [
      p.code,
      p.name,
      p.streetName,
      p.communityName,
      p.households,
      ...scoreCells(p, ruleSet),
      notesText(p.outcome.notes, '；') || null,
    ],
  };
}
