import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { APP_CONFIG, SCHEDULE_JOBS, SCHEDULE_KEYS, type AppConfig, type ScheduleJob } from '../config/app-config.js';
import { EVERYTHING, type Principal } from '../domain/access.js';
import { CLOCK, type Clock } from '../domain/clock.js';
import { TasksService } from '../tasks/tasks.service.js';
import { ScheduledJobsService, errorText, type JobRunResult } from './scheduled-jobs.service.js';
import { duePeriod, nextFiring, type FiringTrigger, type Refusal } from './schedule-plan.js';

/** A timer may fire a little early; a tick this close before a firing counts as that firing. */
const TICK_EARLY_TOLERANCE_MS = 5_000;

export interface CatchUpStep {
  job: ScheduleJob;
  /** null: the pattern has not fired in the look-back window */
  period: string | null;
  /** the firing record was already succeeded or running: nothing to do */
  skipped: boolean;
  result?: JobRunResult;
}

/**
 * The scheduled cycle in a running server: one cron job per scheduled job (patterns and time
 * zone from configuration) and, at start, the catch-up of each job's last due firing. Cron decides
 * *when*; the work itself is a task on the task queue (so a province assessment at night waits for
 * a heavy task in hand like any other), and the firing record it claims keeps it to once per period.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private readonly cronNames: string[] = [];
  private stopping = false;
  /** settles when the catch-up begun at start has finished (tests and logs wait on it) */
  caughtUp: Promise<CatchUpStep[]> = Promise.resolve([]);

  constructor(
    private readonly jobs: ScheduledJobsService,
    private readonly tasks: TasksService,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) {
      this.logger.log('scheduler off (REDPROP_SCHEDULER=off): no cron jobs, no catch-up');
      return;
    }
    this.jobs.routeRetriesThrough((job, period, trigger) => this.queued(job, period, trigger));
    for (const job of SCHEDULE_JOBS) {
      const pattern = this.pattern(job);
      const name = `redprop:${job}`;
      const cron = CronJob.from({
        cronTime: pattern,
        timeZone: this.config.timeZone,
        start: false,
        waitForCompletion: true,
        name,
        onTick: () => this.tick(job),
      });
      this.registry.addCronJob(name, cron);
      this.cronNames.push(name);
      cron.start();
      this.logger.log(`${job}: "${pattern}" (${this.config.timeZone}), next ${nextFiring(pattern, this.config.timeZone, this.clock.now()).toISOString()}`);
    }
    // in the background: a long catch-up (the annual assessment) must not hold up the start
    this.caughtUp = this.catchUp().catch((error: unknown) => {
      this.logger.error(`catch-up stopped: ${errorText(error)}`);
      return [];
    });
  }

  /** For each job, the period of its last due firing is run unless a firing for it succeeded or is running. */
  async catchUp(): Promise<CatchUpStep[]> {
    await this.jobs.failInterrupted();
    const steps: CatchUpStep[] = [];
    for (const job of SCHEDULE_JOBS) {
      if (this.stopping) break;
      const due = duePeriod(job, this.pattern(job), this.config.timeZone, this.clock.now());
      if (!due) {
        steps.push({ job, period: null, skipped: true });
        continue;
      }
      const existing = await this.jobs.find(job, due.period);
      if (existing && existing.status !== 'failed') {
        steps.push({ job, period: due.period, skipped: true });
        continue;
      }
      this.logger.log(
        `${job}: catching up ${due.period} (due ${due.firedAt.toISOString()}${existing ? `, firing #${existing.id} failed` : ', no firing recorded'})`,
      );
      steps.push({ job, period: due.period, skipped: false, result: await this.queued(job, due.period, 'catch-up') });
    }
    return steps;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const name of this.cronNames.splice(0)) {
      try {
        this.registry.deleteCronJob(name);
      } catch {
        // already removed
      }
    }
    await this.caughtUp;
  }

  private async tick(job: ScheduleJob): Promise<void> {
    if (this.stopping) return;
    try {
      const due = duePeriod(job, this.pattern(job), this.config.timeZone, new Date(this.clock.now().getTime() + TICK_EARLY_TOLERANCE_MS));
      if (!due) return;
      await this.queued(job, due.period, 'schedule');
    } catch (error) {
      this.logger.error(`${job}: scheduled firing could not start: ${errorText(error)}`);
    }
  }

  /** Queues the job's work for the period as a task and waits for it: what it did, as `runJob` says it. */
  private async queued(job: ScheduleJob, period: string, trigger: Exclude<FiringTrigger, 'manual'>): Promise<JobRunResult> {
    const scheduler: Principal = { keyId: 0, name: `scheduler:${this.config.instanceName}`, role: 'bureau', scope: EVERYTHING };
    const task = await this.tasks.settled((await this.tasks.submit({ kind: 'scheduled-job', request: { job, period, trigger } }, scheduler)).id);
    if (task.status === 'failed') throw new Error(`${task.error?.code ?? 'INTERNAL_ERROR'} ${task.error?.messageZh ?? ''}`);
    const result = task.result as { ran: boolean; reason?: Refusal };
    return { firing: (await this.jobs.find(job, period))!, ran: result.ran, ...(result.reason ? { reason: result.reason } : {}) };
  }

  private pattern(job: ScheduleJob): string {
    return this.config.schedules[SCHEDULE_KEYS[job]];
  }
}
