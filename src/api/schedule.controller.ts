import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import type { z } from 'zod';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../domain/access.js';
import { ScheduledJobsService } from '../schedule/scheduled-jobs.service.js';
import { TasksService, type TaskView } from '../tasks/tasks.service.js';
import { Endpoint } from './openapi/endpoint.decorator.js';
import { Firings, FiringsQuery, JobParam, JobRunBody } from './schedule.dto.js';
import { Task } from './tasks.dto.js';

@Controller('schedule')
export class ScheduleController {
  constructor(
    private readonly jobs: ScheduledJobsService,
    private readonly tasks: TasksService,
  ) {}

  @Get('firings')
  @Endpoint({
    tag: 'schedule',
    summary: 'scheduled firings: job, period, status, attempts, started, finished, outcome, output files',
    roles: ['bureau'],
    status: 200,
    response: Firings,
    responseDescription: 'firings',
  })
  firings(@Query({ schema: FiringsQuery }) query: z.infer<typeof FiringsQuery>): Promise<Firings> {
    return this.jobs.list(query.job);
  }

  @Post('jobs/:job/run')
  @Endpoint({
    tag: 'schedule',
    summary: 'run a scheduled job by hand for a period, exactly once per job and period unless force (a task: GET /tasks/{id})',
    roles: ['bureau'],
    status: 202,
    response: Task,
    responseDescription: 'the task, queued',
    errors: [409, 429],
  })
  run(
    @Param('job', { schema: JobParam }) job: string,
    @Body({ schema: JobRunBody }) body: z.infer<typeof JobRunBody>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TaskView> {
    return this.tasks.submit({ kind: 'scheduled-job', request: { job, period: body.period, force: body.force ?? false } }, principal);
  }
}
