/**
 * 考核结果告知单 (issue 5, item 5): per company, every finding — a line that lost points, a
 * deduction, a veto — with its clause, points, the rectification deadline and the appeal
 * deadline. Written as a sheet of the appeal workbook and as a workbook of its own. Pure.
 */
import type { Period } from '../../domain/period.js';
import { SECTION_DEDUCTION, SECTION_VETO, type IndicatorLine } from '../../reports/indicator-lines.js';
import { factLabel, factWords, periodLabel } from '../../reports/report-text.js';
import { sectionRow, type SheetRow } from '../../reports/sheet-model.js';
import type { MaterialSheet } from './signature.js';

export const NOTICE_SHEET_NAME = '告知单';

export interface NoticeInput {
  company: { name: string; uscc: string };
  period: Period;
  runId: number;
  /** 0: the published result */
  revision: number;
  /** `YYYY-MM-DD` */
  publishedOn: string;
  appealDeadline: string;
  rectificationDeadline: string;
  lines: readonly IndicatorLine[];
}

/** A line the company is told about: it lost points, or is a deduction or a veto. */
export function isFinding(line: IndicatorLine): boolean {
  if (line.section === SECTION_VETO || line.section === SECTION_DEDUCTION) return true;
  return line.points !== null && line.max !== null && line.points < line.max;
}

const points = (value: number): string => String(Number(value.toFixed(2)));

function pointsText(line: IndicatorLine): string {
  if (line.section === SECTION_VETO) return '一票否决';
  if (line.section === SECTION_DEDUCTION) return `扣 ${points(Math.abs(line.points ?? 0))} 分`;
  return `${points(line.points ?? 0)} / ${points(line.max ?? 0)}（失 ${points((line.max ?? 0) - (line.points ?? 0))} 分）`;
}

function findingText(line: IndicatorLine): string {
  const facts = line.factsText || (line.mainFact === null ? '' : `${factLabel(line.mainFact)} ${factWords(line.mainFact, line.mainValue)}`);
  return `${line.sectionLabel}：${facts || line.clause || ''}`;
}

export function noticeSheet(input: NoticeInput): MaterialSheet & { rows: SheetRow[]; findings: number } {
  const { company, period } = input;
  const findings = input.lines.filter(isFinding);
  const version = input.revision === 0 ? '发布版' : `第 ${input.revision} 次修订版`;
  const head = (label: string, text: string): SheetRow => ({ cells: [label, text], formats: { 1: 'text' }, bold: false, cellFills: { 0: 'section' } });
  const rows: SheetRow[] = [
    head('物业服务企业', `${company.name}（统一社会信用代码 ${company.uscc}）`),
    head('考核周期', `${periodLabel(period)}（${period.code}）`),
    head('考核结果', `考核运行 #${input.runId}，${version}，${input.publishedOn} 发布`),
    head(
      '告知事项',
      `经考核，贵单位存在下列 ${findings.length} 项扣分或否决事项，请于 ${input.rectificationDeadline} 前完成整改。` +
        `对评分有异议的，请于 ${input.appealDeadline} 前在评分明细表中逐行填写申诉（申诉主张值、申诉理由、证据材料）并提交，逾期不予受理。`,
    ),
    sectionRow('发现问题'),
  ];
  if (findings.length === 0) rows.push({ cells: ['', '本期无扣分或否决事项'] });
  for (const line of findings) {
    rows.push({
      cells: [
        line.lineId,
        line.projectCode === null ? '企业层面' : `${line.projectCode} ${line.projectName ?? ''}`.trim(),
        findingText(line),
        line.rule === null ? line.clause : `${line.clause ?? ''}（${line.rule}）`,
        pointsText(line),
        input.rectificationDeadline,
        input.appealDeadline,
      ],
      fill: line.section === SECTION_VETO ? 'black' : undefined,
    });
  }
  return {
    spec: {
      name: NOTICE_SHEET_NAME,
      title: `${company.name}（${company.uscc}）${periodLabel(period)}考核结果告知单`,
      columns: [
        { header: '行号', width: 34, format: 'text' },
        { header: '项目', width: 24, format: 'text' },
        { header: '发现问题', width: 56, format: 'text' },
        { header: '依据条款', width: 44, format: 'text' },
        { header: '得分/满分或扣分', width: 18, format: 'text' },
        { header: '整改期限', width: 12, format: 'date' },
        { header: '申诉期限', width: 12, format: 'date' },
      ],
      protection: { unlockedColumns: [] },
    },
    rows,
    findings: findings.length,
  };
}
