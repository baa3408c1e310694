import { parseDateTime } from '../domain/dates.js';
import { badInput } from '../domain/errors.js';
import { sheetSpecOfKind } from '../intake/excel/families.js';
import { FACT_KINDS, MASTER_KINDS, type RecordBatch, type RecordKind } from '../intake/records.js';

const KINDS: readonly RecordKind[] = [...MASTER_KINDS, ...FACT_KINDS];
const DATE_FIELDS = new Set(['receivedAt', 'respondedAt', 'resolvedAt']);
/** fields a record has that its sheet fills by itself */
const EXTRA_FIELDS: Partial<Record<RecordKind, readonly string[]>> = { partyChecks: ['scope'] };

/**
 * Body of POST /intake/records: `{ "records": { "<kind>": [ {…}, … ] } }` with the fields of the import
 * templates. Date-times are read as spreadsheets read them: without an offset, local time of `timeZone`.
 */
export function parseRecordsBody(body: unknown, timeZone: string): RecordBatch {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badInput('BODY_INVALID', 'the body must be a JSON object', '请求体须为 JSON 对象');
  const problems: string[] = [];
  for (const key of Object.keys(body)) if (key !== 'records') problems.push(`unknown field "${key}"`);
  const records = (body as { records?: unknown }).records;
  if (records === null || typeof records !== 'object' || Array.isArray(records)) {
    problems.push('field "records" must map record kinds to arrays of records');
    throw badInput('BODY_INVALID', problems.join('; '), `请求体有误：${problems.join('；')}`, problems);
  }
  const batch: Record<string, { record: Record<string, unknown> }[]> = {};
  for (const [kind, list] of Object.entries(records)) {
    if (!KINDS.includes(kind as RecordKind)) {
      problems.push(`unknown record kind "${kind}" (${KINDS.join(', ')})`);
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push(`records.${kind} must be an array`);
      continue;
    }
    const fields = new Set([...sheetSpecOfKind(kind as RecordKind).columns.map((c) => c.field), ...(EXTRA_FIELDS[kind as RecordKind] ?? [])]);
    batch[kind] = list.map((item: unknown, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        problems.push(`records.${kind}[${i}] must be an object`);
        return { record: {} };
      }
      const record: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(item)) {
        if (!fields.has(field)) problems.push(`records.${kind}[${i}]: unknown field "${field}"`);
        else if (DATE_FIELDS.has(field) && value !== null) {
          const at = typeof value === 'string' ? parseDateTime(value, timeZone) : null;
          if (!at)
            problems.push(
              `records.${kind}[${i}].${field} must be a date-time such as "2025-03-04 09:30" (local time of ${timeZone}) or "2025-03-04T01:30:00Z"`,
            );
          record[field] = at;
        } else record[field] = value;
      }
      return { record };
    });
  }
  if (problems.length > 0)
    throw badInput('BODY_INVALID', problems.slice(0, 50).join('; '), `请求体有误：${problems.slice(0, 5).join('；')}`, problems.slice(0, 1000));
  return batch;
}
