import type { INestApplicationContext } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import { RunRetentionService } from '../src/assessment/run-retention.service.js';
import { resultRows } from '../src/db/database.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { createTestApp } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

describeEachBackend('draft run retention (runs:prune)', ({ database }) => {
  let app: INestApplicationContext;
  let assessments: AssessmentService;
  let retention: RunRetentionService;
  const execute = async <T>(query: ReturnType<typeof sql>) => resultRows<T>(await database().db.execute(query));
  const assess = async (publish: boolean, daysAgo: number) => {
    const { runId } = await assessments.run({ period: '2025-Q3', streetCode: null, publish });
    await execute(sql`update assessment_runs set created_at = now() - make_interval(days => ${daysAgo}) where id = ${runId}`);
    return runId;
  };
  const runs = () => execute<{ id: number; status: string }>(sql`select id, status::text as status from assessment_runs order by id`);
  const resultRowsOf = async (runId: number) => {
    const [row] = await execute<{ n: number | string }>(
      sql`select (select count(*) from project_results where run_id = ${runId}) + (select count(*) from company_results where run_id = ${runId}) as n`,
    );
    return Number(row.n);
  };

  beforeAll(async () => {
    app = await createTestApp(database());
    assessments = app.get(AssessmentService);
    retention = app.get(RunRetentionService);
    await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
  });
  afterAll(() => app.close());

  it('removes old drafts with their results and keeps recent drafts, published and superseded runs and drafts something refers to', async () => {
    const superseded = await assess(true, 400);
    const published = await assess(true, 400);
    const oldDraft = await assess(false, 40);
    const recentDraft = await assess(false, 5);
    const auditedDraft = await assess(false, 40);
    await execute(
      sql`insert into audit_log (at, actor, action, run_id, subject, details) values (now(), 'test', 'verify', ${auditedDraft}, 'run', '{}'::jsonb)`,
    );
    const whatIfDraft = await assess(false, 60);
    await execute(
      sql`insert into tasks (kind, params, status, result, requested_by, created_at)
          values ('what-if', ${JSON.stringify({ period: '2025-Q3', compareRunId: published })}::jsonb, 'succeeded',
                  ${JSON.stringify({ draftRunId: whatIfDraft, baseRunId: published })}::jsonb, 'test', now())
          returning id`,
    );
    const before = await runs();
    expect(before.find((r) => r.id === superseded)?.status).toBe('superseded');
    expect(await resultRowsOf(oldDraft)).toBeGreaterThan(0);

    const dryRun = await retention.pruneDrafts({ dryRun: true });
    expect(dryRun.olderThanDays).toBe(30);
    // a task that made a draft is a record of what was asked, not a use of the draft: its draft goes
    expect(dryRun.removed.map((d) => d.id)).toEqual([oldDraft, whatIfDraft]);
    expect(dryRun.removed[0].projectResults).toBeGreaterThan(0);
    expect(dryRun.kept.map((d) => [d.id, d.referencedBy])).toEqual([[auditedDraft, ['audit_log (1)']]]);
    expect(await runs()).toEqual(before);
    expect(await resultRowsOf(oldDraft)).toBeGreaterThan(0);

    const pruned = await retention.pruneDrafts({ dryRun: false });
    expect(pruned.removed).toEqual(dryRun.removed);
    expect(pruned.kept).toEqual(dryRun.kept);
    expect(await runs()).toEqual(before.filter((r) => r.id !== oldDraft && r.id !== whatIfDraft));
    expect(await resultRowsOf(oldDraft)).toBe(0);
    expect(await resultRowsOf(published)).toBeGreaterThan(0);

    const withShorterRetention = await retention.pruneDrafts({ olderThanDays: 1, dryRun: false });
    expect(withShorterRetention.removed.map((d) => d.id)).toEqual([recentDraft]);
    expect((await runs()).map((r) => r.id)).toEqual([superseded, published, auditedDraft]);
  });
});
