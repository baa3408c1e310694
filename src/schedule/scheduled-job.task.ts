import { Injectable } from '@nestjs/common';
import type { TaskHandler, TaskRequests, TaskWork } from '../tasks/task-handler.js';
import { ScheduledJobsService, type JobRunResult } from './scheduled-jobs.service.js';

/**
 * The work of a scheduled job as a task: run by hand (POST /schedule/jobs/{job}/run) or fired by
 * the scheduler (cron, catch-up). Either way the firing record is claimed when the work starts,
 * so a job runs once per period whoever queued it and however often.
 */
@Injectable()
export class ScheduledJobTask implements TaskHandler<'scheduled-job'> {
  readonly kind = 'scheduled-job';

  constructor(private readonly jobs: ScheduledJobsService) {}

  accept(request: TaskRequests['scheduled-job']) {
    const job = this.jobs.check(request.job, request.period);
    const trigger = request.trigger ?? 'manual';
    return Promise.resolve({ params: { job, period: request.period, force: request.force ?? false, ...(trigger === 'manual' ? {} : { trigger }) } });
  }

  async run(task: TaskWork) {
    const { job, period, force, trigger } = task.params as { job: string; period: string; force: boolean; trigger?: 'schedule' | 'catch-up' };
    task.progress(`${job} ${period}`);
    const result: JobRunResult = trigger
      ? await this.jobs.runJob(this.jobs.check(job, period), period, trigger)
      : await this.jobs.runManually(job, period, force);
    const files = result.firing.outputFiles;
    return {
      firing: { ...result.firing },
      ...(trigger ? { ran: result.ran, ...(result.reason ? { reason: result.reason } : {}) } : {}),
      ...(files.length === 1 ? { path: files[0] } : {}),
    };
  }
}
