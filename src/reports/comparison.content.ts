import type { Comparison } from '../assessment/comparison.js';
import type { ListName } from '../rules/rule-set.js';
import { LIST_LABELS, starsText } from './report-text.js';
import { SUMMARY_COLUMNS, itemRow, sectionRow, textRow, type ReportSheet, type SheetRow } from './sheet-model.js';

const LIST_TEXT = (lists: string[]) => lists.map((l) => LIST_LABELS[l as ListName]).join('、') || '—';

export interface ComparisonLabels {
  period: string;
  baseRun: number;
  baseRules: string;
  draftRun: number;
  draftRules: string;
}

/** The what-if workbook: summary, companies and projects, largest change first. */
export function comparisonSheets(comparison: Comparison, labels: ComparisonLabels): ReportSheet[] {
  const s = comparison.summary;
  const title = `${labels.period} 规则调整影响测算：草稿 ${labels.draftRules}（运行 #${labels.draftRun}）对比 ${labels.baseRules}（运行 #${labels.baseRun}）`;
  const summary: SheetRow[] = [
    sectionRow('对比对象'),
    textRow('基准运行', `#${labels.baseRun}（${labels.baseRules}）`),
    textRow('草稿运行（未发布）', `#${labels.draftRun}（${labels.draftRules}）`),
    sectionRow('企业'),
    itemRow('参与对比的企业', s.companies),
    itemRow('结果有变化的企业', s.companiesChanged),
    itemRow('信用等级上升', s.gradeUp),
    itemRow('信用等级下降', s.gradeDown),
    itemRow('新列入红榜', s.enteredRed),
    itemRow('不再列入红榜', s.leftRed),
    itemRow('新列入黑榜', s.enteredBlack),
    itemRow('不再列入黑榜', s.leftBlack),
    sectionRow('项目'),
    itemRow('参与对比的项目', s.projects),
    itemRow('得分或星级有变化的项目', s.projectsChanged),
    itemRow('星级上升', s.starsUp),
    itemRow('星级下降', s.starsDown),
  ];
  const companies: SheetRow[] = comparison.companies.map((c) => ({
    cells: [c.name, c.uscc, c.before.score, c.after.score, c.delta, c.before.grade ?? '—', c.after.grade ?? '—', LIST_TEXT(c.before.lists), LIST_TEXT(c.after.lists)],
    fill: c.gradeMove < 0 ? 'worst' : c.gradeMove > 0 ? 'best' : undefined,
  }));
  const projects: SheetRow[] = comparison.projects.map((p) => ({
    cells: [p.projectCode, p.projectName, p.companyUscc, p.before.total, p.after.total, p.delta, starsText(p.before.stars), starsText(p.after.stars)],
    fill: (p.after.stars ?? 0) < (p.before.stars ?? 0) ? 'worst' : (p.after.stars ?? 0) > (p.before.stars ?? 0) ? 'best' : undefined,
  }));
  return [
    { spec: { name: '测算概况', title, columns: SUMMARY_COLUMNS }, rows: summary },
    {
      spec: {
        name: '企业变化',
        title,
        freezeColumns: 2,
        autoFilter: true,
        columns: [
          { header: '企业名称', width: 36, format: 'text' },
          { header: '统一社会信用代码', width: 22, format: 'text' },
          { header: '原得分', width: 10, format: 'decimal2' },
          { header: '新得分', width: 10, format: 'decimal2' },
          { header: '变化', width: 10, format: 'decimal2' },
          { header: '原等级', width: 8, format: 'text' },
          { header: '新等级', width: 8, format: 'text' },
          { header: '原红黑榜', width: 12, format: 'text' },
          { header: '新红黑榜', width: 12, format: 'text' },
        ],
      },
      rows: companies,
    },
    {
      spec: {
        name: '项目变化',
        title,
        freezeColumns: 2,
        autoFilter: true,
        columns: [
          { header: '项目编码', width: 14, format: 'text' },
          { header: '项目名称', width: 24, format: 'text' },
          { header: '企业统一社会信用代码', width: 22, format: 'text' },
          { header: '原总分', width: 10, format: 'decimal2' },
          { header: '新总分', width: 10, format: 'decimal2' },
          { header: '变化', width: 10, format: 'decimal2' },
          { header: '原星级', width: 10, format: 'text' },
          { header: '新星级', width: 10, format: 'text' },
        ],
      },
      rows: projects,
    },
  ];
}
