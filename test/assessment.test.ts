import { EVERYTHING } from '../src/domain/access.js';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { AssessmentService, metricParameters, type RunReport } from '../src/assessment/assessment.service.js';
import { MetricsRepository } from '../src/assessment/metrics.repository.js';
import { assessmentRuns, companies, listEntries, listTransitions, projects } from '../src/db/schema.js';
import { insertionOrderDigestOf } from '../src/assessment/stored-outcome.js';
import { NOTE_TEXTS } from '../src/reports/note-text.js';
import { IntakeService } from '../src/intake/intake.service.js';
import { DatabaseAdminService } from '../src/db/database-admin.service.js';
import { DomainError } from '../src/domain/errors.js';
import { generateDataset } from '../seeds/generator/index.js';
import { DEFAULT_RULES_DIR } from '../src/rules/rule-set.loader.js';
import { SeedService, type SeedOutcome } from '../src/seeding/seed.service.js';
import { createTestApp } from './support/app.js';
import { describeEachBackend, testBackendNames } from './support/backends.js';

/** Fingerprints and outcome digests per backend: the last backend compares them. */
const digests = new Map<string, { fingerprint: string; outcomeDigest: string; inputDigest: string }>();

describeEachBackend('assessment of the demo data', ({ database, backend }) => {
  let app: INestApplicationContext;
  let assessments: AssessmentService;
  let seeded: SeedOutcome;
  let published: RunReport;
  const count = async (table: string) => (await app.get(DatabaseAdminService).countRows()).find((c) => c.table === table)!.rows;

  beforeAll(async () => {
    app = await createTestApp(database());
    assessments = app.get(AssessmentService);
    seeded = await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    published = await assessments.run({ period: '2025', streetCode: null, publish: true });
  });
  afterAll(() => app.close());

  it('brings out the planted cases as designed', async () => {
    const companies = await assessments.companyListing(published.runId, EVERYTHING);
    const byUscc = new Map(companies.map((c) => [c.uscc, c]));
    const lists = (uscc: string) => byUscc.get(uscc)!.lists.map((l) => l.list);
    const { planted } = seeded;
    for (const uscc of planted.redListCompanies) expect(lists(uscc)).toEqual(['red']);
    for (const uscc of planted.blackListCompanies)
      expect({ uscc, grade: byUscc.get(uscc)!.grade, black: lists(uscc).includes('black') }).toEqual({ uscc, grade: 'C', black: true });
    expect(byUscc.get(planted.vetoCompany)!.grade).toBe('C');
    expect(lists(planted.vetoCompany)).toEqual(['black', 'black']);
    expect(published.summary.redListDecisions).toBe(planted.redListCompanies.length);
    expect(published.summary.blackListDecisions).toBe(planted.blackListCompanies.length + 1);

    const tiny = await assessments.explain('2025', companyOf(planted.tinySampleProject), planted.tinySampleProject);
    expect(tiny).toContain('威尔逊下限');
    expect(tiny).toContain('群众满意度：8 / 30');
  });

  it('a stored run still verifies after the wording of a note changes: its digests cover note codes, not sentences', async () => {
    const { tinySampleProject } = seeded.planted;
    const owner = companyOf(tinySampleProject);
    expect(await assessments.explain('2025', owner, tinySampleProject)).toContain('满意率按威尔逊下限');
    const original = NOTE_TEXTS['project.smallSample'];
    NOTE_TEXTS['project.smallSample'] = (p) => `样本量不足（有效问卷 ${p.respondents} 份），按威尔逊下限 ${(p.wilsonBound * 100).toFixed(2)}% 计分`;
    try {
      const reworded = await assessments.explain('2025', owner, tinySampleProject);
      expect(reworded).toContain('样本量不足（有效问卷 ');
      expect(reworded).not.toContain('满意率按威尔逊下限');
      expect(await assessments.verify(published.runId)).toMatchObject({ inputDigest: true, fingerprint: true, outcomes: true });
    } finally {
      NOTE_TEXTS['project.smallSample'] = original;
    }
  });

  it('verifies a run stored by redprop-scoring/2 as far as it can: its fingerprint as made, its outcomes not comparable', async () => {
    const draft = await assessments.run({ period: '2025', streetCode: null, publish: false });
    const run = await assessments.getRun(draft.runId);
    const engine = 'redprop-scoring/2';
    // a run of /2 carries the digest over every row read
    const inputDigest = await app.get(MetricsRepository).legacyInputDigest({ period: '2025', streetCode: null }, metricParameters(assessments.ruleSetOf(run)));
    const fingerprint = insertionOrderDigestOf({ inputDigest, ruleSet: run.ruleSetFingerprint, engine });
    await database().db.update(assessmentRuns).set({ engineVersion: engine, inputDigest, fingerprint }).where(eq(assessmentRuns.id, draft.runId));
    expect(await assessments.verify(draft.runId)).toMatchObject({ engineVersion: engine, inputDigest: true, fingerprint: true, outcomes: null });
    await database()
      .db.update(assessmentRuns)
      .set({ fingerprint: 'f'.repeat(64) })
      .where(eq(assessmentRuns.id, draft.runId));
    expect(await assessments.verify(draft.runId)).toMatchObject({ fingerprint: false, outcomes: null });
  });

  it('leaves the project without data for a quarter unassessed in that quarter', async () => {
    const { projectCode, quarter } = seeded.planted.quarterGapProject;
    const run = await assessments.run({ period: quarter, streetCode: null, publish: false });
    const owner = companyOf(projectCode);
    const { projects } = await assessments.companyResult(run.runId, owner, EVERYTHING);
    expect(projects.find((p) => p.code === projectCode)).toMatchObject({ assessed: false, total: null, stars: null });
    const text = await assessments.explain(quarter, owner, projectCode);
    expect(text).toContain('本期不参评');
  });

  it('re-running the same inputs and rules gives the same fingerprint and byte-identical outcomes', async () => {
    const again = await assessments.run({ period: '2025', streetCode: null, publish: false });
    expect(again.runId).not.toBe(published.runId);
    expect(again.fingerprint).toBe(published.fingerprint);
    expect(again.outcomeDigest).toBe(published.outcomeDigest);
    digests.set(backend.name, { fingerprint: published.fingerprint, outcomeDigest: published.outcomeDigest, inputDigest: published.inputDigest });
  });

  it('publishing another run of the period supersedes the first, atomically; lists move once per period', async () => {
    const second = await assessments.run({ period: '2025', streetCode: null, publish: false });
    const entriesBefore = await count('list_entries');
    const ledgerBefore = await count('ledger_entries');
    await assessments.publish(second.runId);
    const runs = (await assessments.listRuns(EVERYTHING)).filter((r) => r.periodCode === '2025' && r.streetCode === null);
    expect(runs.filter((r) => r.status === 'published').map((r) => r.id)).toEqual([second.runId]);
    expect(runs.find((r) => r.id === published.runId)!.status).toBe('superseded');
    expect(await count('list_entries')).toBe(entriesBefore);
    expect(await count('ledger_entries')).toBe(ledgerBefore);
    await expect(assessments.publish(second.runId)).rejects.toMatchObject({ code: 'RUN_NOT_DRAFT' });
  });

  it('republishing a period with a veto moves the company from the red list to the black list, with the cause recorded', async () => {
    const red = seeded.planted.redListCompanies[0];
    const openLists = async () => {
      const rows = await database()
        .db.select({
          list: listEntries.list,
          kinds: sql<string>`string_agg(${listTransitions.kind}::text || ':' || ${listTransitions.cause}::text, ',' order by ${listTransitions.id})`,
        })
        .from(listEntries)
        .innerJoin(companies, eq(companies.id, listEntries.companyId))
        .innerJoin(listTransitions, eq(listTransitions.entryId, listEntries.id))
        .where(eq(companies.uscc, red))
        .groupBy(listEntries.id, listEntries.list)
        .orderBy(listEntries.id);
      return rows.map((r) => `${r.list} ${r.kinds}`);
    };
    expect(await openLists()).toEqual(['red entered:assessment']);
    const [project] = await database()
      .db.select({ code: projects.code })
      .from(projects)
      .innerJoin(companies, eq(companies.id, projects.companyId))
      .where(eq(companies.uscc, red))
      .limit(1);
    await app.get(IntakeService).load(
      {
        events: [
          {
            record: {
              eventNo: 'E-REPUB-1',
              kind: 'maintenance_fund_misuse',
              companyUscc: red,
              projectCode: project.code,
              occurredOn: '2025-11-20',
              honourLevel: null,
              source: '区住建局',
              description: '挪用专项维修资金',
              evidence: '〔2025〕99号',
            },
          },
        ],
      },
      { mode: 'merge' },
    );
    const republished = await assessments.run({ period: '2025', streetCode: null, publish: true });
    expect(republished.summary.listChanges).toMatchObject({ exited: { red: 1 }, entered: { black: 1 } });
    expect(await openLists()).toEqual(['red entered:assessment,exited:republication', 'black entered:republication']);
    const [company] = (await assessments.companyListing(republished.runId, EVERYTHING)).filter((c) => c.uscc === red);
    expect(company.grade).toBe('C');
  });

  it('refuses to publish a period that ends before one already published', async () => {
    await assessments.run({ period: '2026-01', streetCode: null, publish: true });
    const older = await assessments.run({ period: '2025-Q4', streetCode: null, publish: false });
    await expect(assessments.publish(older.runId)).rejects.toMatchObject({ code: 'PUBLICATION_OUT_OF_ORDER' });
    expect((await assessments.runInScope(older.runId, EVERYTHING)).status).toBe('draft');
  });

  it('refuses a broken rule file naming file and rule, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redprop-rules-'));
    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    const file = join(dir, '10-indicators.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"fact": "satisfactionRate"', '"fact": "satisfactionRatio"'));
    const runsBefore = await count('assessment_runs');
    const error = await assessments.run({ period: '2025', streetCode: null, rulesDir: dir, publish: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('RULESET_INVALID');
    expect((error as DomainError).details).toEqual(['10-indicators.json · 规则 satisfaction-ge-95: conditions.all[0]: unknown fact "satisfactionRatio"']);
    expect(await count('assessment_runs')).toBe(runsBefore);
  });

  it('a run made before a rule file was edited still reproduces with its stored rules and fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redprop-rules-'));
    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    const run = await assessments.run({ period: '2025', streetCode: null, rulesDir: dir, publish: false });
    const file = join(dir, '20-adjustments.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"each": 5', '"each": 6'));
    expect(await assessments.verify(run.runId)).toMatchObject({ inputDigest: true, fingerprint: true, outcomes: true });
    const edited = await assessments.run({ period: '2025', streetCode: null, rulesDir: dir, publish: false });
    expect(edited.fingerprint).not.toBe(run.fingerprint);
  });

  it('refuses a bad period and an unknown street', async () => {
    await expect(assessments.run({ period: '2025-Q5', streetCode: null, publish: false })).rejects.toMatchObject({ code: 'PERIOD_INVALID' });
    await expect(assessments.run({ period: '2025', streetCode: '999999999', publish: false })).rejects.toMatchObject({ code: 'STREET_UNKNOWN' });
  });
});

const whenBothBackends = testBackendNames().length > 1 ? it : it.skip;
describe('assessment across backends', () => {
  whenBothBackends('gives the same input digest, outcomes and fingerprint on PGlite and PostgreSQL', () => {
    expect(digests.size).toBe(2);
    expect(digests.get('postgres')).toEqual(digests.get('pglite'));
  });
});

function companyOf(projectCode: string): string {
  return generateDataset({ scale: 'demo', seed: 1 }).projects.find((p) => p.code === projectCode)!.companyUscc;
}
