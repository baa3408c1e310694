import { z } from 'zod';
import { undocumentedFields } from './response-schema.interceptor.js';

describe('undocumentedFields', () => {
  it('finds what the schema left out, at any depth, and nothing when all is documented', () => {
    const Schema = z.object({ id: z.number(), lines: z.array(z.object({ rule: z.string() })), at: z.date() });
    const returned = { id: 1, secret: 'x', lines: [{ rule: 'r', projectCode: 'P1' }], at: new Date(0), gone: undefined };
    expect(undocumentedFields(returned, Schema.parse(returned))).toEqual(['secret', 'lines[0].projectCode']);
    const clean = { id: 1, lines: [], at: new Date(0) };
    expect(undocumentedFields(clean, Schema.parse(clean))).toEqual([]);
  });
});
