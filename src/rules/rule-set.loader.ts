import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { DomainError } from '../domain/errors.js';
import { parsePeriod, periodDates } from '../domain/period.js';
import { checkRuleSet, type Finding } from './rule-set.checks.js';
import { runRuleTests, type RuleTestResult } from './rule-tests.js';
import { compileRuleSet, type CompiledRuleSet, type RuleSetSource } from './rule-set.js';

export const RULES_ROOT = join(packageRoot(), 'rules');
export const DEFAULT_RULES_DIR = join(RULES_ROOT, 'default');

/** Reads the JSON files of a rule set directory (not its tests/ folder). */
export function readRuleSetDirectory(directory: string): RuleSetSource {
  const location = resolve(directory);
  let names: string[];
  try {
    if (!statSync(location).isDirectory()) throw new Error('not a directory');
    names = readdirSync(location).filter((n) => n.endsWith('.json')).sort();
  } catch {
    throw new DomainError('RULESET_NOT_FOUND', `rule set directory not found: ${location}`, `找不到规则集目录：${location}`);
  }
  const files: Record<string, string> = {};
  for (const name of names) files[name] = readFileSync(join(location, name), 'utf8');
  return { location, files };
}

/** Loads and checks a rule set (every check of rules:check); an error stops here, before a run starts. */
export function loadRuleSet(source: RuleSetSource): CompiledRuleSet {
  const { ruleSet, findings } = checkRuleSet(source);
  const errors = findings.filter((f) => f.severity === 'error');
  if (!ruleSet || errors.length > 0) {
    throw new DomainError(
      'RULESET_INVALID',
      `rule set ${source.location} is invalid: ${errors.length} error(s)`,
      `规则集 ${source.location} 有误，考核未运行`,
      errors.map(formatFinding),
    );
  }
  return ruleSet;
}

export function formatFinding(f: Finding): string {
  return `${f.file}${f.rule ? ` · 规则 ${f.rule}` : ''}: ${f.message}`;
}

/** sha256 over the file names and contents, in name order. */
export function ruleSetFingerprint(files: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) hash.update(name).update('\0').update(files[name]).update('\0');
  return hash.digest('hex');
}

/** Rule sets stored with runs, compiled once each (by fingerprint): reports, appeals and publication read them often. */
const compiledRunRuleSets = new Map<string, CompiledRuleSet>();
const COMPILED_RUN_RULE_SETS_KEPT = 8;

/** A run's stored rule set, compiled (or taken from those compiled before, by fingerprint). */
export function compileRunRuleSet(runId: number, files: Readonly<Record<string, string>>): CompiledRuleSet {
  const fingerprint = ruleSetFingerprint(files);
  const cached = compiledRunRuleSets.get(fingerprint);
  if (cached) {
    compiledRunRuleSets.delete(fingerprint);
    compiledRunRuleSets.set(fingerprint, cached);
    return cached;
  }
  const compiled = compileRuleSet({ location: `run ${runId}`, files: { ...files } });
  compiledRunRuleSets.set(fingerprint, compiled);
  if (compiledRunRuleSets.size > COMPILED_RUN_RULE_SETS_KEPT) compiledRunRuleSets.delete(compiledRunRuleSets.keys().next().value!);
  return compiled;
}

/** The test cases a rule set ships in its tests/ folder (file name → content); none when absent. */
export function readRuleTestFiles(directory: string): Record<string, string> {
  const folder = join(resolve(directory), 'tests');
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return {};
  }
  return Object.fromEntries(names.map((n) => [n, readFileSync(join(folder, n), 'utf8')]));
}

/**
 * The rule set in force for a period: among the sets under `root`, those whose effective
 * period covers the assessed one; the latest effective-from wins. Two at once is an error.
 */
export function ruleSetInForce(root: string, periodCode: string): string {
  const period = parsePeriod(periodCode)!;
  const { startsOn, endsOn } = periodDates(period);
  const candidates: { dir: string; from: string; to: string | null; name: string }[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    let manifest: { name?: string; effectiveFrom?: string; effectiveTo?: string | null };
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'ruleset.json'), 'utf8')) as typeof manifest;
    } catch {
      continue;
    }
    const from = manifest.effectiveFrom ? parsePeriod(manifest.effectiveFrom) : null;
    if (!from) continue;
    const to = manifest.effectiveTo ? parsePeriod(manifest.effectiveTo) : null;
    const fromDate = periodDates(from).startsOn;
    const toDate = to ? periodDates(to).endsOn : null;
    if (fromDate <= startsOn && (toDate === null || toDate >= endsOn)) candidates.push({ dir, from: fromDate, to: toDate, name: entry.name });
  }
  candidates.sort((a, b) => b.from.localeCompare(a.from));
  if (candidates.length === 0) {
    throw new DomainError('RULESET_NONE_IN_FORCE', `no rule set in ${root} is in force for ${periodCode}`, `没有适用于考核周期 ${periodCode} 的规则集（检查 rules/ 下各规则集的生效期间，或用 --rules 指定）`);
  }
  if (candidates.length > 1 && candidates[0].from === candidates[1].from) {
    throw new DomainError(
      'RULESET_AMBIGUOUS',
      `rule sets ${candidates[0].name} and ${candidates[1].name} are both in force for ${periodCode}`,
      `规则集 ${candidates[0].name} 与 ${candidates[1].name} 同时适用于 ${periodCode}，请调整生效期间或用 --rules 指定`,
    );
  }
  return candidates[0].dir;
}

/** `rules:check` of a directory: every finding, and how many are errors. */
export function checkRuleSetDirectory(directory: string): { findings: Finding[]; errors: number } {
  const { findings } = checkRuleSet(readRuleSetDirectory(directory));
  return { findings, errors: findings.filter((f) => f.severity === 'error').length };
}

/** `rules:test` of a directory: each case's failures (none when it passed). */
export function testRuleSetDirectory(directory: string): { results: RuleTestResult[]; failed: number } {
  const results = runRuleTests(loadRuleSet(readRuleSetDirectory(directory)), readRuleTestFiles(directory));
  return { results, failed: results.filter((r) => r.failures.length > 0).length };
}
