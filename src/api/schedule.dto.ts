import { z } from 'zod';
import { SCHEDULE_JOBS } from '../config/app-config.js';
import { optional } from './schemas/common.schema.js';
import { Firing } from './tasks.dto.js';

export const FiringsQuery = z.strictObject({ job: z.enum(SCHEDULE_JOBS).optional().meta({ description: 'one job' }) });

export const JobParam = z.string().meta({ description: 'the scheduled job (another name is refused: JOB_UNKNOWN)', enum: [...SCHEDULE_JOBS] });

export const JobRunBody = z.strictObject({
  period: z.string().meta({
    description: 'monthly-bulletin: 2025-07; quarterly-dispatch: 2025-Q3; annual-assessment: 2025; appeal-window-closing: 2025-08-01',
  }),
  force: optional(z.boolean()).meta({ description: 'run again a period that already succeeded' }),
});

export const Firings = z.array(Firing);
export type Firings = z.infer<typeof Firings>;
