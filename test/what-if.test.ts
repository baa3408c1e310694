import { EVERYTHING } from '../src/domain/access.js';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import { WhatIfService } from '../src/assessment/what-if.service.js';
import { RulesService } from '../src/rules/rules.service.js';
import { DEFAULT_RULES_DIR } from '../src/rules/rule-set.loader.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { createTestApp, testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { reportRows } from './support/spreadsheets.js';

describeEachBackend('what-if and rule documents', ({ database }) => {
  let app: INestApplicationContext;
  let assessments: AssessmentService;
  const reportsDir = mkdtempSync(join(tmpdir(), 'redprop-reports-'));

  beforeAll(async () => {
    app = await createTestApp(database(), testConfig({ reportsDir }));
    assessments = app.get(AssessmentService);
    await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
  });
  afterAll(() => app.close());

  it('a draft raising the satisfaction threshold moves exactly the projects between the two edges', async () => {
    const published = await assessments.run({ period: '2025', streetCode: null, publish: true });
    const draft = mkdtempSync(join(tmpdir(), 'redprop-draft-'));
    cpSync(DEFAULT_RULES_DIR, draft, { recursive: true });
    const file = join(draft, '10-indicators.json');
    const indicators = JSON.parse(readFileSync(file, 'utf8'));
    for (const rule of indicators.rules) {
      for (const leaf of rule.conditions.all) if (leaf.fact === 'satisfactionRate' && leaf.value === 0.95) leaf.value = 0.99;
    }
    writeFileSync(file, JSON.stringify(indicators));

    const companies = await assessments.companyListing(published.runId, EVERYTHING);
    const expected: string[] = [];
    for (const c of companies) {
      for (const p of (await assessments.companyResult(published.runId, c.uscc, EVERYTHING)).projects) {
        const rate = (p.outcome.facts as { satisfactionRate: number | null }).satisfactionRate;
        if (p.assessed && rate !== null && rate >= 0.95 && rate < 0.99) expected.push(p.code);
      }
    }
    expect(expected.length).toBeGreaterThan(0);

    const result = await app.get(WhatIfService).compare({ period: '2025', streetCode: null, draft: { dir: draft }, compareRunId: published.runId });
    expect(result.draft.status).toBe('draft');
    const rows = await reportRows(result.path, '项目变化');
    const moved = rows.filter((r) => r[5] !== 0).map((r) => r[0]);
    expect(moved.sort()).toEqual(expected.sort());
    for (const r of rows.filter((row) => expected.includes(row[0] as string))) expect(r[5]).toBe(-3);

    const runs = await assessments.listRuns(EVERYTHING);
    expect(runs.find((r) => r.id === published.runId)).toMatchObject({ status: 'published', outcomeDigest: published.outcomeDigest });
    expect(runs.filter((r) => r.periodCode === '2025' && r.status === 'published')).toHaveLength(1);
  });

  it('writes the rule set as a 考核细则 workbook', async () => {
    const path = await app.get(RulesService).describe();
    const rows = await reportRows(path, '考核细则');
    expect(rows).toContainEqual(['1', '群众满意度', '30', '满意率 ≥ 95%，得 30 分', 'satisfaction-ge-95']);
  });
});
