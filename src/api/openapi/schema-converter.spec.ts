import { z } from 'zod';
import { openApiSchemaOf, zodToOpenApi } from './schema-converter.js';

describe('zodToOpenApi', () => {
  it('says a Date as the ISO text the wire carries, without zod’s safe-integer bounds', () => {
    expect(openApiSchemaOf(z.object({ at: z.date(), n: z.number().int() }), 'output')).toEqual({
      type: 'object',
      properties: { at: { type: 'string', format: 'date-time' }, n: { type: 'integer' } },
      required: ['at', 'n'],
      additionalProperties: false,
    });
  });

  it('makes named shapes components, referred to from where they are used', () => {
    const Named = z.object({ code: z.string() }).meta({ id: 'Named' });
    const converted = zodToOpenApi(z.object({ a: Named, b: z.array(Named) }), { schemaType: 'output' })!;
    expect(converted.components).toEqual({ Named: expect.objectContaining({ properties: { code: { type: 'string' } } }) });
    expect(JSON.stringify(converted.schema)).toContain('"$ref":"#/definitions/Named"');
  });

  it('leaves what is not a zod schema to the library', () => {
    expect(zodToOpenApi({ type: 'string' }, { schemaType: 'input' })).toBeUndefined();
  });
});
