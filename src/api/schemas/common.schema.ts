import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '../../domain/error-catalogue.js';

/**
 * The shapes every part of the API shares. One zod schema per shape: the TypeScript type is inferred
 * from it, SchemaValidationPipe checks requests with it, the response serializer sends what it
 * describes, and @nestjs/swagger documents it (src/api/openapi/schema-converter.ts).
 */

/** A coded error: stable English code, English and Chinese message, details. */
export const ErrorBody = z
  .object({
    code: z
      .enum(Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]])
      .meta({ description: 'stable English code (the error catalogue: src/domain/error-catalogue.ts)', example: 'RUN_NOT_FOUND' }),
    message: z.string(),
    messageZh: z.string(),
    details: z.array(z.string()),
  })
  .meta({ id: 'Error', description: 'a coded error: stable English code, English and Chinese message, details' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * An optional field of a body: absent or null both mean "not given", as they always have.
 * (`.nullish()` documents it as nullable.)
 */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullish();

/** A text that must say something. */
export const NonBlank = z.string().refine((v) => v.trim() !== '', { message: 'must not be blank' });

/** A query parameter that must be given and not blank. */
export const RequiredText = z.string().refine((v) => v.trim() !== '', { message: 'is required' });

/** 考核周期 as written: `2025`, `2025-H1`, `2025-Q3`, `2025-07` (the service checks it and answers PERIOD_INVALID). */
export const PeriodText = z.string().meta({ description: '考核周期: 2025, 2025-H1, 2025-Q3 or 2025-07', example: '2025' });

/** A whole number in a path (`/runs/{runId}`), read from its text. */
export const IdParam = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number')
  .transform(Number)
  .meta({ type: 'integer', description: 'a whole number' });

/** An instant: a Date in the service, an ISO 8601 text on the wire (documented as such by the schema converter). */
export const Instant = z.date();

/** A JSON value as it was stored (a fact, a claimed value, an outcome's detail). */
export const JsonValue = z.unknown().meta({ description: 'any JSON value' });

/** A JSON object whose keys are open (audit details, a firing's outcome). */
export const JsonObject = z.record(z.string(), z.unknown());

/** A rule's fact: what a rule compared, as the explanation shows it. */
export const FactValue = z.union([z.number(), z.boolean(), z.string(), z.null()]);
export const Facts = z.record(z.string(), FactValue);

export const Severity = z.enum(['general', 'serious', 'safety']).meta({ description: 'general 一般, serious 严重, safety 安全事故' });
export const ListName = z.enum(['red', 'black']).meta({ description: 'red 红名单, black 黑名单' });
export const RunStatus = z.enum(['draft', 'published', 'superseded']);

/** Counts per category (stars → projects, grade → companies, list → entries). */
export const Counts = z.record(z.string(), z.number().int());

/** What a workbook answer is: the document says so instead of a JSON schema. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
