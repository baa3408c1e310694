import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CLIENT_TYPES_FILE, OPENAPI_FILE, typedClientSource } from '../scripts/openapi-client.js';
import { createHttpApp } from '../src/api/http-app.js';
import { packageRoot } from '../src/config/paths.js';
import { testConfig } from './support/app.js';
import { createTestBackend } from './support/backends.js';
import { apiRoutes } from './support/routes.js';
import { apiClient } from '../src/web/api/client.js';
import { ApiKeysService } from '../src/auth/api-keys.service.js';

type Schema = Record<string, unknown>;
interface Operation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Why a schema does not say what it holds, or null: absent, `{}`, an object without properties
 * (or a typed map of values), an array without typed items; a $ref is followed once.
 */
function untyped(schema: Schema | undefined, document: Document, depth = 0): string | null {
  if (!schema) return 'no schema';
  if (typeof schema.$ref === 'string') {
    const target = document.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
    return target ? (depth > 0 ? null : untyped(target, document, depth + 1)) : `dangling ${schema.$ref}`;
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const options = schema[key] as Schema[] | undefined;
    if (options) return options.map((s) => untyped(s, document, depth)).find((r) => r !== null) ?? null;
  }
  if (schema.type === 'object') {
    const properties = schema.properties as Schema | undefined;
    const values = schema.additionalProperties as Schema | boolean | undefined;
    if ((!properties || Object.keys(properties).length === 0) && (typeof values !== 'object' || Object.keys(values).length === 0))
      return 'an object with no properties';
    return null;
  }
  if (schema.type === 'array') return untyped(schema.items as Schema | undefined, document, depth);
  if (typeof schema.type === 'string') return null;
  return 'no type';
}

describe('the OpenAPI document and the typed client', () => {
  const backend = createTestBackend('pglite');
  let app: INestApplication;
  let served: Document;
  const committed = JSON.parse(readFileSync(join(packageRoot(), OPENAPI_FILE), 'utf8')) as Document;

  beforeAll(async () => {
    app = await createHttpApp({ config: testConfig(), database: await backend.open() }, false);
    await app.init();
    served = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as Document;
  });
  afterAll(async () => {
    await app.close();
    await backend.dispose();
  });

  it('is committed as the running service serves it (npm run openapi writes it)', () => {
    expect(served).toEqual(committed);
  });

  it('has the typed client generated from the committed document (npm run openapi writes it)', async () => {
    expect(readFileSync(join(packageRoot(), CLIENT_TYPES_FILE), 'utf8')).toBe(await typedClientSource(committed));
  });

  it('types every request body, parameter and answer of every operation', () => {
    const problems: string[] = [];
    let operations = 0;
    for (const [path, methods] of Object.entries(served.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations++;
        const at = `${method.toUpperCase()} ${path}`;
        for (const parameter of operation.parameters ?? []) {
          const why = untyped(parameter.schema, served);
          if (why) problems.push(`${at} parameter ${parameter.name}: ${why}`);
        }
        for (const [media, content] of Object.entries(operation.requestBody?.content ?? {})) {
          const why = untyped(content.schema, served);
          if (why) problems.push(`${at} request ${media}: ${why}`);
        }
        const statuses = Object.keys(operation.responses);
        if (!statuses.some((s) => s.startsWith('2'))) problems.push(`${at}: no success answer`);
        for (const status of statuses) {
          const content = operation.responses[status].content ?? {};
          if (Object.keys(content).length === 0) problems.push(`${at} ${status}: no content`);
          for (const [media, body] of Object.entries(content)) {
            if (media === XLSX) {
              if (body.schema?.format !== 'binary') problems.push(`${at} ${status}: a workbook not described as binary`);
              continue;
            }
            const why = untyped(body.schema, served);
            if (why) problems.push(`${at} ${status} ${media}: ${why}`);
            if (!status.startsWith('2') && body.schema?.$ref !== '#/components/schemas/Error')
              problems.push(`${at} ${status}: an error answer that is not an Error`);
          }
        }
        const requiredErrors = ['400', ...(path === '/health' ? [] : ['401', '403'])];
        for (const status of requiredErrors) if (!statuses.includes(status)) problems.push(`${at}: ${status} not listed`);
      }
    }
    expect(operations).toBe(apiRoutes().length);
    expect(problems).toEqual([]);
  });

  it('calls the service through the typed client: typed paths, parameters, answers and errors', async () => {
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    const { key } = await app.get(ApiKeysService).create({ name: 'typed client', role: 'bureau', createdBy: 'test' });
    const client = apiClient({ baseUrl: `http://127.0.0.1:${address.port}`, apiKey: key });
    const health = await client.GET('/health');
    expect(health.data?.database).toBe('pglite');
    const runs = await client.GET('/runs');
    expect(runs.data).toEqual([]);
    const missing = await client.GET('/runs/{runId}/companies', { params: { path: { runId: 9999 } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.code).toBe('RUN_NOT_FOUND');
    const refused = await client.POST('/runs', { body: { period: '2025-13' } });
    expect(refused.error).toMatchObject({ code: 'PERIOD_INVALID' });
  });

  it('finds an untyped answer when there is one (the walk above can fail)', () => {
    expect(untyped({ type: 'object' }, served)).toBe('an object with no properties');
    expect(untyped({ type: 'array', items: {} }, served)).toBe('no type');
    expect(untyped(undefined, served)).toBe('no schema');
    expect(untyped({ $ref: '#/components/schemas/Task' }, served)).toBeNull();
  });
});
