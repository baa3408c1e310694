import { parseDateTime } from '../domain/dates.js';
import { badInput } from '../domain/errors.js';
import type { RecordBatch } from './records.js';

const DATE_TIME_FIELDS = new Set(['receivedAt', 'respondedAt', 'resolvedAt']);

/**
 * Records sent as JSON (POST /intake/records), their fields already those of the import templates,
 * made a batch: date-times are read as spreadsheets read them, without an offset in the local time
 * of `timeZone`. A date-time that cannot be read is refused by name (BODY_INVALID). Pure.
 */
export function batchOfJson(records: Readonly<Record<string, readonly Record<string, unknown>[] | undefined>>, timeZone: string): RecordBatch {
  const problems: string[] = [];
  const batch: Record<string, { record: Record<string, unknown> }[]> = {};
  for (const [kind, list] of Object.entries(records)) {
    if (!list) continue;
    batch[kind] = list.map((item, i) => {
      const record: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(item)) {
        if (DATE_TIME_FIELDS.has(field) && value !== null && value !== undefined) {
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
