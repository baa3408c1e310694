import { z } from 'zod';
import { sheetSpecOfKind, type CellType } from '../intake/excel/families.js';
import { FACT_KINDS, MASTER_KINDS, type RecordKind } from '../intake/records.js';

const KINDS: readonly RecordKind[] = [...MASTER_KINDS, ...FACT_KINDS];

/** fields a record has that its sheet fills by itself */
const EXTRA_FIELDS: Partial<Record<RecordKind, Readonly<Record<string, { required: boolean; type: CellType }>>>> = {
  partyChecks: { scope: { required: true, type: { kind: 'choice', options: { project: '项目', company: '企业' } } } },
};

/** The JSON a template column is written as. */
function jsonTypeOf(type: CellType): Record<string, unknown> {
  switch (type.kind) {
    case 'integer':
      return { type: 'integer', ...(type.min !== undefined ? { minimum: type.min } : {}), ...(type.max !== undefined ? { maximum: type.max } : {}) };
    case 'decimal':
      return { type: 'number', ...(type.min !== undefined ? { minimum: type.min } : {}), ...(type.max !== undefined ? { maximum: type.max } : {}) };
    case 'flag':
      return { type: 'boolean' };
    case 'choice':
      return { type: 'string', enum: Object.keys(type.options) };
    case 'month':
      return { type: 'string', description: 'YYYY-MM' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', description: 'a date-time: "2025-03-04 09:30" (local time of REDPROP_TIME_ZONE) or with an offset, "2025-03-04T01:30:00Z"' };
    default:
      return { type: 'string' };
  }
}

/**
 * One record of a kind: exactly the fields of its import template (unknown ones are refused by name).
 * The values are checked by the intake itself, as a spreadsheet's are: every fault is answered with
 * its record, field, code and Chinese message (RECORDS_INVALID), so the schema documents each field's
 * JSON type and leaves the judging of values to that one place.
 */
function recordSchema(kind: RecordKind) {
  const columns = Object.fromEntries(sheetSpecOfKind(kind).columns.map((c) => [c.field, { required: c.required, type: c.type, header: c.header }]));
  const fields = { ...columns, ...(EXTRA_FIELDS[kind] ?? {}) } as Record<string, { required: boolean; type: CellType; header?: string }>;
  return z.strictObject(
    Object.fromEntries(
      Object.entries(fields).map(([field, spec]) => {
        const json = {
          ...jsonTypeOf(spec.type),
          ...(spec.header
            ? { description: `${spec.header}${'description' in jsonTypeOf(spec.type) ? `: ${String(jsonTypeOf(spec.type).description)}` : ''}` }
            : {}),
        };
        return [
          field,
          spec.required
            ? z.unknown().meta(json)
            : z
                .unknown()
                .optional()
                .meta({ ...json, nullable: true }),
        ];
      }),
    ),
  );
}

export const RecordsBody = z.strictObject({
  records: z
    .strictObject(
      Object.fromEntries(KINDS.map((kind) => [kind, z.array(recordSchema(kind)).optional()])) as unknown as Record<
        RecordKind,
        z.ZodOptional<z.ZodArray<z.ZodType<Record<string, unknown>>>>
      >,
    )
    .meta({ description: 'record kind → records, with the fields of the import templates (redprop template <family>)' }),
});
export type RecordsBody = z.infer<typeof RecordsBody>;

export const UploadQuery = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .meta({ description: 'true: check only, write nothing' }),
});

const KindCounts = z.object(Object.fromEntries(KINDS.map((kind) => [kind, z.number().int()])) as Record<RecordKind, z.ZodNumber>);

export const LoadCounts = KindCounts.meta({ id: 'LoadCounts', description: 'records stored per kind' });

export const ImportOutcome = z.object({
  file: z.string(),
  dryRun: z.boolean(),
  counts: KindCounts.partial().meta({ description: 'records per kind: stored (or, on a dry run, that would be)' }),
  masters: z
    .object(Object.fromEntries(MASTER_KINDS.map((kind) => [kind, z.object({ added: z.number().int(), updated: z.number().int() }).optional()])))
    .meta({ description: 'master records new to the database and already stored (updated by the import)' }),
  seconds: z.number(),
});
export type LoadCounts = z.infer<typeof LoadCounts>;
export type ImportOutcome = z.infer<typeof ImportOutcome>;
