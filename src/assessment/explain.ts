import type { RuleResult } from '../rules/rule-compiler.js';
import type { FactValue } from '../rules/rule-json.js';
import type { CompiledRuleSet } from '../rules/rule-set.js';
import { FACT_LABELS } from './facts.js';
import { formatFact } from '../reports/fact-text.js';
import { noteText } from '../reports/note-text.js';
import { starFactsOf } from './scoring.js';
import { expandTrace, type StoredCompanyOutcome, type StoredProjectOutcome } from './stored-outcome.js';

const OPERATOR_TEXT: Record<string, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: '属于',
  notIn: '不属于',
  contains: '包含',
  doesNotContain: '不包含',
};

export { formatFact } from '../reports/fact-text.js';

const label = (fact: string) => FACT_LABELS[fact] ?? fact;

function conditionText(c: RuleResult['conditions'][number]): string {
  const expected =
    c.expected !== null && typeof c.expected === 'object' && !Array.isArray(c.expected)
      ? `${label((c.expected as { fact: string }).fact)}（${formatFact((c.expected as { fact: string }).fact, (c.expected as { value: FactValue }).value)}）`
      : formatFact(c.fact, c.expected);
  return `${label(c.fact)} ${formatFact(c.fact, c.actual)} ${c.result ? '满足' : '不满足'} ${OPERATOR_TEXT[c.operator] ?? c.operator} ${expected}`;
}

function ruleLines(trace: RuleResult[], ruleIds: ReadonlySet<string>, ruleSet: CompiledRuleSet, indent: string): string[] {
  const clauses = new Map(
    Object.values(ruleSet.stages)
      .flat()
      .map((r) => [r.id, r.clause]),
  );
  return trace
    .filter((t) => ruleIds.has(t.rule))
    .map((t) => {
      const mark = t.fired ? '✓' : '✗';
      const shown = t.fired ? t.conditions : t.conditions.filter((c) => !c.result);
      return `${indent}${mark} [${t.rule}] ${clauses.get(t.rule) ?? ''}\n${shown.map((c) => `${indent}    ${conditionText(c)}`).join('\n')}`;
    });
}

function stageRuleIds(ruleSet: CompiledRuleSet, stage: keyof CompiledRuleSet['stages'], filter: (params: Record<string, unknown>) => boolean = () => true) {
  return new Set(ruleSet.stages[stage].filter((r) => filter(r.params as Record<string, unknown>)).map((r) => r.id));
}

/** ★★★ for stars, 不评星 under a veto, 不参评 when the project was not assessed. */
export function starsText(stars: number | null, assessed = true): string {
  if (!assessed || stars === null) return '不参评';
  return stars === 0 ? '不评星' : '★'.repeat(stars);
}

/** A project's score, line by line, with the rules that fired and, for those that did not, why. */
export function explainProject(outcome: StoredProjectOutcome, ruleSet: CompiledRuleSet): string {
  const facts = outcome.assessed ? starFactsOf(outcome.facts, outcome) : outcome.facts;
  const trace = expandTrace(outcome.trace, facts, ruleSet);
  const lines: string[] = [];
  lines.push(`项目 ${outcome.projectCode} ${outcome.projectName}（企业 ${outcome.companyUscc}，街道 ${outcome.streetCode}，${outcome.households} 户）`);
  if (!outcome.assessed) {
    lines.push('  本期不参评');
  } else {
    lines.push(`  总分 ${outcome.total!.toFixed(2)}    星级 ${starsText(outcome.stars)}${outcome.starsRule ? `（${outcome.starsRule}）` : ''}`);
    for (const part of outcome.parts) {
      lines.push(`  ${part.label}：${part.points} / ${part.max}`);
      lines.push(
        ...ruleLines(
          trace,
          stageRuleIds(ruleSet, 'indicators', (p) => p.part === part.part),
          ruleSet,
          '    ',
        ),
      );
    }
    lines.push(
      `  加分：${outcome.bonus.capped}（合计 ${outcome.bonus.raw}，封顶 ${ruleSet.manifest.parameters.projectTotal.bonusCap}）    扣分：${outcome.deductions.total}`,
    );
    lines.push(...ruleLines(trace, stageRuleIds(ruleSet, 'adjustments'), ruleSet, '    ').filter((l) => l.includes('✓')));
    lines.push('  星级评定：');
    lines.push(...ruleLines(trace, stageRuleIds(ruleSet, 'stars'), ruleSet, '    '));
  }
  const vetoes = ruleLines(trace, stageRuleIds(ruleSet, 'vetoes'), ruleSet, '    ').filter((l) => l.includes('✓'));
  if (vetoes.length > 0) lines.push('  一票否决：', ...vetoes);
  for (const note of outcome.notes) lines.push(`  说明：${noteText(note)}`);
  return lines.join('\n');
}

/** A company's score, grade and list decisions, with the clauses behind them. */
export function explainCompany(outcome: StoredCompanyOutcome, ruleSet: CompiledRuleSet): string {
  const trace = expandTrace(outcome.trace, outcome.facts, ruleSet);
  const lines: string[] = [];
  lines.push(`企业 ${outcome.name}（统一社会信用代码 ${outcome.uscc}）`);
  lines.push(
    `  参评项目 ${outcome.assessedProjects} 个，不参评 ${outcome.notAssessedProjects} 个；按${outcome.weighting === 'households' ? '户数' : '建筑面积'}加权平均分 ${outcome.weightedScore ?? '—'}`,
  );
  const adjustmentIds = new Set([...stageRuleIds(ruleSet, 'adjustments'), ...stageRuleIds(ruleSet, 'company')]);
  const fired = ruleLines(trace, adjustmentIds, ruleSet, '    ').filter((l) => l.includes('✓'));
  if (fired.length > 0) lines.push(`  企业层面加分 ${outcome.bonus.capped}、扣分 ${outcome.deductions.total}：`, ...fired);
  lines.push(`  企业得分 ${outcome.score ?? '—'}    信用等级 ${outcome.grade ?? '—'}${outcome.gradeRule ? `（${outcome.gradeRule}）` : ''}`);
  lines.push(...ruleLines(trace, stageRuleIds(ruleSet, 'grade'), ruleSet, '    '));
  lines.push(`  企业满意率 ${formatFact('companySatisfactionRate', outcome.satisfactionRate)}，近期不良记录 ${outcome.badRecords} 条`);
  lines.push(
    '  红黑榜：' + (outcome.lists.length === 0 ? '不列入' : outcome.lists.map((l) => `${l.list === 'red' ? '红榜' : '黑榜'}（${l.reason}）`).join('；')),
  );
  lines.push(...ruleLines(trace, stageRuleIds(ruleSet, 'lists'), ruleSet, '    '));
  for (const note of outcome.notes) lines.push(`  说明：${noteText(note)}`);
  return lines.join('\n');
}
