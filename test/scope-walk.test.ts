import { EVERYTHING } from '../src/domain/access.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import request from 'supertest';
import { createHttpApp } from '../src/api/http-app.js';
import { AppealSheetService } from '../src/appeals/appeal-sheet.service.js';
import { AppealsService } from '../src/appeals/appeals.service.js';
import { SIGNATURE_SHEET_NAME } from '../src/appeals/sheet/signature.js';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import { ApiKeysService } from '../src/auth/api-keys.service.js';
import { communities, companies, projects, streets } from '../src/db/schema.js';
import { SCORESHEET_SHEET_NAME } from '../src/reports/scoresheet.content.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { TasksService } from '../src/tasks/tasks.service.js';
import { testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

/**
 * Scope holds everywhere: every operation of the OpenAPI document, called as the bureau, two
 * street offices and two companies, with their own ids and with the other scope's, and every 2xx
 * answer (JSON, a downloaded workbook, a task's result and file) searched for a street, community,
 * project or company code the caller may not read. The routes come from the document itself: a new
 * endpoint is walked without editing this test, and a parameter this test has no values for fails it.
 */

type Role = 'bureau' | 'street' | 'company';
interface Caller {
  label: string;
  role: Role;
  key: string;
  /** street key: its street; company key: itself */
  street?: string;
  uscc?: string;
}
interface World {
  streets: string[];
  communities: { code: string; street: string }[];
  projects: { code: string; street: string; community: string; uscc: string }[];
  companyStreets: Map<string, Set<string>>;
}

/** supertest collects a binary body into a Buffer with this parser. */
function binary(response: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The codes a caller may not read: other streets' and their communities and projects, companies not in scope. */
function foreignCodes(caller: Caller, world: World): Set<string> {
  if (caller.role === 'bureau') return new Set();
  const readableStreets = caller.role === 'street' ? new Set([caller.street!]) : world.companyStreets.get(caller.uscc!)!;
  const foreign = new Set<string>();
  for (const s of world.streets) if (!readableStreets.has(s)) foreign.add(s);
  for (const c of world.communities) if (!readableStreets.has(c.street)) foreign.add(c.code);
  for (const p of world.projects) {
    const readable = caller.role === 'street' ? p.street === caller.street : p.uscc === caller.uscc;
    if (!readable) foreign.add(p.code);
  }
  for (const [uscc, where] of world.companyStreets) {
    const readable = caller.role === 'street' ? where.has(caller.street!) : uscc === caller.uscc;
    if (!readable) foreign.add(uscc);
  }
  return foreign;
}

/** Every word-like token of a text that is a foreign code. */
function foreignIn(text: string, foreign: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const token of text.match(/[0-9A-Za-z]+/g) ?? []) if (foreign.has(token)) found.add(token);
  return [...found];
}

/** All text of a workbook's XML parts (shared strings, inline strings, sheet names). */
async function workbookText(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const texts: string[] = [];
  for (const [name, entry] of Object.entries(zip.files)) if (name.endsWith('.xml') || name.endsWith('.rels')) texts.push(await entry.async('string'));
  return texts.join('\n');
}

function cartesian(lists: readonly [string, readonly unknown[]][]): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [name, values] of lists) combos = combos.flatMap((combo) => values.map((v) => ({ ...combo, [name]: v })));
  return combos;
}

describeEachBackend('no byte outside a key\u2019s scope', ({ database }) => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  let world: World;
  let callers: Caller[];
  let publishedRun: number;
  let draftRun: number;
  const taskOf = new Map<string, number>();
  const lineOf = new Map<string, number>();
  const sheetOf = new Map<string, string>();
  const dir = mkdtempSync(join(tmpdir(), 'redprop-scope-'));

  /** Submits an appeal on the first line of one of the company's projects in the street (the veto line if it has one), and gives its number. */
  async function appealLineAt(uscc: string, street: string): Promise<number> {
    const exported = await app.get(AppealSheetService).exportSheet({ period: '2025', uscc, actor: 'bureau' }, EVERYTHING);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(exported.path);
    const sheet = workbook.getWorksheet(SCORESHEET_SHEET_NAME)!;
    const headers = Array.from(sheet.getRow(2).values as unknown[], (v) => String(v ?? ''));
    const codes = new Set(world.projects.filter((p) => p.uscc === uscc && p.street === street).map((p) => p.code));
    let target: ExcelJS.Row | undefined;
    sheet.eachRow((row, n) => {
      const lineId = String(row.getCell(headers.indexOf('行号')).value ?? '');
      if (n < 3 || target || !lineId.split('-').some((part) => codes.has(part)) || !lineId.includes('fee')) return;
      target = row;
    });
    target!.getCell(headers.indexOf('申诉理由')).value = '收费台账有误';
    target!.getCell(headers.findIndex((h) => h.startsWith('申诉主张值'))).value = 1;
    const path = join(dir, `appeal-at-${street}.xlsx`);
    await workbook.xlsx.writeFile(path);
    return (await app.get(AppealSheetService).importSheet({ path, actor: 'bureau' }, EVERYTHING)).lines[0].appealLineId;
  }

  /** A company's appeal sheet with one appeal line filled, as the company would send it. */
  async function filledSheet(uscc: string): Promise<string> {
    const exported = await app.get(AppealSheetService).exportSheet({ period: '2025', uscc, actor: 'bureau' }, EVERYTHING);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(exported.path);
    const sheet = workbook.getWorksheet(SCORESHEET_SHEET_NAME)!;
    const headers = Array.from(sheet.getRow(2).values as unknown[], (v) => String(v ?? ''));
    sheet.getRow(3).getCell(headers.indexOf('申诉理由')).value = '数据有误';
    const path = join(dir, `filled-${uscc}.xlsx`);
    await workbook.xlsx.writeFile(path);
    return path;
  }

  beforeAll(async () => {
    app = await createHttpApp({ config: testConfig({ reportsDir: join(dir, 'reports') }), database: database() }, false);
    await app.init();
    server = app.getHttpServer();
    await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    const db = database().db;
    const projectRows = await db
      .select({ code: projects.code, street: streets.code, community: communities.code, uscc: companies.uscc })
      .from(projects)
      .innerJoin(streets, eq(streets.id, projects.streetId))
      .innerJoin(communities, eq(communities.id, projects.communityId))
      .innerJoin(companies, eq(companies.id, projects.companyId));
    const companyStreets = new Map<string, Set<string>>();
    for (const p of projectRows) companyStreets.set(p.uscc, (companyStreets.get(p.uscc) ?? new Set()).add(p.street));
    world = {
      streets: (await db.select({ code: streets.code }).from(streets)).map((s) => s.code).sort(),
      communities: (
        await db.select({ code: communities.code, street: streets.code }).from(communities).innerJoin(streets, eq(streets.id, communities.streetId))
      ).map((c) => c),
      projects: projectRows,
      companyStreets,
    };
    const [streetA, streetB] = world.streets as [string, string];
    // a company in both streets (the probe's case), and one in street B only
    const both = [...companyStreets].find(([, s]) => s.size === 2)![0];
    const onlyB = [...companyStreets].find(([, s]) => s.size === 1 && s.has(streetB))![0];
    const keys = app.get(ApiKeysService);
    const key = async (name: string, role: Role, binding: { streetCode?: string; uscc?: string }) =>
      (await keys.create({ name, role, createdBy: 'test', ...binding })).key;
    callers = [
      { label: 'bureau', role: 'bureau', key: await key('区住建局', 'bureau', {}) },
      { label: `street ${streetA}`, role: 'street', street: streetA, key: await key('街道A', 'street', { streetCode: streetA }) },
      { label: `street ${streetB}`, role: 'street', street: streetB, key: await key('街道B', 'street', { streetCode: streetB }) },
      { label: `company ${both}`, role: 'company', uscc: both, key: await key('企业X', 'company', { uscc: both }) },
      { label: `company ${onlyB}`, role: 'company', uscc: onlyB, key: await key('企业Y', 'company', { uscc: onlyB }) },
    ];

    const assessments = app.get(AssessmentService);
    publishedRun = (await assessments.run({ period: '2025', streetCode: null, publish: true })).runId;
    draftRun = (await assessments.run({ period: '2025', streetCode: null, publish: false })).runId;
    // an appeal line and a task of each company, a task of each key
    for (const uscc of [both, onlyB]) {
      sheetOf.set(uscc, await filledSheet(uscc));
      const submitted = await app.get(AppealSheetService).importSheet({ path: await filledSheet(uscc), actor: 'bureau' }, EVERYTHING);
      lineOf.set(uscc, submitted.lines[0].appealLineId);
    }
    // an accepted appeal at a project in street B of the company in both streets: a revision, its
    // reason, and the list and ledger records it makes are read by street A too
    const appeals = app.get(AppealsService);
    const foreignLine = await appealLineAt(both, streetB);
    await appeals.decide({ appealLineId: foreignLine, outcome: 'accept', reason: '核实', reviewer: '街道B', level: 'street' }, EVERYTHING);
    await appeals.decide({ appealLineId: foreignLine, outcome: 'accept', reason: '核实', reviewer: '区住建局', level: 'bureau' }, EVERYTHING);
    for (const caller of callers) {
      const body = caller.role === 'company' ? { kind: 'company-scoresheet', period: '2025', company: caller.uscc } : { kind: 'street-annual', period: '2025' };
      const started = await request(server).post('/reports').set('Authorization', `Bearer ${caller.key}`).send(body).expect(202);
      await app.get(TasksService).settled(started.body.id);
      taskOf.set(caller.label, started.body.id);
    }
    // seeding, two assessments, appeals and five report tasks: minutes on a busy machine
  }, 600_000);
  afterAll(() => app.close());

  /** The caller's own company and street, and another scope's. */
  function ids(caller: Caller) {
    const [streetA, streetB] = world.streets as [string, string];
    const companiesOf = (street: string) => [...world.companyStreets].filter(([, s]) => s.has(street)).map(([u]) => u);
    if (caller.role === 'street') {
      const other = caller.street === streetA ? streetB : streetA;
      const own = companiesOf(caller.street!).find((u) => world.companyStreets.get(u)!.size === 2) ?? companiesOf(caller.street!)[0];
      return {
        ownCompany: own,
        otherCompany: companiesOf(other).find((u) => !world.companyStreets.get(u)!.has(caller.street!))!,
        ownStreet: caller.street!,
        otherStreet: other,
      };
    }
    if (caller.role === 'company') {
      const streetsOf = world.companyStreets.get(caller.uscc!)!;
      return {
        ownCompany: caller.uscc!,
        otherCompany: [...world.companyStreets.keys()].find((u) => u !== caller.uscc)!,
        ownStreet: [...streetsOf][0],
        otherStreet: world.streets.find((s) => !streetsOf.has(s)) ?? streetB,
      };
    }
    return { ownCompany: [...world.companyStreets.keys()][0], otherCompany: [...world.companyStreets.keys()][1], ownStreet: streetA, otherStreet: streetB };
  }

  /** Values to try for a parameter or body field, by its name (and the route, for ids). */
  function valuesFor(name: string, path: string, caller: Caller, required: boolean): unknown[] {
    const own = ids(caller);
    const optional = required ? [] : [undefined];
    const otherCaller = callers.find((c) => c.role === caller.role && c !== caller) ?? callers[0];
    const companies = [own.ownCompany, own.otherCompany];
    switch (name) {
      case 'runId':
      case 'compareRunId':
        return [publishedRun, draftRun];
      case 'ruleSetFiles':
      case 'records':
        return [{}];
      case 'uscc':
      case 'company':
        return [...optional, ...companies];
      case 'id':
        if (path.startsWith('/jobs') || path.startsWith('/tasks')) return [taskOf.get(caller.label), taskOf.get(otherCaller.label)];
        if (path.startsWith('/appeals/lines')) return [...lineOf.values()];
        if (path.startsWith('/credit-repairs')) return [1];
        break;
      case 'job':
        return ['monthly-bulletin'];
      case 'period':
        return ['2025'];
      case 'from':
        return ['2020-01-01'];
      case 'to':
        return ['2030-12-31'];
      case 'state':
        return [undefined];
      case 'dryRun':
        return ['true'];
      case 'streetCode':
        return [...optional, own.ownStreet, own.otherStreet];
      case 'kind':
        return ['street-annual', 'company-scoresheet', 'monthly-bulletin', 'quarterly-dispatch', 'list-publication'];
      case 'publish':
        return [false];
      case 'outcome':
        return ['accept'];
      case 'reason':
      case 'rectification':
      case 'evidence':
        return ['核实'];
      case 'reviewer':
      case 'applicant':
      case 'level':
      case 'value':
      case 'entryId':
      case 'force':
        return [undefined];
      case 'approve':
        return [true];
      case 'file':
        return [...sheetOf.values()];
    }
    throw new Error(`no values to walk for "${name}" of ${path}: add them to this test`);
  }

  const periodFor = (kind: unknown) => (kind === 'monthly-bulletin' ? '2025-07' : kind === 'quarterly-dispatch' ? '2025-Q3' : '2025');

  it('walks every route of the OpenAPI document as every role, with its own and the other scopes\u2019 ids', async () => {
    const doc = (await request(server).get('/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            security?: unknown[];
            parameters?: { name: string; in: string; required?: boolean }[];
            requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> };
          }
        >
      >;
    };
    const leaks: string[] = [];
    let probes = 0;
    const answered = new Map<string, number>();
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const caller of callers) {
          // the bureau may read everything; its writes would only change the state the others are walked on
          if (caller.role === 'bureau' && method !== 'get') continue;
          const lists: [string, readonly unknown[]][] = [];
          for (const p of operation.parameters ?? [])
            lists.push([`${p.in}:${p.name}`, valuesFor(p.name, path, caller, p.in === 'path' || p.required === true)]);
          const content = operation.requestBody?.content ?? {};
          const json = content['application/json']?.schema;
          const multipart = content['multipart/form-data']?.schema;
          for (const [field] of Object.entries(json?.properties ?? {}))
            lists.push([`body:${field}`, valuesFor(field, path, caller, json?.required?.includes(field) ?? false)]);
          if (multipart) lists.push(['file', valuesFor('file', path, caller, true)]);
          for (const combo of cartesian(lists)) {
            let url = path;
            const query: Record<string, unknown> = {};
            const body: Record<string, unknown> = {};
            for (const [name, value] of Object.entries(combo)) {
              if (value === undefined) continue;
              const [where, field] = name.includes(':') ? (name.split(':') as [string, string]) : ['file', name];
              if (where === 'path') url = url.replace(`{${field}}`, encodeURIComponent(String(value)));
              else if (where === 'query') query[field] = value;
              else if (where === 'body') body[field] = value;
            }
            if (body.kind !== undefined) body.period = periodFor(body.kind);
            const agent = request(server) as unknown as Record<string, (url: string) => request.Test>;
            let call = agent[method](url).set('Authorization', `Bearer ${caller.key}`).query(query);
            if (combo.file !== undefined) call = call.attach('file', combo.file as string, 'sheet.xlsx');
            else if (method !== 'get') call = call.send(body);
            const response = await call.buffer(true).parse(binary);
            probes++;
            const where = `${caller.label} ${method.toUpperCase()} ${url} ${JSON.stringify({ ...query, ...body })}`;
            if (response.status >= 300) continue;
            answered.set(caller.label, (answered.get(caller.label) ?? 0) + 1);
            const texts = [await bodyText(response)];
            if (response.status === 202 && typeof JSON.parse(texts[0]).id === 'number') {
              const taskId = JSON.parse(texts[0]).id as number;
              await app.get(TasksService).settled(taskId);
              const task = await request(server).get(`/jobs/${taskId}`).set('Authorization', `Bearer ${caller.key}`).buffer(true).parse(binary);
              texts.push(await bodyText(task));
              const file = await request(server).get(`/jobs/${taskId}/file`).set('Authorization', `Bearer ${caller.key}`).buffer(true).parse(binary);
              if (file.status === 200) texts.push(await bodyText(file));
            }
            const found = foreignIn(texts.join('\n'), foreignCodes(caller, world));
            if (found.length > 0) leaks.push(`${where} → ${found.join(', ')}`);
          }
        }
      }
    }
    console.log(
      `scope walk: ${probes} route × role probes over ${Object.keys(doc.paths).length} paths; 2xx per caller: ${JSON.stringify(Object.fromEntries(answered))}`,
    );
    for (const caller of callers) expect(answered.get(caller.label) ?? 0).toBeGreaterThan(3);
    expect(leaks).toEqual([]);
  });

  it('keeps drafts the bureau\u2019s: no scoped report, run or result is made from one', async () => {
    const draftOnly = await app.get(AssessmentService).run({ period: '2025-H1', streetCode: null, publish: false });
    for (const caller of callers.filter((c) => c.role !== 'bureau')) {
      const auth = { Authorization: `Bearer ${caller.key}` };
      const body =
        caller.role === 'company' ? { kind: 'company-scoresheet', period: '2025-H1', company: caller.uscc } : { kind: 'street-annual', period: '2025-H1' };
      const refused = await request(server).post('/reports').set(auth).send(body);
      expect({ caller: caller.label, status: refused.status, code: refused.body.code }).toEqual({ caller: caller.label, status: 404, code: 'RUN_NOT_FOUND' });
      const runs = (await request(server).get('/runs').set(auth).expect(200)).body as { id: number; status: string }[];
      expect(runs.filter((r) => r.status === 'draft')).toEqual([]);
      await request(server).get(`/runs/${draftOnly.runId}/companies`).set(auth).expect(403);
    }
    const bureau = callers.find((c) => c.role === 'bureau')!;
    await request(server).post('/reports').set('Authorization', `Bearer ${bureau.key}`).send({ kind: 'street-annual', period: '2025-H1' }).expect(202);
  });

  it('refuses an own sheet whose 导出编号 names another company\u2019s export without a value of it', async () => {
    const [x, y] = callers.filter((c) => c.role === 'company') as [Caller, Caller];
    const theirs = await app.get(AppealSheetService).exportSheet({ period: '2025', uscc: y.uscc!, actor: 'bureau' }, EVERYTHING);
    const mine = await app.get(AppealSheetService).exportSheet({ period: '2025', uscc: x.uscc!, actor: 'bureau' }, EVERYTHING);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(mine.path);
    const signature = workbook.getWorksheet(SIGNATURE_SHEET_NAME)!;
    signature.eachRow((row) => {
      if (row.getCell(1).value === '导出编号') row.getCell(2).value = String(theirs.exportId);
    });
    const swapped = join(dir, 'swapped.xlsx');
    writeFileSync(swapped, Buffer.from(await workbook.xlsx.writeBuffer()));
    const refused = await request(server).post('/appeals').set('Authorization', `Bearer ${x.key}`).attach('file', swapped, 'sheet.xlsx');
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const text = JSON.stringify(refused.body);
    expect(foreignIn(text, foreignCodes(x, world))).toEqual([]);
    expect(text).not.toContain('原为');
    expect(refused.body.code).toMatch(/^APPEAL_SHEET_(FOREIGN|SIGNATURE_INVALID)$/);
  });
});

async function bodyText(response: request.Response): Promise<string> {
  const bytes = response.body as Buffer;
  if (String(response.headers['content-type'] ?? '').includes('spreadsheetml')) return workbookText(bytes);
  return bytes.toString('utf8');
}
