import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from './rule-set.loader.js';
import { describeRuleSet } from './rule-set.describe.js';

describe('rules:describe', () => {
  const [sheet] = describeRuleSet(loadRuleSet(readRuleSetDirectory(DEFAULT_RULES_DIR)));
  const rows = [...(sheet.rows as Iterable<{ cells: readonly (string | number | null)[] }>)].map((r) => r.cells);

  it('lists every rule with its clause, and the parameters in words', () => {
    const ruleIds = rows.map((c) => c[4]).filter(Boolean);
    expect(ruleIds).toHaveLength(34 + 9 + 4 + 5 + 6 + 4);
    expect(rows).toContainEqual(['1', '群众满意度', '30', '满意率 ≥ 95%，得 30 分', 'satisfaction-ge-95']);
    expect(rows).toContainEqual([expect.any(String), '扣分', '−5/次', '受到行政处罚，每次扣 5 分', 'deduction-administrative-penalty']);
    expect(rows.map((c) => c[3]).join('\n')).toContain('安全类情形：至少 12 个月，最长 36 个月');
    expect(rows.map((c) => c[1]).join('\n')).toContain('二、加分项（合计封顶 10 分）');
  });
});
