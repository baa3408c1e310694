import { insertionOrderDigestOf } from '../src/assessment/stored-outcome.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import type { MetricParameters, MetricScope } from '../src/assessment/metrics.js';
import { MetricsRepository } from '../src/assessment/metrics.repository.js';
import { MIGRATIONS_FOLDER, resultRows } from '../src/db/database.js';
import { digestMigrationSql, recomputedBuckets } from '../src/db/input-digest.js';
import { IntakeService } from '../src/intake/intake.service.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { createTestApp } from './support/app.js';
import { describeEachBackend, testBackendNames } from './support/backends.js';
import { aSurveyAnswer } from './support/factories.js';

const PARAMS: MetricParameters = { positiveAnswerMin: 4, responseWindowHours: 24, badRecordWindowMonths: 12 };
const all = (period: string): MetricScope => ({ period, streetCode: null });

/** The demo's digests per backend, compared by the last. */
const seededDigests = new Map<string, string[]>();

describeEachBackend('input digest maintained at intake', ({ database, backend }) => {
  let app: INestApplicationContext;
  let assessments: AssessmentService;
  let metrics: MetricsRepository;
  let intake: IntakeService;
  const execute = async <T>(query: ReturnType<typeof sql>) => resultRows<T>(await database().db.execute(query));
  /** buckets the table holds and a recomputation does not, and the other way round */
  const differences = async () => {
    const maintained = sql`select table_name, company_id, project_id, bucket, detail, row_count, row_hash from input_digest_buckets where row_count <> 0`;
    const recomputed = sql.raw(recomputedBuckets(`'Asia/Shanghai'`));
    return [...(await execute(sql`(${maintained}) except (${recomputed})`)), ...(await execute(sql`(${recomputed}) except (${maintained})`))];
  };
  const scopes = (): MetricScope[] => [all('2025'), all('2025-Q3'), all('2025-05'), { period: '2025', streetCode: '510104001' }];
  const digestsOf = (source: 'maintained' | 'recomputed') => Promise.all(scopes().map((scope) => metrics.inputDigest(scope, PARAMS, database().db, source)));

  beforeAll(async () => {
    app = await createTestApp(database());
    assessments = app.get(AssessmentService);
    metrics = app.get(MetricsRepository);
    intake = app.get(IntakeService);
    await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    seededDigests.set(backend.name, await digestsOf('maintained'));
  });
  afterAll(() => app.close());

  it('is migration 0006 as the renderings define it', () => {
    expect(readFileSync(join(MIGRATIONS_FOLDER, '0006_input_digest.sql'), 'utf8')).toContain(digestMigrationSql());
  });

  it('equals a full recomputation after a seed, merges, replacements and deletions', async () => {
    expect(await differences()).toEqual([]);
    expect(await digestsOf('maintained')).toEqual(await digestsOf('recomputed'));
    const changes = [
      sql`update survey_answers set answer = case when answer = 5 then 4 else answer + 1 end
           where project_id = (select min(id) from projects) and month = date '2025-03-01'`,
      sql`delete from fee_records where project_id = (select max(id) from projects) and month >= date '2025-06-01'`,
      sql`update complaint_tickets set received_at = received_at - interval '40 days' where id in (select id from complaint_tickets order by id limit 5)`,
      sql`update party_checks set evidence = coalesce(evidence, '') || '。' where id in (select id from party_checks order by id limit 7)`,
      sql`update credit_events set project_id = null where id = (select min(id) from credit_events where project_id is not null)`,
      sql`delete from three_party_ratings where project_id = (select min(project_id) from three_party_ratings)`,
    ];
    for (const change of changes) {
      await execute(change);
      expect(await differences()).toEqual([]);
    }
    // a merge import: inserted and updated rows in one statement
    await intake.load(
      {
        surveyAnswers: [
          { record: aSurveyAnswer({ projectCode: await firstProjectCode(), month: '2025-03', respondentNo: 1, questionNo: 1, answer: 1 }) },
          { record: aSurveyAnswer({ projectCode: await firstProjectCode(), month: '2025-03', respondentNo: 99_999, questionNo: 1, answer: 3 }) },
        ],
      },
      { mode: 'merge' },
    );
    expect(await differences()).toEqual([]);
    expect(await digestsOf('maintained')).toEqual(await digestsOf('recomputed'));
  });

  it('changes with a one-character change to a counted row, and back', async () => {
    const before = await metrics.inputDigest(all('2025'), PARAMS);
    const [event] = await execute<{ id: number; description: string }>(
      sql`select id, description from credit_events where occurred_on >= date '2025-01-01' and occurred_on < date '2026-01-01' order by id limit 1`,
    );
    await execute(sql`update credit_events set description = ${event.description.slice(0, -1) + '．'} where id = ${event.id}`);
    expect(await metrics.inputDigest(all('2025'), PARAMS)).not.toBe(before);
    await execute(sql`update credit_events set description = ${event.description} where id = ${event.id}`);
    expect(await metrics.inputDigest(all('2025'), PARAMS)).toBe(before);
  });

  it('reads the metrics, the digest and the corrections in one snapshot while a load commits', async () => {
    const before = await assessments.run({ period: '2025', streetCode: null, publish: false });
    const projectCode = await firstProjectCode();
    let load: Promise<unknown> | undefined;
    metrics.beforeLastSnapshotRead = async () => {
      metrics.beforeLastSnapshotRead = null;
      load = intake.load({ surveyAnswers: [{ record: aSurveyAnswer({ projectCode, month: '2025-04', respondentNo: 77_777, answer: 1 }) }] }, { mode: 'merge' });
      // PostgreSQL commits it now, on another connection; PGlite (one connection) queues it after the snapshot
      if (backend.name === 'postgres') await load;
    };
    const during = await assessments.run({ period: '2025', streetCode: null, publish: false });
    await load;
    expect(load).toBeDefined();
    expect(during.inputDigest).toBe(before.inputDigest);
    expect(during.outcomeDigest).toBe(before.outcomeDigest);
    const after = await assessments.run({ period: '2025', streetCode: null, publish: false });
    expect(after.inputDigest).not.toBe(before.inputDigest);
    expect(after.inputDigest).toBe(await metrics.inputDigest(all('2025'), PARAMS));
    expect(await assessments.verify(during.runId)).toMatchObject({ inputDigest: false });
    expect(await assessments.verify(after.runId)).toMatchObject({ inputDigest: true, fingerprint: true, outcomes: true });
  });

  it('verifies a run stored by an engine before the maintained digest with the digest it carries', async () => {
    const run = await assessments.run({ period: '2025-Q3', streetCode: null, publish: false });
    const legacy = await metrics.legacyInputDigest(all('2025-Q3'), PARAMS);
    expect(legacy).not.toBe(run.inputDigest);
    const stored = await assessments.getRun(run.runId);
    const fingerprint = insertionOrderDigestOf({ inputDigest: legacy, ruleSet: stored.ruleSetFingerprint, engine: 'redprop-scoring/1' });
    await execute(
      sql`update assessment_runs set engine_version = 'redprop-scoring/1', input_digest = ${legacy}, fingerprint = ${fingerprint} where id = ${run.runId}`,
    );
    // its outcomes were stored in another shape: not comparable
    expect(await assessments.verify(run.runId)).toMatchObject({ inputDigest: true, fingerprint: true, outcomes: null });
    await execute(sql`update assessment_runs set input_digest = ${run.inputDigest} where id = ${run.runId}`);
    expect(await assessments.verify(run.runId)).toMatchObject({ inputDigest: false });
  });

  (backend.name === 'postgres' ? it : it.skip)('lets two loads that write the same buckets in opposite orders both commit', async () => {
    const [first, second] = await execute<{ id: number }>(sql`select id from projects order by id limit 2`);
    const answers = (projectId: number, fromRespondent: number) =>
      `insert into survey_answers (project_id, month, respondent_no, question_no, answer, channel)
       select ${projectId}, date '2025-02-01', g, 1, 1 + g % 5, 'online' from generate_series(${fromRespondent}, ${fromRespondent + 49}) g`;
    const [loadA, loadB] = [postgres(backend.url!, { max: 1, onnotice: () => undefined }), postgres(backend.url!, { max: 1, onnotice: () => undefined })];
    try {
      const [{ pid }] = await loadB<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await loadA`begin`;
      await loadB`begin`;
      await loadA.unsafe(answers(first.id, 500_001));
      // B writes the buckets in the other order; without the digest's table lock it would hold
      // the second bucket while waiting for A's first, and A's next statement would close the cycle
      const b = (async () => {
        await loadB.unsafe(answers(second.id, 600_001));
        await loadB.unsafe(answers(first.id, 600_001));
        await loadB`commit`;
      })();
      b.catch(() => undefined);
      await waitingForLock(pid);
      await loadA.unsafe(answers(second.id, 500_001));
      await loadA`commit`;
      await b;
    } finally {
      await Promise.all([loadA.end(), loadB.end()]);
    }
    const [landed] = await execute<{ n: string }>(sql`select count(*) as n from survey_answers where month = date '2025-02-01' and respondent_no > 500000`);
    expect(Number(landed.n)).toBe(200);
    expect(await differences()).toEqual([]);
  });

  /** until the session `pid` waits for a lock (a bounded wait: a session that never waits fails the test) */
  async function waitingForLock(pid: number): Promise<void> {
    for (let attempt = 0; attempt < 400; attempt++) {
      const [row] = await execute<{ wait: string | null }>(sql`select wait_event_type as wait from pg_stat_activity where pid = ${pid}`);
      if (row?.wait === 'Lock') return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`session ${pid} never waited for a lock`);
  }

  async function firstProjectCode(): Promise<string> {
    const [row] = await execute<{ code: string }>(sql`select code from projects order by code limit 1`);
    return row.code;
  }
});

describe('input digest across backends', () => {
  (testBackendNames().length > 1 ? it : it.skip)('PGlite and PostgreSQL give the same digests for the same data', () => {
    expect(seededDigests.get('pglite')).toBeDefined();
    expect(seededDigests.get('postgres')).toEqual(seededDigests.get('pglite'));
  });
});
