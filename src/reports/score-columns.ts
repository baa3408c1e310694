import type { CompiledRuleSet } from '../rules/rule-set.js';
import type { ProjectRow } from './report-data.js';
import { starsText } from './report-text.js';
import type { CellValue, ColumnSpec } from './sheet-model.js';

/** A project's score as columns: one per part of the rule set, then bonus, deductions, total and stars. */
export function scoreColumns(ruleSet: CompiledRuleSet): ColumnSpec[] {
  return [
    ...ruleSet.manifest.parts.map((p): ColumnSpec => ({ header: `${p.label}（${p.max}）`, width: 11, format: 'decimal2' })),
    { header: '加分', width: 8, format: 'decimal2' },
    { header: '扣分', width: 8, format: 'decimal2' },
    { header: '总分', width: 9, format: 'decimal2' },
    { header: '星级', width: 10, format: 'text' },
  ];
}

/** The cells under scoreColumns; empty for a project not assessed. */
export function scoreCells(p: ProjectRow, ruleSet: CompiledRuleSet): CellValue[] {
  const parts = new Map(p.outcome.parts.map((x) => [x.part, x.points]));
  return [
    ...ruleSet.manifest.parts.map((def) => (p.assessed ? (parts.get(def.id) ?? 0) : null)),
    p.assessed ? p.outcome.bonus.capped : null,
    p.assessed ? -p.outcome.deductions.total : null,
    p.total,
    starsText(p.stars, p.assessed),
  ];
}
