import { z } from 'zod';
import { REPORT_KINDS } from '../reports/report-kinds.js';
import { optional, PeriodText } from './schemas/common.schema.js';

export const ReportBody = z.strictObject({
  kind: z.enum(Object.keys(REPORT_KINDS) as [string, ...string[]]),
  period: PeriodText.meta({ description: 'e.g. 2025 (street-annual), 2025-07 (monthly-bulletin), 2025-Q3 (quarterly-dispatch)' }),
  streetCode: optional(z.string()).meta({ description: 'one street (a street key: always its own)' }),
  company: optional(z.string()).meta({ description: 'company-scoresheet: 统一社会信用代码' }),
});
