import type { INestApplicationContext } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { resultRows } from '../src/db/database.js';
import { DatabaseAdminService } from '../src/db/database-admin.service.js';
import { DomainError } from '../src/domain/errors.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { createTestApp } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { contentHash } from './support/content-hash.js';

describeEachBackend('seeding', ({ database }) => {
  let app: INestApplicationContext;
  let seeds: SeedService;

  beforeAll(async () => {
    app = await createTestApp(database());
    seeds = app.get(SeedService);
  });
  afterAll(() => app.close());

  it('the same scale and seed give identical rows; another seed gives other rows', async () => {
    await seeds.seed({ scale: 'demo', seed: 1, replace: true });
    const first = await contentHash(database());
    await seeds.seed({ scale: 'demo', seed: 1, replace: true });
    expect(await contentHash(database())).toBe(first);
    await seeds.seed({ scale: 'demo', seed: 2, replace: true });
    expect(await contentHash(database())).not.toBe(first);
  });

  it('stores the demo scale with its planted cases', async () => {
    const outcome = await seeds.seed({ scale: 'demo', seed: 1, replace: true });
    const counts = Object.fromEntries((await app.get(DatabaseAdminService).countRows()).map((c) => [c.table, c.rows]));
    expect(counts).toMatchObject({ streets: 2, communities: 6, companies: 12, projects: 40, assessment_periods: 19 });
    expect(counts.survey_answers).toBe(outcome.counts.surveyAnswers);
    expect(counts.survey_answers).toBeGreaterThan(10_000);
    expect(outcome.planted.redListCompanies.length).toBeGreaterThanOrEqual(2);
  });

  it('puts back the primary and foreign keys it lifts for the bulk append', async () => {
    await seeds.seed({ scale: 'demo', seed: 1, replace: true });
    const result = await database().db.execute(
      sql`select conname, contype from pg_constraint where conrelid = 'survey_answers'::regclass and contype in ('p', 'f') order by conname`,
    );
    expect(resultRows(result)).toEqual([
      { conname: 'survey_answers_project_id_month_respondent_no_question_no_pk', contype: 'p' },
      { conname: 'survey_answers_project_id_projects_id_fk', contype: 'f' },
    ]);
  });

  it('refuses to overwrite stored data without replace', async () => {
    const error = await seeds.seed({ scale: 'demo', seed: 1, replace: false }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('SEED_WOULD_REPLACE_DATA');
  });
});
