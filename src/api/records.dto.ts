import { z } from 'zod';
import { ListName, RequiredText, Severity } from './schemas/common.schema.js';

export const ListsQuery = z.strictObject({ period: RequiredText.meta({ description: '考核周期, e.g. 2025', example: '2025' }) });
export const LedgerQuery = z.strictObject({
  from: RequiredText.meta({ description: 'YYYY-MM-DD' }),
  to: RequiredText.meta({ description: 'YYYY-MM-DD' }),
});

export const ListEntry = z
  .object({
    entryId: z.number().int(),
    companyId: z.number().int(),
    uscc: z.string(),
    companyName: z.string(),
    list: ListName,
    severity: Severity,
    ruleId: z.string(),
    clause: z.string(),
    reason: z.string(),
    startedOn: z.string().meta({ format: 'date' }),
    minEndOn: z.string().meta({ format: 'date' }),
    maxEndOn: z.string().meta({ format: 'date' }),
    transitions: z.array(
      z.object({ kind: z.enum(['entered', 'held', 'cleared', 'exited', 'expired']), on: z.string().meta({ format: 'date' }), note: z.string() }),
    ),
  })
  .meta({ id: 'ListEntry' });

export const LedgerEntry = z
  .object({
    id: z.number().int(),
    uscc: z.string(),
    companyName: z.string(),
    entryDate: z.string().meta({ format: 'date' }),
    points: z.number(),
    reason: z.string(),
    ruleId: z.string(),
    evidence: z.string().nullable(),
    validFrom: z.string().meta({ format: 'date' }),
    validTo: z.string().meta({ format: 'date' }),
    reversesEntryId: z.number().int().nullable().meta({ description: 'a reversal: the entry it reverses' }),
  })
  .meta({ id: 'LedgerEntry' });

export const ListEntries = z.array(ListEntry);
export type ListEntries = z.infer<typeof ListEntries>;
export const LedgerEntries = z.array(LedgerEntry);
export type LedgerEntries = z.infer<typeof LedgerEntries>;
