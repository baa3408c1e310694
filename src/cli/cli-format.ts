import { STATE_LABELS, type DecisionReport } from '../appeals/appeals.service.js';
import type { BenchMeasurement, BenchPreparation, ImportBenchReport, StreetFlowTimes } from '../bench/bench.service.js';
import type { Finding } from '../rules/rule-set.checks.js';
import { formatFinding } from '../rules/rule-set.loader.js';
import type { RuleTestResult } from '../rules/rule-tests.js';
import type { ComparisonSummary } from '../assessment/comparison.js';
import type { RunReport } from '../assessment/assessment.service.js';
import type { DraftRun } from '../assessment/run-retention.repository.js';
import type { DraftPruning } from '../assessment/run-retention.service.js';
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
  assessment_runs: '考核运行',
  project_results: '项目考核结果',
  company_results: '企业考核结果',
  list_entries: '红黑榜记录',
  list_transitions: '红黑榜变动',
  ledger_entries: '诚信台账',
  appeal_sheet_exports: '申诉评分表导出',
  appeals: '申诉提交',
  appeal_lines: '申诉行',
  appeal_decisions: '申诉审核决定',
  company_revisions: '企业结果修订',
  project_revisions: '项目结果修订',
  fact_corrections: '指标更正',
  final_results: '最终结果',
  credit_repairs: '信用修复申请',
  audit_log: '审计记录',
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

export function formatRunReport(report: RunReport): string {
  const s = report.summary;
  const entries = (record: Record<string, number>, suffix = '') =>
    Object.entries(record)
      .map(([k, v]) => `${k}${suffix} ${v}`)
      .join('，') || '无';
  const lines = [
    `考核运行 #${report.runId}  周期 ${report.period}  范围 ${report.streetCode ?? '全部街道'}  状态 ${report.status === 'published' ? '已发布' : '草稿'}`,
    `规则集 ${report.ruleSet.name} ${report.ruleSet.version}（${report.ruleSet.fingerprint.slice(0, 12)}）`,
    `参评项目 ${s.projectsAssessed}，不参评 ${s.projectsNotAssessed}，样本不足按威尔逊下限计分 ${s.smallSampleProjects}`,
    `星级：${entries(Object.fromEntries(Object.entries(s.stars).map(([k, v]) => [`${k}星`, v])))}`,
    `信用等级：${entries(s.grades)}`,
    `红榜 ${s.redListDecisions} 家，黑榜 ${s.blackListDecisions} 家（其中一票否决 ${s.vetoedCompanies} 家）`,
  ];
  if (s.listChanges) {
    const side = (k: 'entered' | 'exited' | 'expired') => `红榜 ${s.listChanges![k].red ?? 0}、黑榜 ${s.listChanges![k].black ?? 0}`;
    lines.push(`名单变动：新列入 ${side('entered')}；移出 ${side('exited')}；期满移出 ${side('expired')}；诚信台账新增 ${s.ledgerEntries ?? 0} 条`);
  }
  lines.push(`运行指纹 ${report.fingerprint}`);
  lines.push(`  输入摘要 ${report.inputDigest}`);
  lines.push(`  结果摘要 ${report.outcomeDigest}`);
  return lines.join('\n');
}

export function formatDraftPruning(pruning: DraftPruning): string {
  const scope = (d: DraftRun) => `周期 ${d.periodCode}  范围 ${d.streetCode ?? '全部街道'}  创建于 ${d.createdAt.toISOString().slice(0, 10)}`;
  const lines = [
    `${pruning.dryRun ? '试运行（未删除任何数据）：' : ''}创建早于 ${pruning.cutoff.toISOString().slice(0, 10)}（${pruning.olderThanDays} 天前）的草稿考核运行`,
    `${pruning.dryRun ? '将删除' : '已删除'} ${pruning.removed.length} 个：`,
    ...pruning.removed.map((d) => `  #${d.id}  ${scope(d)}  项目结果 ${d.projectResults}，企业结果 ${d.companyResults}`),
    `保留 ${pruning.kept.length} 个（仍被引用）：`,
    ...pruning.kept.map((d) => `  #${d.id}  ${scope(d)}  被引用：${d.referencedBy.join('，')}`),
  ];
  return lines.join('\n');
}

export function formatBenchPreparation(p: BenchPreparation, period: string): string {
  return [
    `bench: scale ${p.scale} on ${p.backend}, period ${period}`,
    p.seeded.reused ? '  seed: reused the data already stored' : `  seed: ${p.seeded.seconds!.toFixed(1)} s`,
  ].join('\n');
}

export function formatBenchMeasurement(round: number, m: BenchMeasurement): string {
  const n = (x: number) => Math.round(x).toLocaleString('en');
  const s = (x: number) => `${x.toFixed(2)} s`;
  const load = `load average ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')}`;
  switch (m.stage) {
    case 'assessment': {
      const r = m.rules;
      return [
        `[round ${round}] assessment: ${s(m.wallSeconds)} wall, peak RSS ${m.peakRssMb} MB, ${m.run.summary.projectsAssessed + m.run.summary.projectsNotAssessed} projects (${load})`,
        ...m.run.timings.map((t) => `    ${t.stage.padEnd(12)} ${t.seconds.toFixed(2).padStart(8)} s   peak RSS ${t.peakRssMb} MB`),
        `    input digest ${s(m.run.digestSeconds)}`,
        `    event loop: longest stall ${m.eventLoopDelayMs.max.toFixed(0)} ms, 99th percentile ${m.eventLoopDelayMs.p99.toFixed(0)} ms (what a request such as /health waits at most)`,
        `    rules: compiled ${n(r.compiledEvaluationsPerSecond)}/s, json-rules-engine ${n(r.engineEvaluationsPerSecond)}/s, ratio ${r.ratio.toFixed(1)}×; parity over ${n(r.conditionsCompared)} conditions: ${r.mismatches} mismatches`,
        `    run #${m.run.runId} fingerprint ${m.run.fingerprint}`,
      ].join('\n');
    }
    case 'street-annual':
      return `[round ${round}] street annual (whole area, run #${m.runId}): ${s(m.seconds)}, peak RSS ${m.peakRssMb} MB, ${m.sheets.map((x) => `${x.name} ${n(x.rows)}`).join(', ')} (${load})`;
    case 'street': {
      const f = (t: StreetFlowTimes) => `${s(t.totalSeconds)} (assess ${s(t.assessSeconds)}, publish ${s(t.publishSeconds)}, report ${s(t.reportSeconds)})`;
      return [
        `[round ${round}] street ${m.streetCode} (${m.projects} projects) assessed, published and reported: warm ${f(m.warm)}; cold ${f(m.cold)}; peak RSS ${m.peakRssMb} MB (${load})`,
      ].join('\n');
    }
  }
}

export function formatImportBench(b: ImportBenchReport): string {
  return [
    `bench --import: ${b.answers.toLocaleString('en')} survey answers over ${b.projects} projects on ${b.backend} (${(b.fileBytes / 1024 / 1024).toFixed(1)} MB: ${b.file})`,
    `  write workbook ${b.write.seconds.toFixed(2).padStart(8)} s`,
    `  dry run        ${b.dryRun.seconds.toFixed(2).padStart(8)} s   peak RSS ${b.dryRun.peakRssMb} MB`,
    `  import         ${b.import.seconds.toFixed(2).padStart(8)} s   peak RSS ${b.import.peakRssMb} MB`,
  ].join('\n');
}

export function formatComparison(s: ComparisonSummary, baseRunId: number): string {
  return [
    `对比运行 #${baseRunId}：企业 ${s.companies} 家中 ${s.companiesChanged} 家结果变化，等级上升 ${s.gradeUp}、下降 ${s.gradeDown}；`,
    `  红榜新列入 ${s.enteredRed}、移出 ${s.leftRed}；黑榜新列入 ${s.enteredBlack}、移出 ${s.leftBlack}；`,
    `  项目 ${s.projects} 个中 ${s.projectsChanged} 个得分或星级变化，星级上升 ${s.starsUp}、下降 ${s.starsDown}`,
  ].join('\n');
}

export function formatRuleCheck(report: { findings: Finding[]; errors: number }, dir: string): string {
  const lines = report.findings.map((f) => `${f.severity === 'error' ? '错误' : '提示'} [${f.code}] ${formatFinding(f)}`);
  lines.push(report.errors === 0 ? `规则集检查通过（${dir}）` : `规则集有 ${report.errors} 处错误（${dir}）`);
  return lines.join('\n');
}

export function formatRuleTests(report: { results: RuleTestResult[]; failed: number }): string {
  const lines = report.results.filter((r) => r.failures.length > 0).map((r) => `✗ ${r.file} · ${r.name}\n${r.failures.map((f) => `    ${f}`).join('\n')}`);
  lines.push(`${report.results.length - report.failed} passed, ${report.failed} failed`);
  return lines.join('\n');
}

/** An appeal decision and, for an accepting bureau decision, the revision it made. */
export function formatDecision(r: DecisionReport): string {
  const lines = [
    `申诉行 #${r.appealLineId}（${r.lineId}）：${r.level === 'street' ? '街道初审' : '住建局复核'}${r.outcome === 'accept' ? '同意' : '不同意'}，现状态：${STATE_LABELS[r.state]}`,
  ];
  const v = r.revision;
  if (v) {
    lines.push(
      `  结果修订为第 ${v.revision} 版：企业得分 ${v.scoreBefore ?? '—'} → ${v.scoreAfter ?? '—'}，信用等级 ${v.gradeBefore ?? '未评定'} → ${v.gradeAfter ?? '未评定'}`,
    );
    lines.push(
      `  红黑榜决定 ${v.listsBefore.join('、') || '无'} → ${v.listsAfter.join('、') || '无'}；名单变动 ${v.listTransitions.map((t) => `${t.list}:${t.kind}`).join('、') || '无'}；台账冲销 ${v.ledgerReversals} 条`,
    );
    if (v.changedProjects.length > 0) lines.push(`  重新计分的项目：${v.changedProjects.join('、')}`);
  }
  return lines.join('\n');
}
