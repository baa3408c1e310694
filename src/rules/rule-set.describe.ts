import type { ColumnSpec, ReportSheet, SheetRow } from '../reports/sheet-model.js';
import { SEVERITY_LABELS, starsText } from '../reports/report-text.js';
import type { CompiledRuleSet, ListSeverity, PointsSpec, StageRule } from './rule-set.js';

const COLUMNS: readonly ColumnSpec[] = [
  { header: '序号', width: 8, format: 'text' },
  { header: '考核内容', width: 22, format: 'text' },
  { header: '分值', width: 10, format: 'text' },
  { header: '评分标准', width: 80, format: 'text' },
  { header: '规则编号', width: 30, format: 'text' },
];


function pointsText(rule: StageRule): string {
  const spec = rule.params.points as PointsSpec | undefined;
  const sign = rule.type === 'deduction' ? '−' : rule.type === 'bonus' ? '+' : '';
  if (spec === undefined) return '';
  if (typeof spec === 'number') return `${sign}${spec}`;
  if ('each' in spec) return `${sign}${spec.each}/次`;
  return `${spec.linear.from[1]}–${spec.linear.to[1]}`;
}

function section(title: string): SheetRow {
  return { cells: [null, title, null, null, null], fill: 'section', bold: true };
}

/**
 * A rule set as the bureau publishes its 考核细则: indicators with their bands and points,
 * bonus and deductions, vetoes, stars, grades, lists with their durations, parameters.
 */
export function describeRuleSet(ruleSet: CompiledRuleSet): ReportSheet[] {
  const { manifest, stages } = ruleSet;
  const p = manifest.parameters;
  const rows: SheetRow[] = [];
  let n = 0;
  const line = (content: string, points: string, clause: string, ruleId: string | null): SheetRow => ({ cells: [String(++n), content, points, clause, ruleId] });

  rows.push(section(`一、项目考核指标（满分 ${manifest.totalMax} 分）`));
  for (const part of manifest.parts) {
    rows.push({ cells: [null, part.label, String(part.max), part.combine === 'band' ? '按下列分档取一档得分' : '下列各项得分累加', null], bold: true });
    for (const rule of stages.indicators.filter((r) => r.params.part === part.id)) rows.push(line(part.label, pointsText(rule), rule.clause, rule.id));
  }
  rows.push(
    line(
      '满意度计算口径',
      '',
      `满意率 = 评分 ≥ ${p.satisfaction.positiveAnswerMin} 的答卷题数 ÷ 全部答题数；有效问卷少于 max(${p.satisfaction.minimumSample.respondents} 份, 入住户数 × ${p.satisfaction.minimumSample.shareOfOccupiedHouseholds * 100}%) 时，按威尔逊下限（z = ${p.satisfaction.wilsonZ}）计分`,
      null,
    ),
    line('投诉及时响应', '', `受理后 ${p.complaints.responseWindowHours} 小时内响应为及时响应`, null),
  );

  rows.push(section(`二、加分项（合计封顶 ${p.projectTotal.bonusCap} 分）`));
  for (const rule of stages.adjustments.filter((r) => r.type === 'bonus')) rows.push(line('加分', pointsText(rule), rule.clause, rule.id));
  rows.push(section('三、扣分项（不封顶，总分最低 ' + p.projectTotal.floor + ' 分）'));
  for (const rule of stages.adjustments.filter((r) => r.type === 'deduction')) rows.push(line('扣分', pointsText(rule), rule.clause, rule.id));
  rows.push(section('四、一票否决'));
  for (const rule of stages.vetoes) rows.push(line(`一票否决（${SEVERITY_LABELS[rule.params.severity as ListSeverity]}）`, '', rule.clause, rule.id));
  rows.push(section('五、星级评定'));
  for (const rule of stages.stars) rows.push(line(starsText(rule.params.stars as number), '', rule.clause, rule.id));
  rows.push(section(`六、企业信用等级（企业得分 = 所管项目按${p.company.weighting === 'households' ? '户数' : '建筑面积'}加权平均分 ± 企业层面加减分，企业加分封顶 ${p.company.bonusCap} 分）`));
  for (const rule of stages.grade) rows.push(line(String(rule.params.grade), '', rule.clause, rule.id));
  rows.push(line('企业得分取值', '', `企业得分按四舍五入保留 ${p.company.scoreDecimals} 位小数，信用等级与红黑榜按保留后的得分评定`, null));
  rows.push(line('企业一票否决', '', p.company.vetoTakesProjectStars ? '企业层面的一票否决事件，该企业所有项目本期不评星' : '企业层面的一票否决事件不影响其项目星级', null));
  rows.push(line('不良记录', '', `近 ${p.badRecords.windowMonths} 个月内的扣分事件或一票否决事件`, null));
  rows.push(section('七、红黑榜'));
  for (const rule of stages.lists) rows.push(line(rule.params.list === 'red' ? '红榜' : '黑榜', '', rule.clause, rule.id));
  for (const [severity, d] of Object.entries(p.lists.durations)) {
    rows.push(line('在榜期限', '', `${SEVERITY_LABELS[severity as ListSeverity]}情形：至少 ${d.minMonths} 个月，最长 ${d.maxMonths} 个月，期满自动移出`, null));
  }
  rows.push(line('移出条件', '', `已满最短期限且连续 ${p.lists.exitAfterPeriods} 个考核周期不再符合列入条件；黑榜可经信用修复提前移出`, null));
  rows.push(line('诚信台账', '', `每一加减分及一票否决事件记入诚信台账，有效期 ${p.ledger.validityMonths} 个月；更正以冲销记录进行`, null));

  return [
    {
      spec: {
        name: '考核细则',
        title: `${manifest.title}（${manifest.name} ${manifest.version}，自 ${manifest.effectiveFrom} 起施行${manifest.effectiveTo ? `，至 ${manifest.effectiveTo} 止` : ''}）`,
        columns: COLUMNS,
        freezeColumns: 2,
      },
      rows,
    },
  ];
}
