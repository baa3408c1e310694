import { EVERYTHING } from '../src/domain/access.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createHttpApp } from '../src/api/http-app.js';
import { AppealSheetService } from '../src/appeals/appeal-sheet.service.js';
import { ApiKeysService } from '../src/auth/api-keys.service.js';
import { companies, complaintTickets, projects, streets } from '../src/db/schema.js';
import { SCORESHEET_SHEET_NAME } from '../src/reports/scoresheet.content.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { TasksService } from '../src/tasks/tasks.service.js';
import { testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';
import { apiRoutes } from './support/routes.js';

describeEachBackend('service API: keys, roles and scopes', ({ database }) => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  const keys: Record<'bureau' | 'streetA' | 'companyX', string> = { bureau: '', streetA: '', companyX: '' };
  let streetA: string;
  let streetB: string;
  /** companies with projects in street A / only in street B */
  let inA: Set<string>;
  let onlyB: string;
  let companyX: string;
  let companyY: string;
  let runId: number;
  let projectStreets: { uscc: string; street: string; code: string }[];
  const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

  beforeAll(async () => {
    app = await createHttpApp({ config: testConfig({ reportsDir: mkdtempSync(join(tmpdir(), 'redprop-service-')) }), database: database() }, false);
    await app.init();
    server = app.getHttpServer();
    await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    const rows = await database()
      .db.select({ uscc: companies.uscc, street: streets.code, code: projects.code })
      .from(projects)
      .innerJoin(companies, eq(companies.id, projects.companyId))
      .innerJoin(streets, eq(streets.id, projects.streetId));
    projectStreets = rows;
    [streetA, streetB] = [...new Set(rows.map((r) => r.street))].sort() as [string, string];
    inA = new Set(rows.filter((r) => r.street === streetA).map((r) => r.uscc));
    onlyB = rows.find((r) => r.street === streetB && !inA.has(r.uscc))!.uscc;
    companyX = [...inA].sort()[0]!;
    companyY = [...inA].sort()[1]!;
    const service = app.get(ApiKeysService);
    keys.bureau = (await service.create({ name: '区住建局', role: 'bureau', createdBy: 'test' })).key;
    keys.streetA = (await service.create({ name: '街道A考核办', role: 'street', streetCode: streetA, createdBy: 'test' })).key;
    keys.companyX = (await service.create({ name: '企业X', role: 'company', uscc: companyX, createdBy: 'test' })).key;

    const started = await request(server).post('/runs').set(auth(keys.bureau)).send({ period: '2025', publish: true }).expect(202);
    const task = await app.get(TasksService).settled(started.body.id);
    expect(task).toMatchObject({ status: 'succeeded', result: expect.objectContaining({ status: 'published' }) });
    runId = (task.result as { runId: number }).runId;
    const polled = await request(server).get(`/jobs/${started.body.id}`).set(auth(keys.bureau)).expect(200);
    expect(polled.body).toMatchObject({ status: 'succeeded', kind: 'assessment' });
  });
  afterAll(() => app.close());

  it('refuses a request without a valid key (401), but not health and docs', async () => {
    expect((await request(server).get('/runs').expect(401)).body.code).toBe('UNAUTHORIZED');
    await request(server).get('/runs').set(auth('rp_not-a-key')).expect(401);
    expect((await request(server).get('/health').expect(200)).body).toMatchObject({ status: 'ok' });
    expect((await request(server).get('/docs').expect(200)).text).toContain('swagger-ui');
    await request(server).get('/docs/assets/swagger-ui-bundle.js').expect(200);
  });

  it('lets a street key see its street only', async () => {
    const runs = await request(server).get('/runs').set(auth(keys.streetA)).expect(200);
    expect(runs.body[0]).not.toHaveProperty('summary');
    expect((await request(server).get('/runs').set(auth(keys.bureau)).expect(200)).body[0]).toHaveProperty('summary');
    const listed = await request(server).get(`/runs/${runId}/companies`).set(auth(keys.streetA)).expect(200);
    expect(new Set(listed.body.map((c: { uscc: string }) => c.uscc))).toEqual(inA);
    expect((await request(server).get(`/runs/${runId}/companies/${onlyB}`).set(auth(keys.streetA)).expect(403)).body.code).toBe('FORBIDDEN_SCOPE');
    const company = await request(server).get(`/runs/${runId}/companies/${companyX}`).set(auth(keys.streetA)).expect(200);
    expect(company.body.projects.length).toBeGreaterThan(0);
    for (const p of company.body.projects) expect(p.streetCode).toBe(streetA);
    await request(server).post('/reports').set(auth(keys.streetA)).send({ kind: 'street-annual', period: '2025', streetCode: streetB }).expect(403);
    const lists = await request(server).get('/lists?period=2025').set(auth(keys.streetA)).expect(200);
    const allLists = await request(server).get('/lists?period=2025').set(auth(keys.bureau)).expect(200);
    expect(lists.body.length).toBeGreaterThan(0);
    expect(lists.body.length).toBeLessThan(allLists.body.length);
    for (const e of lists.body) expect(inA.has(e.uscc)).toBe(true);
    await request(server).post('/runs').set(auth(keys.streetA)).send({ period: '2025' }).expect(403);
  });

  it('lets a company key see itself only, and appeal only on its own behalf', async () => {
    const listed = await request(server).get(`/runs/${runId}/companies`).set(auth(keys.companyX)).expect(200);
    expect(listed.body.map((c: { uscc: string }) => c.uscc)).toEqual([companyX]);
    await request(server).get(`/runs/${runId}/companies/${companyY}`).set(auth(keys.companyX)).expect(403);
    await request(server).get(`/appeals/sheet?period=2025&company=${companyY}`).set(auth(keys.companyX)).expect(403);
    const ledger = await request(server).get('/ledger?from=2025-01-01&to=2025-12-31').set(auth(keys.companyX)).expect(200);
    const allLedger = await request(server).get('/ledger?from=2025-01-01&to=2025-12-31').set(auth(keys.bureau)).expect(200);
    expect(ledger.body.length).toBe(allLedger.body.filter((e: { uscc: string }) => e.uscc === companyX).length);
    expect(ledger.body.length).toBeLessThan(allLedger.body.length);
    for (const e of ledger.body) expect(e.uscc).toBe(companyX);
    const othersSheet = await app.get(AppealSheetService).exportSheet({ period: '2025', uscc: companyY, actor: 'bureau' }, EVERYTHING);
    const refused = await request(server).post('/appeals').set(auth(keys.companyX)).attach('file', othersSheet.path, 'sheet.xlsx').expect(403);
    expect(refused.body.code).toBe('APPEAL_SHEET_FOREIGN');
    expect(JSON.stringify(refused.body)).not.toContain(companyY);
    await request(server).post('/appeals/lines/1/decision').set(auth(keys.companyX)).send({ outcome: 'accept', reason: 'x' }).expect(403);
  });

  it('names an unknown body field, an unknown query parameter and a bad enumeration value in a 400', async () => {
    const response = await request(server).post('/runs').set(auth(keys.bureau)).send({ period: '2025', publsh: true }).expect(400);
    expect(response.body).toMatchObject({ code: 'BODY_INVALID', details: ['unknown field "publsh"'] });
    const query = await request(server).get('/appeals?compnay=x').set(auth(keys.bureau)).expect(400);
    expect(query.body).toMatchObject({ code: 'QUERY_INVALID', details: [expect.stringContaining('unknown query parameter "compnay"')] });
    await request(server).post('/intake/upload?dryRun=yes').set(auth(keys.bureau)).expect(400);
    await request(server).post('/appeals/close').set(auth(keys.bureau)).send({ all: true }).expect(400);
  });

  it('reads date-times of POST /intake/records as spreadsheets do: local time of REDPROP_TIME_ZONE unless an offset is written', async () => {
    const projectCode = projectStreets[0].code;
    const ticket = (ticketNo: string, receivedAt: string) => ({
      ticketNo,
      projectCode,
      receivedAt,
      respondedAt: null,
      resolvedAt: null,
      category: 'repair',
      resolved: false,
      revisitVerdict: null,
    });
    await request(server)
      .post('/intake/records')
      .set(auth(keys.bureau))
      .send({
        records: {
          complaints: [ticket('API-T1', '2026-03-04 09:30'), ticket('API-T2', '2026-03-04T09:30:00Z'), ticket('API-T3', '2026-03-04T09:30:00+08:00')],
        },
      })
      .expect(201);
    const stored = await database()
      .db.select({ no: complaintTickets.ticketNo, at: complaintTickets.receivedAt })
      .from(complaintTickets)
      .where(inArray(complaintTickets.ticketNo, ['API-T1', 'API-T2', 'API-T3']));
    expect(Object.fromEntries(stored.map((r) => [r.no, r.at.toISOString()]))).toEqual({
      'API-T1': '2026-03-04T01:30:00.000Z',
      'API-T2': '2026-03-04T09:30:00.000Z',
      'API-T3': '2026-03-04T01:30:00.000Z',
    });
    const bad = await request(server)
      .post('/intake/records')
      .set(auth(keys.bureau))
      .send({ records: { complaints: [ticket('API-T4', '2026-03-04')] } })
      .expect(400);
    expect(bad.body.details[0]).toContain('records.complaints[0].receivedAt must be a date-time such as "2025-03-04 09:30" (local time of Asia/Shanghai)');
  });

  it('keeps drafts and tasks to those they belong to', async () => {
    const draft = await request(server).post('/runs').set(auth(keys.bureau)).send({ period: '2025-Q1' }).expect(202);
    const task = await app.get(TasksService).settled(draft.body.id);
    const draftRunId = (task.result as { runId: number }).runId;
    await request(server).get(`/runs/${draftRunId}/companies`).set(auth(keys.streetA)).expect(403);
    expect((await request(server).get('/runs').set(auth(keys.streetA)).expect(200)).body.map((r: { id: number }) => r.id)).not.toContain(draftRunId);
    await request(server).get(`/jobs/${draft.body.id}`).set(auth(keys.companyX)).expect(403);
    // a key with the same name as another is still not that key
    const sameName = (await app.get(ApiKeysService).create({ name: '区住建局', role: 'company', uscc: companyY, createdBy: 'test' })).key;
    await request(server).get(`/jobs/${draft.body.id}`).set(auth(sameName)).expect(403);
  });

  it('shows a street key the appeal lines of its street only, and no company sheet or history', async () => {
    await request(server).get(`/appeals/sheet?period=2025&company=${companyX}`).set(auth(keys.streetA)).expect(403);
    await request(server).get(`/appeals/history?company=${companyX}`).set(auth(keys.streetA)).expect(403);
    // a company operating in both streets appeals one line of a project in each
    const both = [...inA].find((uscc) => projectStreets.some((p) => p.uscc === uscc && p.street === streetB))!;
    const inStreet = (street: string) => projectStreets.find((p) => p.uscc === both && p.street === street)!.code;
    const exported = await app.get(AppealSheetService).exportSheet({ period: '2025', uscc: both, actor: 'bureau' }, EVERYTHING);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(exported.path);
    const sheet = workbook.getWorksheet(SCORESHEET_SHEET_NAME)!;
    const reasonColumn = Array.from(sheet.getRow(2).values as unknown[], (v) => String(v ?? '')).indexOf('申诉理由');
    for (const code of [inStreet(streetA), inStreet(streetB)]) {
      let row = 3;
      while (sheet.getRow(row).getCell(2).value !== code) row++;
      sheet.getRow(row).getCell(reasonColumn).value = '数据有误';
    }
    const filled = join(mkdtempSync(join(tmpdir(), 'redprop-lines-')), 'filled.xlsx');
    await workbook.xlsx.writeFile(filled);
    await app.get(AppealSheetService).importSheet({ path: filled, actor: 'bureau' }, EVERYTHING);

    const all = await request(server).get(`/appeals?company=${both}`).set(auth(keys.bureau)).expect(200);
    expect(all.body.map((l: { streetCode: string }) => l.streetCode).sort()).toEqual([streetA, streetB].sort());
    const lines = await request(server).get(`/appeals?company=${both}`).set(auth(keys.streetA)).expect(200);
    expect(lines.body.map((l: { streetCode: string }) => l.streetCode)).toEqual([streetA]);
  });

  it('documents every endpoint with its parameters and body schema at /docs-json', async () => {
    const document = (await request(server).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> }; parameters: { name: string }[] }>>;
    };
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const operation = document.paths[route.path]?.[route.method];
      expect(operation).toBeDefined();
      for (const name of route.path.match(/\{(\w+)\}/g) ?? []) expect(operation.parameters.map((p) => p.name)).toContain(name.slice(1, -1));
    }
    const decide = document.paths['/appeals/lines/{id}/decision'].post;
    expect(Object.keys(decide.requestBody!.content['application/json'].schema.properties!)).toEqual(['outcome', 'reason', 'reviewer', 'level', 'value']);
  });
});
