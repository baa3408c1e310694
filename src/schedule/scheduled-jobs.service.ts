import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { EVERYTHING } from '../domain/access.js';
import { AppealsService } from '../appeals/appeals.service.js';
import { AssessmentRepository } from '../assessment/assessment.repository.js';
import { AssessmentService } from '../assessment/assessment.service.js';
import { APP_CONFIG, type AppConfig, type ScheduleJob } from '../config/app-config.js';
import { CLOCK, type Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import { ReportsService, type WrittenReport } from '../reports/reports.service.js';
import { FiringsRepository, type FiringRow } from './firings.repository.js';
import {
  JOB_LABELS,
  REFUSAL_TEXT,
  RETRY_DELAYS_MINUTES,
  checkJob,
  checkJobPeriod,
  retryDelayMs,
  takeOver,
  type FiringTrigger,
  type Refusal,
} from './schedule-plan.js';

export interface JobRunResult {
  /** the record as it stands after this call */
  firing: FiringRow;
  /** whether this call ran the job's body (successfully or not) */
  ran: boolean;
  /** why it did not run: another claim has it, or it is done, or its retry is not due */
  reason?: Refusal;
  /** the job's failure, when it ran and failed */
  error?: unknown;
}

interface JobResult {
  outcome: Record<string, unknown>;
  files: string[];
}

/**
 * Runs the scheduled jobs, each at most once per period (issue 6, items 4 and 5): claims the
 * firing record, runs the job, records outcome and output files, or the error; a failed
 * scheduled firing is retried in this process with backoff.
 */
@Injectable()
export class ScheduledJobsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ScheduledJobsService.name);
  /** the waits between attempts; tests shorten them */
  retryDelaysMinutes: readonly number[] = RETRY_DELAYS_MINUTES;
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;
  /** how a retry is started: in this process, unless the scheduler routes it through the task queue */
  private retry: (job: ScheduleJob, period: string, trigger: Exclude<FiringTrigger, 'manual'>) => Promise<unknown> = (job, period, trigger) =>
    this.runJob(job, period, trigger);

  constructor(
    private readonly firings: FiringsRepository,
    private readonly reports: ReportsService,
    private readonly assessments: AssessmentService,
    private readonly runs: AssessmentRepository,
    private readonly appeals: AppealsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Claims the job's firing for the period and, if this call got it, runs the job. Never throws for a job failure. */
  runJob(job: ScheduleJob, period: string, trigger: FiringTrigger, options: { force?: boolean } = {}): Promise<JobRunResult> {
    const work = Promise.resolve().then(() => this.claimAndRun(checkJobPeriod(job, period), period, trigger, options.force ?? false));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /**
   * A run by hand (`redprop job:run`): refused with a coded error when the period is done
   * (unless `force`) or running; the job's own error is rethrown after it is recorded.
   */
  /** The job and period checked (a coded error names what is wrong), before anything is queued. */
  check(job: string, period: string): ScheduleJob {
    return checkJobPeriod(job, period);
  }

  async runManually(job: string, period: string, force = false): Promise<JobRunResult> {
    const checked = checkJobPeriod(job, period);
    const result = await this.runJob(checked, period, 'manual', { force });
    if (!result.ran) {
      const f = result.firing;
      const reason = REFUSAL_TEXT[result.reason!];
      const hint = result.reason === 'already-succeeded' ? '；如需重新运行请加 --force' : '';
      throw new DomainError(
        result.reason === 'already-succeeded' ? 'JOB_ALREADY_DONE' : 'JOB_RUNNING',
        `${job} ${period} ${reason.en} (firing #${f.id}, attempt ${f.attempts}, ${f.instance})${result.reason === 'already-succeeded' ? '; use --force to run it again' : ''}`,
        `${JOB_LABELS[checked]} ${period} ${reason.zh}（记录 #${f.id}，第 ${f.attempts} 次，${f.instance}）${hint}`,
      );
    }
    if (result.error !== undefined) throw result.error instanceof Error ? result.error : new Error(JSON.stringify(result.error));
    return result;
  }

  /** Retries of failed firings go through `retry` (the scheduler queues them as tasks). */
  routeRetriesThrough(retry: (job: ScheduleJob, period: string, trigger: Exclude<FiringTrigger, 'manual'>) => Promise<unknown>): void {
    this.retry = retry;
  }

  list(job?: string): Promise<FiringRow[]> {
    return this.firings.list(job === undefined ? undefined : checkJob(job));
  }

  find(job: ScheduleJob, period: string): Promise<FiringRow | undefined> {
    return this.firings.find(job, period);
  }

  /** Firings this instance name left running when its process stopped: recorded as failed, so that they are retried. */
  async failInterrupted(): Promise<FiringRow[]> {
    const rows = await this.firings.failInterrupted(
      this.config.instanceName,
      'FIRING_INTERRUPTED 进程在任务完成前停止（the process stopped before the job finished）',
      this.clock.now(),
    );
    for (const row of rows) this.logger.warn(`${row.job} ${row.period}: firing #${row.id} was left running by a stopped process; recorded as failed`);
    return rows;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    // a job that is running finishes (and records itself) before the database closes
    await Promise.allSettled([...this.inFlight]);
  }

  // ---------------------------------------------------------------------------------------

  private async claimAndRun(job: ScheduleJob, period: string, trigger: FiringTrigger, force: boolean): Promise<JobRunResult> {
    const now = this.clock.now();
    const claim = await this.firings.claim({ job, period, trigger, instance: this.config.instanceName, now }, (existing) =>
      takeOver(existing, { trigger, force }, now, this.retryDelaysMinutes),
    );
    if (!claim.claimed) {
      this.logger.log(`${job} ${period} (${trigger}): not run, firing #${claim.firing.id} ${REFUSAL_TEXT[claim.refusal].en}`);
      if (claim.refusal === 'retry-not-due' && trigger !== 'manual') this.retryLater(job, period, trigger, claim.firing);
      return { firing: claim.firing, ran: false, reason: claim.refusal };
    }
    const firing = claim.firing;
    this.logger.log(`${job} ${period} (${trigger}): firing #${firing.id}, attempt ${firing.attempts}, started`);
    try {
      const result = await this.body(job, period, trigger);
      const finished = await this.firings.finish(firing.id, result.outcome, result.files, this.clock.now());
      this.logger.log(`${job} ${period}: firing #${firing.id} succeeded${result.files.length ? `: ${result.files.join(', ')}` : ''}`);
      return { firing: finished, ran: true };
    } catch (error) {
      const failed = await this.firings.fail(firing.id, errorText(error), this.clock.now());
      if (trigger === 'manual') {
        // the person who ran it gets the error itself
        this.logger.log(`${job} ${period}: firing #${firing.id} failed (attempt ${failed.attempts}, manual): ${failed.error}`);
      } else if (retryDelayMs(failed.attempts, this.retryDelaysMinutes) === null) {
        this.logger.error(`${job} ${period}: firing #${firing.id} failed on its last attempt (${failed.attempts}); no more retries: ${failed.error}`);
      } else {
        this.logger.warn(`${job} ${period}: firing #${firing.id} failed (attempt ${failed.attempts}): ${failed.error}`);
        this.retryLater(job, period, trigger, failed);
      }
      return { firing: failed, ran: true, error };
    }
  }

  /** One in-process timer per job and period, for when the failed firing's retry is due. */
  private retryLater(job: ScheduleJob, period: string, trigger: FiringTrigger, failed: FiringRow): void {
    const delay = retryDelayMs(failed.attempts, this.retryDelaysMinutes);
    const key = `${job}:${period}`;
    if (delay === null || this.stopping || this.retries.has(key)) return;
    const dueAt = (failed.finishedAt ?? failed.startedAt).getTime() + delay;
    const wait = Math.max(0, dueAt - this.clock.now().getTime());
    this.logger.log(`${job} ${period}: retry of firing #${failed.id} in ${Math.round(wait / 1000)} s`);
    const timer = setTimeout(() => {
      this.retries.delete(key);
      if (this.stopping) return;
      if (trigger === 'manual') return;
      this.retry(job, period, trigger).catch((error: unknown) => this.logger.error(`${job} ${period}: retry could not start: ${errorText(error)}`));
    }, wait);
    timer.unref();
    this.retries.set(key, timer);
  }

  private async body(job: ScheduleJob, period: string, trigger: FiringTrigger): Promise<JobResult> {
    switch (job) {
      case 'monthly-bulletin':
      case 'quarterly-dispatch': {
        const report = await this.reports.write({ kind: job, period }, EVERYTHING);
        return { outcome: { reports: [reportSummary(report)] }, files: [report.path] };
      }
      case 'annual-assessment':
        return this.annualAssessment(period);
      case 'appeal-window-closing': {
        const actor = `${trigger === 'manual' ? 'job:run' : 'scheduler'}:${this.config.instanceName}`;
        const closed = await this.appeals.closeWindows(actor);
        return {
          outcome: { actor, runs: closed, finalised: closed.reduce((sum, r) => sum + r.finalised, 0), waiting: closed.reduce((sum, r) => sum + r.waiting, 0) },
          files: [],
        };
      }
    }
  }

  /**
   * Assesses and publishes the year for all streets (one transaction), then writes the street
   * annual and the list publication. A period that already has a published run is not assessed
   * again (a retry after a failed report, or a run published by hand): only the reports are written.
   */
  private async annualAssessment(period: string): Promise<JobResult> {
    const current = await this.runs.currentRun(period, null);
    let assessment: Record<string, unknown>;
    if (current?.status === 'published') {
      assessment = {
        assessed: false,
        runId: current.id,
        note: `run ${current.id} of ${period} was already published: not assessed again, reports rewritten`,
        noteZh: `考核周期 ${period} 已有已发布的考核运行 #${current.id}，未重新考核，只重新生成报表`,
      };
    } else {
      const run = await this.assessments.run({ period, streetCode: null, publish: true });
      assessment = { assessed: true, runId: run.runId, status: run.status, fingerprint: run.fingerprint, summary: run.summary };
    }
    const written: WrittenReport[] = [];
    for (const kind of ['street-annual', 'list-publication'] as const) written.push(await this.reports.write({ kind, period }, EVERYTHING));
    return { outcome: { ...assessment, reports: written.map(reportSummary) }, files: written.map((r) => r.path) };
  }
}

function reportSummary(report: WrittenReport) {
  return { kind: report.kind, period: report.period, path: report.path, runId: report.runId, sheets: report.sheets };
}

/** What the firing record keeps of an error: the code and Chinese message of a domain error. */
export function errorText(error: unknown): string {
  if (error instanceof DomainError) {
    const details =
      error.details.length > 0
        ? `\n${error.details
            .slice(0, 20)
            .map((d) => `- ${d}`)
            .join('\n')}`
        : '';
    return `${error.code} ${error.messageZh}（${error.message}）${details}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
