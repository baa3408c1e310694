import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../config/paths.js';
import { DomainError } from '../domain/errors.js';
import { checkRuleSet, type Finding } from './rule-set.checks.js';
import type { CompiledRuleSet, RuleSetSource } from './rule-set.js';

export const DEFAULT_RULES_DIR = join(packageRoot(), 'rules', 'default');

/** Reads the JSON files of a rule set directory (not its tests/ folder). */
export function readRuleSetDirectory(directory: string): RuleSetSource {
  const location = resolve(directory);
  let names: string[];
  try {
    if (!statSync(location).isDirectory()) throw new Error('not a directory');
    names = readdirSync(location).filter((n) => n.endsWith('.json')).sort();
  } catch {
    throw new DomainError('RULESET_NOT_FOUND', 'bad_input', `rule set directory not found: ${location}`, `找不到规则集目录：${location}`);
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
      'bad_input',
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
  for (const name of Object.keys(files).sort()) hash.update(name).update('\0').update(files[name]!).update('\0');
  return hash.digest('hex');
}

/** The test cases a rule set ships in its tests/ folder (file name → content); none when absent. */
export function readRuleTestFiles(directory: string): Record<string, string> {
  const folder = join(resolve(directory), 'tests');
  let names: string[] = [];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return {};
  }
  return Object.fromEntries(names.map((n) => [n, readFileSync(join(folder, n), 'utf8')]));
}
