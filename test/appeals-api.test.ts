import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createHttpApp } from '../src/api/http-app.js';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import { SCORESHEET_SHEET_NAME } from '../src/reports/scoresheet.content.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { bureauKey, testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

/** supertest collects a binary body into a Buffer with this parser. */
function binary(response: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

describeEachBackend('appeals API', ({ database }) => {
  let app: INestApplication;
  let runId: number;
  let uscc: string;
  let key: string;
  const dir = mkdtempSync(join(tmpdir(), 'redprop-appeals-api-'));

  beforeAll(async () => {
    app = await createHttpApp({ config: testConfig({ reportsDir: dir }), database: database() }, false);
    await app.init();
    key = await bureauKey(app, '区住建局');
    const seeded = await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    uscc = seeded.planted.redListCompanies[0]!;
    runId = (await app.get(AssessmentService).run({ period: '2025', streetCode: null, publish: true })).runId;
  });
  afterAll(() => app.close());

  it('downloads the sheet, takes it back filled, and decides a line at both levels', async () => {
    const server = request.agent(app.getHttpServer()).set('Authorization', `Bearer ${key}`);
    const download = await server.get(`/appeals/sheet?period=2025&company=${uscc}`).buffer(true).parse(binary).expect(200);
    expect(download.headers['content-type']).toContain('spreadsheetml');
    expect(download.headers['content-disposition']).toMatch(/attachment; filename="appeal-sheet-2025-/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.body as never);
    const sheet = workbook.getWorksheet(SCORESHEET_SHEET_NAME)!;
    const headers = Array.from(sheet.getRow(2).values as unknown[], (v) => String(v ?? ''));
    const row = sheet.getRow(3);
    row.getCell(headers.indexOf('申诉理由')).value = '数据有误';
    row.getCell(headers.findIndex((h) => h.startsWith('申诉主张值'))).value = 1;
    const filled = join(dir, 'filled.xlsx');
    writeFileSync(filled, Buffer.from(await workbook.xlsx.writeBuffer()));

    await server.post('/appeals').query({ company: '91510104MA6C00000X' }).attach('file', filled).expect(403);
    const submitted = await server.post('/appeals').query({ company: uscc }).attach('file', filled).expect(201);
    expect(submitted.body).toMatchObject({ runId, period: '2025', uscc, lines: [expect.objectContaining({ row: 3, round: 1 })] });
    const id = submitted.body.lines[0].appealLineId as number;

    const unknownField = await server
      .post(`/appeals/lines/${id}/decision`)
      .send({ outcome: 'accept', reason: '同意', reviewer: '街道', note: 'x' })
      .expect(400);
    expect(unknownField.body).toMatchObject({ code: 'BODY_INVALID', details: ['unknown field "note"'] });
    await server.post(`/appeals/lines/${id}/decision`).send({ outcome: 'accept', reason: '', reviewer: '街道' }).expect(400);
    await server.post(`/appeals/lines/${id}/decision`).send({ outcome: 'accept', reason: '核实属实', reviewer: '街道', level: 'bureau' }).expect(409);
    await server.post(`/appeals/lines/${id}/decision`).send({ outcome: 'accept', reason: '核实属实', reviewer: '街道', level: 'street' }).expect(201);
    const bureau = await server.post(`/appeals/lines/${id}/decision`).send({ outcome: 'reject', reason: '证据不足', reviewer: '住建局' }).expect(201);
    expect(bureau.body).toMatchObject({ level: 'bureau', state: 'rejected', revision: null });

    const listed = await server.get('/appeals').query({ company: uscc, state: 'rejected' }).expect(200);
    expect(listed.body).toHaveLength(1);
    expect(listed.body[0].decisions.map((d: { level: string }) => d.level)).toEqual(['street', 'bureau']);
    const revisions = await server.get(`/runs/${runId}/companies/${uscc}/revisions`).expect(200);
    expect(revisions.body).toMatchObject({ runId, current: 0, revisions: [], published: { revision: 0, grade: 'AAA' } });
    const history = await server.get('/appeals/history').query({ company: uscc }).expect(200);
    expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'appeal_sheet.exported',
      'appeal.submitted',
      'appeal.street_accept',
      'appeal.bureau_reject',
    ]);
  });

  it('answers a missing upload and a missing query parameter with coded 400s', async () => {
    const server = request.agent(app.getHttpServer()).set('Authorization', `Bearer ${key}`);
    expect((await server.post('/appeals').expect(400)).body.code).toBe('UPLOAD_MISSING');
    expect((await server.get('/appeals/sheet?period=2025').expect(400)).body.code).toBe('QUERY_INVALID');
    expect((await server.post('/credit-repairs').send({ company: uscc }).expect(400)).body.details).toEqual([
      'field "rectification" is required',
      'field "evidence" is required',
    ]);
  });
});
