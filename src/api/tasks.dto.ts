import { z } from 'zod';
import { REPORT_KINDS } from '../reports/report-kinds.js';
import { SCHEDULE_JOBS } from '../config/app-config.js';
import { AssessmentResult, WhatIfResult } from './runs.dto.js';
import { ErrorBody, IdParam, Instant, JsonObject } from './schemas/common.schema.js';

export const TaskIdParam = IdParam.meta({ description: 'task id' });

export const TaskStatus = z.enum(['queued', 'running', 'succeeded', 'failed']).meta({ description: 'queued, running, then succeeded or failed' });

const ReportKind = z.enum(Object.keys(REPORT_KINDS) as [string, ...string[]]);

export const ReportResult = z
  .object({
    path: z.string().meta({ description: 'the workbook (GET /tasks/{id}/file)' }),
    kind: ReportKind,
    period: z.string(),
    sheets: z.array(z.object({ name: z.string(), rows: z.number().int() })),
    seconds: z.number(),
  })
  .meta({ id: 'ReportResult' });

const firingShape = (instant: z.ZodType) =>
  z.object({
    id: z.number().int(),
    job: z.enum(SCHEDULE_JOBS),
    period: z.string(),
    status: z.enum(['running', 'succeeded', 'failed']),
    attempts: z.number().int(),
    trigger: z.string().meta({ description: 'schedule, catch-up or manual' }),
    instance: z.string(),
    startedAt: instant,
    finishedAt: instant.nullable(),
    outcome: JsonObject.nullable().meta({ description: 'what the job did (per job)' }),
    outputFiles: z.array(z.string()),
    error: z.string().nullable(),
  });

/** A scheduled job's firing for a period: the record that keeps it to once per period. */
export const Firing = firingShape(Instant).meta({ id: 'Firing' });

export const ScheduledJobResult = z
  .object({
    /** as it was kept with the task (JSON: its instants are texts already) */
    firing: firingShape(z.iso.datetime()),
    ran: z.boolean().optional().meta({ description: 'fired by the scheduler: whether this task ran the job (it runs once per period)' }),
    reason: z.string().optional().meta({ description: 'why it did not run: running, already-succeeded, retry-not-due, attempts-exhausted' }),
    path: z.string().optional().meta({ description: 'the one workbook the job wrote, if one (GET /tasks/{id}/file)' }),
  })
  .meta({ id: 'ScheduledJobResult' });

const common = {
  id: z.number().int(),
  status: TaskStatus,
  progress: z.string().nullable().meta({ description: 'what the task is doing (Chinese)' }),
  error: ErrorBody.nullable(),
  requestedBy: z.string().meta({ description: 'the key’s name' }),
  createdAt: Instant,
  startedAt: Instant.nullable(),
  finishedAt: Instant.nullable(),
};

/** A task: what was asked, how far it is, and its result or coded error. */
export const Task = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('assessment'),
      params: z.object({ period: z.string(), streetCode: z.string().nullable(), publish: z.boolean() }),
      result: AssessmentResult.nullable(),
      ...common,
    }),
    z.object({
      kind: z.literal('report'),
      params: z.object({ kind: ReportKind, period: z.string(), streetCode: z.string().nullable(), companyUscc: z.string().nullable() }),
      result: ReportResult.nullable(),
      ...common,
    }),
    z.object({
      kind: z.literal('what-if'),
      params: z.object({ period: z.string(), streetCode: z.string().nullable(), compareRunId: z.number().int() }),
      result: WhatIfResult.nullable(),
      ...common,
    }),
    z.object({
      kind: z.literal('scheduled-job'),
      params: z.object({
        job: z.enum(SCHEDULE_JOBS),
        period: z.string(),
        force: z.boolean(),
        trigger: z.enum(['schedule', 'catch-up']).optional().meta({ description: 'fired by the scheduler (absent: run by hand)' }),
      }),
      result: ScheduledJobResult.nullable(),
      ...common,
    }),
  ])
  .meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;
