import { eventOnlyFacts, Evaluator, gradeAndLists, scoreFacts, type VetoLine } from '../assessment/scoring.js';
import type { CompactTrace } from '../assessment/trace.js';
import type { FactValue } from './rule-json.js';
import type { CompiledRuleSet } from './rule-set.js';

/**
 * Test cases a rule set ships in `tests/*.json`: facts in (over the file's baseline),
 * expected points, total, stars, grade and list decisions out.
 */
export interface RuleTestFile {
  description?: string;
  baseline?: { project?: Record<string, FactValue>; company?: Record<string, FactValue> };
  cases: RuleTestCase[];
}

export interface RuleTestCase {
  name: string;
  project?: Record<string, FactValue>;
  company?: Record<string, FactValue>;
  expect: {
    parts?: Record<string, number>;
    total?: number;
    stars?: number;
    grade?: string | null;
    /** the lists the company is put on, e.g. ["black"] */
    lists?: string[];
  };
}

export interface RuleTestResult {
  file: string;
  name: string;
  failures: string[];
}

export function runRuleTests(ruleSet: CompiledRuleSet, files: Readonly<Record<string, string>>): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const [file, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    let parsed: RuleTestFile;
    try {
      parsed = JSON.parse(text) as RuleTestFile;
      if (!Array.isArray(parsed.cases)) throw new Error('"cases" must be an array');
    } catch (error) {
      results.push({ file, name: '(file)', failures: [`无法读取测试文件：${(error as Error).message}`] });
      continue;
    }
    for (const testCase of parsed.cases) results.push({ file, name: testCase.name, failures: runCase(ruleSet, parsed, testCase) });
  }
  return results;
}

function runCase(ruleSet: CompiledRuleSet, file: RuleTestFile, testCase: RuleTestCase): string[] {
  const failures: string[] = [];
  const evaluator = new Evaluator(ruleSet);
  const trace: CompactTrace = [];
  const check = (what: string, actual: unknown, expected: unknown) => {
    if (expected !== undefined && JSON.stringify(actual) !== JSON.stringify(expected)) {
      failures.push(`${what}：期望 ${JSON.stringify(expected)}，实际 ${JSON.stringify(actual)}`);
    }
  };
  const vetoes: VetoLine[] = [];
  const expect = testCase.expect;
  if (testCase.project || expect.parts || expect.total !== undefined || expect.stars !== undefined) {
    const facts = { ...file.baseline?.project, ...testCase.project };
    const score = scoreFacts(facts, ruleSet, evaluator, trace, 'TEST');
    vetoes.push(...score.vetoes);
    for (const [part, points] of Object.entries(expect.parts ?? {})) check(`指标 ${part} 得分`, score.parts.find((p) => p.part === part)?.points ?? null, points);
    check('项目总分', score.total, expect.total);
    check('星级', score.stars, expect.stars);
  }
  if (testCase.company || expect.grade !== undefined || expect.lists) {
    const facts: Record<string, FactValue> = { ...file.baseline?.company, ...testCase.company };
    const companyVetoes = evaluator.run('vetoes', eventOnlyFacts(numbersOf(facts), 'vetoes', ruleSet), trace);
    for (const { rule } of companyVetoes) vetoes.push({ rule: rule.id, clause: rule.clause, reason: typeof rule.params.reason === 'string' ? rule.params.reason : '', severity: rule.params.severity as VetoLine['severity'], projectCode: null });
    const judged = gradeAndLists({ ...facts, vetoed: vetoes.length > 0 }, vetoes, ruleSet, evaluator, trace);
    check('信用等级', judged.grade, expect.grade);
    check('红黑榜', [...new Set(judged.lists.map((l) => l.list))].sort(), expect.lists ? [...expect.lists].sort() : undefined);
  }
  return failures;
}

function numbersOf(facts: Record<string, FactValue>): Record<string, number> {
  return Object.fromEntries(Object.entries(facts).filter((e): e is [string, number] => typeof e[1] === 'number'));
}
