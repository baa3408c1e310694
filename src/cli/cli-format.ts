import type { TableCount } from '../db/database-status.repository.js';
import type { LoadCounts } from '../intake/intake.service.js';
import { RECORD_LABELS, type RecordKind } from '../intake/records.js';

const TABLE_LABELS: Record<string, string> = {
  streets: '街道',
  communities: '社区',
  companies: '物业服务企业',
  projects: '物业项目',
  assessment_periods: '考核周期',
  survey_answers: '满意度调查答卷',
  complaint_tickets: '投诉工单',
  fee_records: '物业费收缴',
  party_checks: '党建指标',
  credit_events: '加减分事件',
  three_party_ratings: '三方互评',
};

function columns(rows: [string, string, number][]): string {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, label, n]) => `  ${name.padEnd(width)}  ${n.toLocaleString('en').padStart(12)}  ${label}`).join('\n');
}

export function formatTableCounts(counts: TableCount[]): string {
  return columns(counts.map((c) => [c.table, TABLE_LABELS[c.table] ?? '', c.rows]));
}

export function formatCounts(counts: LoadCounts): string {
  return columns((Object.keys(counts) as RecordKind[]).map((kind) => [kind, RECORD_LABELS[kind], counts[kind]]));
}
