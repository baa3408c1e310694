import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRunRuleSet, DEFAULT_RULES_DIR, readRuleSetDirectory, ruleSetInForce } from './rule-set.loader.js';

function rulesRoot(sets: Record<string, { from: string; to?: string | null }>): string {
  const root = mkdtempSync(join(tmpdir(), 'redprop-rules-root-'));
  for (const [name, { from, to }] of Object.entries(sets)) {
    const dir = join(root, name);
    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'ruleset.json'), 'utf8'));
    writeFileSync(join(dir, 'ruleset.json'), JSON.stringify({ ...manifest, name, effectiveFrom: from, effectiveTo: to ?? null }));
  }
  return root;
}

describe('the rule set in force', () => {
  const root = rulesRoot({ 'scheme-2024': { from: '2024', to: '2025-H1' }, 'scheme-2025h2': { from: '2025-H2' } });

  it('is chosen by effective period', () => {
    expect(ruleSetInForce(root, '2024-Q3')).toBe(join(root, 'scheme-2024'));
    expect(ruleSetInForce(root, '2025-03')).toBe(join(root, 'scheme-2024'));
    expect(ruleSetInForce(root, '2025-Q3')).toBe(join(root, 'scheme-2025h2'));
    expect(ruleSetInForce(root, '2026')).toBe(join(root, 'scheme-2025h2'));
  });

  it('is none for a period no set fully covers, and an error when two start together', () => {
    expect(() => ruleSetInForce(root, '2025')).toThrow(expect.objectContaining({ code: 'RULESET_NONE_IN_FORCE' }));
    expect(() => ruleSetInForce(root, '2023')).toThrow(expect.objectContaining({ code: 'RULESET_NONE_IN_FORCE' }));
    const twin = rulesRoot({ a: { from: '2025' }, b: { from: '2025' } });
    expect(() => ruleSetInForce(twin, '2025')).toThrow(expect.objectContaining({ code: 'RULESET_AMBIGUOUS' }));
  });
});

describe('rule sets stored with runs', () => {
  it('are compiled once per fingerprint', () => {
    const files = readRuleSetDirectory(DEFAULT_RULES_DIR).files;
    const first = compileRunRuleSet(1, files);
    expect(compileRunRuleSet(2, { ...files })).toBe(first);
    const changed = { ...files, 'ruleset.json': `${files['ruleset.json']}\n` };
    expect(compileRunRuleSet(3, changed)).not.toBe(first);
  });
});
