import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createHttpApp } from '../src/api/http-app.js';
import { tasks as taskRows } from '../src/db/schema.js';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { TasksService } from '../src/tasks/tasks.service.js';
import { DEFAULT_RULES_DIR, readRuleSetDirectory } from '../src/rules/rule-set.loader.js';
import { bureauKey, testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

describeEachBackend('runs API', ({ database }) => {
  let app: INestApplication;
  let runId: number;
  let redUscc: string;
  let vetoUscc: string;
  let key: string;
  const api = () => request.agent(app.getHttpServer()).set('Authorization', `Bearer ${key}`);

  beforeAll(async () => {
    app = await createHttpApp({ config: testConfig({ reportsDir: mkdtempSync(join(tmpdir(), 'redprop-api-')) }), database: database() }, false);
    await app.init();
    key = await bureauKey(app);
    const seeded = await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    redUscc = seeded.planted.redListCompanies[0]!;
    vetoUscc = seeded.planted.vetoCompany;
    runId = (await app.get(AssessmentService).run({ period: '2025', streetCode: null, publish: true })).runId;
  });
  afterAll(() => app.close());

  it('refuses an invalid period, street or company before queueing anything (no 202 that fails later)', async () => {
    const tasks = async () => (await database().db.select({ id: taskRows.id }).from(taskRows)).length;
    const before = await tasks();
    expect((await api().post('/runs').send({ period: '2025-13' }).expect(400)).body.code).toBe('PERIOD_INVALID');
    expect((await api().post('/runs').send({ period: '2025', streetCode: '999999999' }).expect(400)).body.code).toBe('STREET_UNKNOWN');
    expect((await api().post('/reports').send({ kind: 'street-annual', period: '2025-99' }).expect(400)).body.code).toBe('PERIOD_INVALID');
    expect((await api().post('/reports').send({ kind: 'street-annual', period: '2025', streetCode: '999999999' }).expect(400)).body.code).toBe(
      'STREET_UNKNOWN',
    );
    expect((await api().post('/reports').send({ kind: 'company-scoresheet', period: '2025', company: '91510104MA6C00000X' }).expect(400)).body.code).toBe(
      'USCC_INVALID',
    );
    expect((await api().post('/reports').send({ kind: 'street-annual', period: '2019' }).expect(404)).body.code).toBe('RUN_NOT_FOUND');
    expect((await api().post('/reports').send({ kind: 'street-annual', period: '2025', company: redUscc }).expect(400)).body.code).toBe(
      'REPORT_COMPANY_NOT_APPLICABLE',
    );
    expect(await tasks()).toBe(before);
  });

  it('lists runs with their fingerprints and status', async () => {
    const response = await api().get('/runs').expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({ id: runId, periodCode: '2025', status: 'published', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    expect(response.body[0]).not.toHaveProperty('ruleSetFiles');
  });

  it('lists the companies of a run with score, grade and list decisions', async () => {
    const response = await api().get(`/runs/${runId}/companies`).expect(200);
    expect(response.body).toHaveLength(12);
    expect(response.body.find((c: { uscc: string }) => c.uscc === redUscc)).toMatchObject({ grade: 'AAA', lists: [expect.objectContaining({ list: 'red' })] });
  });

  it('gives one company with every project and the explanation', async () => {
    const response = await api().get(`/runs/${runId}/companies/${redUscc}`).expect(200);
    expect(response.body.company).toMatchObject({ uscc: redUscc, grade: 'AAA' });
    expect(response.body.company.explanation).toContain('信用等级 AAA');
    expect(response.body.projects.length).toBeGreaterThan(0);
    expect(response.body.projects[0].explanation).toContain('群众满意度');
  });

  it('gives the notes of a result as codes with parameters, each with its sentence', async () => {
    const response = await api().get(`/runs/${runId}/companies/${vetoUscc}`).expect(200);
    const notes = response.body.company.notes as { code: string; params: Record<string, unknown>; text: string }[];
    expect(notes).toContainEqual({
      code: 'company.vetoGrade',
      params: expect.objectContaining({ grade: 'C', unscored: false }),
      text: expect.stringMatching(/^一票否决（.+），信用等级为 C$/),
    });
    for (const note of notes) expect(response.body.company.explanation).toContain(`说明：${note.text}`);
  });

  it('runs a draft rule set sent in the body against a run, without publishing', async () => {
    const files = readRuleSetDirectory(DEFAULT_RULES_DIR).files;
    const response = await api()
      .post('/runs/what-if')
      .send({
        period: '2025',
        compareRunId: runId,
        ruleSetFiles: { ...files, '20-adjustments.json': files['20-adjustments.json'].replace('"each": 5', '"each": 6') },
      })
      .expect(202);
    expect(response.body).toMatchObject({ kind: 'what-if', status: 'queued' });
    const task = await app.get(TasksService).settled(response.body.id);
    expect(task).toMatchObject({
      status: 'succeeded',
      result: { baseRunId: runId, summary: expect.objectContaining({ companies: 12 }), path: expect.stringMatching(/\.xlsx$/) },
    });
    const polled = await api().get(`/jobs/${response.body.id}`).expect(200);
    expect(polled.body.status).toBe('succeeded');
    const file = await api().get(`/jobs/${response.body.id}/file`).expect(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const runs = await api().get('/runs').expect(200);
    expect(runs.body.find((r: { id: number }) => r.id === (task.result as { draftRunId: number }).draftRunId)).toMatchObject({ status: 'draft' });
  });

  it('refuses an unknown field in a what-if body by name, and a broken draft with its file and rule', async () => {
    const unknown = await api().post('/runs/what-if').send({ period: '2025', compareRunId: runId, ruleSetFiles: {}, draftName: 'x' }).expect(400);
    expect(unknown.body.details).toContain('unknown field "draftName"');
    const files = readRuleSetDirectory(DEFAULT_RULES_DIR).files;
    const broken = await api()
      .post('/runs/what-if')
      .send({ period: '2025', compareRunId: runId, ruleSetFiles: { ...files, '40-stars.json': '{' } })
      .expect(400);
    expect(broken.body).toMatchObject({ code: 'RULESET_INVALID', details: [expect.stringContaining('40-stars.json')] });
  });

  it('answers with a coded error for what does not exist or is malformed', async () => {
    const missing = await api().get('/runs/9999/companies').expect(404);
    expect(missing.body).toMatchObject({ code: 'RUN_NOT_FOUND', messageZh: '考核运行 #9999 不存在' });
    await api().get(`/runs/${runId}/companies/91510104MA0000000X`).expect(404);
    await api().get('/runs/abc/companies').expect(400);
  });

  it('refuses a list publication of a period whose run is not published before queueing it', async () => {
    await app.get(AssessmentService).run({ period: '2025-Q2', streetCode: null, publish: false });
    expect((await api().post('/reports').send({ kind: 'list-publication', period: '2025-Q2' }).expect(409)).body.code).toBe('RUN_NOT_PUBLISHED');
  });
});
