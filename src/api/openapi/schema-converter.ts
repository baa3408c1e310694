import type { StandardSchemaConversionResult } from '@nestjs/swagger';
import { z } from 'zod';

const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]);

/**
 * zod → OpenAPI 3.0 for @nestjs/swagger (its `standardSchemaConverter` option). zod's own
 * `toJSONSchema` does the work; three things are said the way the wire has them:
 * - a Date is sent as an ISO 8601 text (`{ type: string, format: date-time }`);
 * - the bounds zod gives every `.int()` (±2^53-1) are left out: they say nothing;
 * - a path id read from its text is an integer, without the text's pattern.
 * Named shapes (`.meta({ id })`) become components.
 */
export function zodToOpenApi(schema: unknown, options: { schemaType: 'input' | 'output' }): StandardSchemaConversionResult | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: options.schemaType,
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const target = jsonSchema as Record<string, unknown>;
      if ((zodSchema as unknown as z.ZodType)._zod.def.type === 'date') {
        target.type = 'string';
        target.format = 'date-time';
      }
      for (const bound of ['minimum', 'maximum'] as const) if (SAFE_INTEGER_BOUNDS.has(target[bound] as number)) delete target[bound];
      if (target.type === 'integer') delete target.pattern;
    },
  }) as Record<string, unknown>;
  const { definitions, $schema: _schema, ...rest } = json;
  return { schema: rest, components: (definitions ?? {}) as Record<string, unknown> };
}

/** The OpenAPI form of a schema on its own (tests, the typed client's checks). */
export function openApiSchemaOf(schema: z.ZodType, schemaType: 'input' | 'output'): Record<string, unknown> {
  return zodToOpenApi(schema, { schemaType })!.schema as Record<string, unknown>;
}
