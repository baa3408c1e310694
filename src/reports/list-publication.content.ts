/** 红黑榜公示: the entries on the lists at the end of a published period, and those that left. Pure. */
import type { Period } from '../domain/period.js';
import type { RuleSetParameters } from '../rules/rule-set.js';
import { entryStateOn, transitionsIn, ENTRY_STATE_LABELS } from './list-status.js';
import type { ListEntryRow } from './report-data.js';
import { LIST_LABELS, SEVERITY_LABELS, TRANSITION_LABELS, periodLabel } from './report-text.js';
import type { SheetRow, SheetSpec } from './sheet-model.js';

export function publicationTitle(period: Period, scope: string): string {
  return `${periodLabel(period)}物业服务企业红黑榜公示（${scope}）`;
}

export function publicationSpec(title: string): SheetSpec {
  return {
    name: '红黑榜公示',
    title,
    columns: [
      { header: '序号', width: 6, format: 'integer' },
      { header: '名单', width: 7, format: 'text' },
      { header: '物业服务企业', width: 30, format: 'text' },
      { header: '统一社会信用代码', width: 21, format: 'text' },
      { header: '列入原因', width: 40, format: 'text' },
      { header: '依据条款', width: 56, format: 'text' },
      { header: '严重程度', width: 8, format: 'text' },
      { header: '列入日期', width: 12, format: 'date' },
      { header: '最短期限至', width: 12, format: 'date' },
      { header: '最长期限至', width: 12, format: 'date' },
      { header: '本期情况', width: 16, format: 'text' },
    ],
    freezeColumns: 3,
    autoFilter: true,
  };
}

/** Entries open at `to` (the period's end), numbered; `from` tells which entered in this period. */
export function publicationRows(open: readonly ListEntryRow[], from: string, to: string): SheetRow[] {
  return open.map((e, i) => {
    const moved = transitionsIn(e, from, to);
    const situation = moved.some((t) => t.kind === 'entered') ? '本期新列入' : moved.some((t) => t.kind === 'cleared') ? '条件不再满足，待满期或修复' : '继续在榜';
    return {
      cells: [i + 1, LIST_LABELS[e.list], e.companyName, e.uscc, e.reason, e.clause, SEVERITY_LABELS[e.severity] ?? e.severity, e.startedOn, e.minEndOn, e.maxEndOn, situation],
      cellFills: { 1: e.list },
    };
  });
}

export function leftSpec(title: string): SheetSpec {
  return {
    name: '本期移出',
    title,
    columns: [
      { header: '序号', width: 6, format: 'integer' },
      { header: '名单', width: 7, format: 'text' },
      { header: '物业服务企业', width: 30, format: 'text' },
      { header: '统一社会信用代码', width: 21, format: 'text' },
      { header: '列入原因', width: 40, format: 'text' },
      { header: '依据条款', width: 56, format: 'text' },
      { header: '列入日期', width: 12, format: 'date' },
      { header: '移出日期', width: 12, format: 'date' },
      { header: '移出方式', width: 10, format: 'text' },
      { header: '说明', width: 40, format: 'text' },
    ],
    freezeColumns: 3,
    autoFilter: true,
  };
}

export function leftRows(left: readonly ListEntryRow[], from: string, to: string): SheetRow[] {
  return left.map((e, i) => {
    const end = transitionsIn(e, from, to).find((t) => t.kind === 'exited' || t.kind === 'expired');
    return {
      cells: [i + 1, LIST_LABELS[e.list], e.companyName, e.uscc, e.reason, e.clause, e.startedOn, end?.on ?? null, end ? TRANSITION_LABELS[end.kind] : ENTRY_STATE_LABELS[entryStateOn(e, to)], end?.note ?? null],
      cellFills: { 1: e.list },
    };
  });
}

/** What the lists mean and how long entries last, from the run's rule set. */
export function publicationNotes(parameters: RuleSetParameters['lists'], clauses: readonly { id: string; clause: string }[]): string[] {
  const d = parameters.durations;
  return [
    ...clauses.map((c) => `${c.clause}（${c.id}）`),
    `期限：一般情形最短 ${d.general.minMonths} 个月、最长 ${d.general.maxMonths} 个月；严重情形最短 ${d.serious.minMonths} 个月、最长 ${d.serious.maxMonths} 个月；安全类最短 ${d.safety.minMonths} 个月、最长 ${d.safety.maxMonths} 个月。`,
    `最短期限届满后，列入条件连续 ${parameters.exitAfterPeriods} 个考核周期不再满足的（或经信用修复），予以移出；达到最长期限自动移出。`,
    '本公示依据已发布的考核结果；对公示内容有异议的，可按异议申诉程序提出。',
  ];
}
