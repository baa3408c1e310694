import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { describeIssues, SchemaValidationPipe } from './schema-validation.pipe.js';

const Body = z.strictObject({
  period: z.string(),
  count: z.number().int().nullish(),
  publish: z.boolean().nullish(),
  files: z.record(z.string(), z.string()).nullish(),
  outcome: z.enum(['accept', 'reject']).nullish(),
  reason: z
    .string()
    .refine((v) => v.trim() !== '', { message: 'must not be blank' })
    .nullish(),
});

function problems(where: 'body' | 'query', value: unknown, schema: z.ZodType = Body): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : describeIssues(result.error.issues, where, value, schema instanceof z.ZodObject ? Object.keys(schema.shape) : []);
}

describe('describeIssues', () => {
  it('names unknown fields first, then every other problem in the words the API has always used', () => {
    expect(problems('body', { count: 1.5, publish: 'yes', files: [], outcome: 'maybe', reason: ' ', publsh: true })).toEqual([
      'unknown field "publsh"',
      'field "period" is required',
      'field "count" must be a whole number',
      'field "publish" must be a boolean',
      'field "files" must be an object',
      'field "outcome" must be one of accept, reject',
      'field "reason" must not be blank',
    ]);
    expect(problems('body', 'text')).toEqual(['the body must be a JSON object']);
    expect(problems('body', { period: null })).toEqual(['field "period" is required']);
    expect(problems('body', { period: '2025', files: { 'a.json': 1 } })).toEqual(['field "files.a.json" must be a string']);
  });

  it('names query parameters: unknown (with the known ones), missing, repeated, outside their enumeration', () => {
    const Query = z.strictObject({ period: z.string(), job: z.enum(['a', 'b']).optional() });
    expect(problems('query', { compnay: 'x', job: 'c' }, Query)).toEqual([
      'unknown query parameter "compnay" (period, job)',
      'query parameter "period" is required',
      'query parameter "job" must be one of a, b',
    ]);
    expect(problems('query', { period: ['2025', '2026'] }, Query)).toEqual(['query parameter "period" must be given once']);
  });
});

describe('SchemaValidationPipe', () => {
  const pipe = new SchemaValidationPipe();

  it('gives the handler what the schema made of the value', async () => {
    const id = z.string().regex(/^\d+$/).transform(Number);
    await expect(pipe.transform('12', { type: 'param', data: 'runId', schema: id })).resolves.toBe(12);
  });

  it('refuses with BODY_INVALID, QUERY_INVALID or PATH_INVALID, in English and Chinese', async () => {
    const body = pipe.transform({ period: 1 }, { type: 'body', schema: Body });
    await expect(body).rejects.toBeInstanceOf(DomainError);
    await expect(body).rejects.toMatchObject({
      code: 'BODY_INVALID',
      details: ['field "period" must be a string'],
      messageZh: '请求体有误：field "period" must be a string',
    });
    await expect(pipe.transform({ x: '1' }, { type: 'query', schema: z.strictObject({}) })).rejects.toMatchObject({ code: 'QUERY_INVALID' });
    await expect(pipe.transform('x', { type: 'param', data: 'runId', schema: z.string().regex(/^\d+$/, 'must be a whole number') })).rejects.toMatchObject({
      code: 'PATH_INVALID',
      details: ['path parameter "runId" must be a whole number'],
    });
  });

  it('leaves a parameter without a schema as it is', async () => {
    await expect(pipe.transform('anything', { type: 'query', data: 'x' })).resolves.toBe('anything');
  });
});
