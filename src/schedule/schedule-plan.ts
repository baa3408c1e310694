import { CronTime } from 'cron';
import { SCHEDULE_JOBS, type ScheduleJob } from '../config/app-config.js';
import { localDate } from '../domain/clock.js';
import { badInput } from '../domain/errors.js';
import { isIsoDate, monthCode, parsePeriod } from '../domain/period.js';

/**
 * The scheduled cycle without Nest or the database: which period a firing covers, when a
 * pattern last fired, and whether an existing firing record may be taken over.
 */

export type FiringTrigger = 'schedule' | 'catch-up' | 'manual';
export type FiringStatus = 'running' | 'succeeded' | 'failed';

// ---- retry policy: the one place for its constants -----------------------------------------

/** Waits before the 2nd, 3rd and 4th attempt of a failed scheduled firing. */
export const RETRY_DELAYS_MINUTES: readonly number[] = [1, 5, 30];
/** The first attempt and one retry per delay; after that the firing stays failed. */
export const MAX_ATTEMPTS = 1 + RETRY_DELAYS_MINUTES.length;
/** A firing still `running` after this long is taken to be abandoned (its process died); `job:run --force` may take it over. */
export const STALE_RUNNING_HOURS = 6;

/** Milliseconds to wait after the given (failed) attempt before the next one; null after the last. */
export function retryDelayMs(failedAttempt: number, delaysMinutes: readonly number[] = RETRY_DELAYS_MINUTES): number | null {
  const minutes = delaysMinutes[failedAttempt - 1];
  return minutes === undefined ? null : minutes * 60_000;
}

// ---- jobs and periods ------------------------------------------------------------------------

export const JOB_LABELS: Record<ScheduleJob, string> = {
  'monthly-bulletin': '按月通报',
  'quarterly-dispatch': '按季调度',
  'annual-assessment': '年度考核',
  'appeal-window-closing': '申诉期届满处理',
};

const PERIOD_FORMS: Record<ScheduleJob, { example: string; fits: (code: string) => boolean }> = {
  'monthly-bulletin': { example: '2025-07', fits: (code) => parsePeriod(code)?.kind === 'month' },
  'quarterly-dispatch': { example: '2025-Q3', fits: (code) => parsePeriod(code)?.kind === 'quarter' },
  'annual-assessment': { example: '2025', fits: (code) => parsePeriod(code)?.kind === 'year' },
  'appeal-window-closing': { example: '2025-08-06', fits: (code) => isIsoDate(code) },
};

export function isScheduleJob(name: string): name is ScheduleJob {
  return (SCHEDULE_JOBS as readonly string[]).includes(name);
}

export function checkJob(job: string): ScheduleJob {
  if (!isScheduleJob(job)) {
    throw badInput(
      'JOB_UNKNOWN',
      `unknown job "${job}" (one of ${SCHEDULE_JOBS.join(', ')})`,
      `定时任务“${job}”不存在，可选：${SCHEDULE_JOBS.map((j) => `${j}（${JOB_LABELS[j]}）`).join('、')}`,
    );
  }
  return job;
}

/** Refuses an unknown job or a period of the wrong form for it (coded, with a Chinese message). */
export function checkJobPeriod(name: string, period: string): ScheduleJob {
  const job = checkJob(name);
  const form = PERIOD_FORMS[job];
  if (!form.fits(period)) {
    throw badInput(
      'JOB_PERIOD_INVALID',
      `${job} needs a period like ${form.example}, got "${period}"`,
      `${JOB_LABELS[job]}（${job}）的周期应为 ${form.example} 这样的格式，而不是“${period}”`,
    );
  }
  return job;
}

/**
 * The period a firing at `instant` covers, by the calendar in `timeZone`: the previous month,
 * the previous quarter, the previous year, or (closing appeal windows) the day itself.
 */
export function periodOfFiring(job: ScheduleJob, instant: Date, timeZone: string): string {
  const date = localDate(instant, timeZone);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  switch (job) {
    case 'monthly-bulletin':
      return month === 1 ? monthCode(year - 1, 12) : monthCode(year, month - 1);
    case 'quarterly-dispatch': {
      const quarter = Math.ceil(month / 3);
      return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
    }
    case 'annual-assessment':
      return String(year - 1);
    case 'appeal-window-closing':
      return date;
  }
}

// ---- cron patterns ---------------------------------------------------------------------------

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Look-back windows, widened only while the narrower one holds no firing (so stepping stays short). */
const LOOK_BACK_MS = [HOUR, DAY, 32 * DAY, 367 * DAY, 8 * 366 * DAY];

/** The next firing strictly after `after`, by the same cron library the scheduler runs on. */
export function nextFiring(pattern: string, timeZone: string, after: Date): Date {
  return new CronTime(pattern, timeZone).getNextDateFrom(after, timeZone).toJSDate();
}

/** The latest instant at or before `now` at which the pattern fired in `timeZone`; null if none in 8 years. */
export function lastDueFiring(pattern: string, timeZone: string, now: Date): Date | null {
  const time = new CronTime(pattern, timeZone);
  const next = (after: Date) => time.getNextDateFrom(after, timeZone).toJSDate();
  for (const window of LOOK_BACK_MS) {
    let candidate = next(new Date(now.getTime() - window));
    if (candidate.getTime() > now.getTime()) continue;
    for (;;) {
      const following = next(candidate);
      if (following.getTime() > now.getTime()) return candidate;
      candidate = following;
    }
  }
  return null;
}

/** The job's period due at `now`: that of its pattern's last firing. */
export function duePeriod(job: ScheduleJob, pattern: string, timeZone: string, now: Date): { firedAt: Date; period: string } | null {
  const firedAt = lastDueFiring(pattern, timeZone, now);
  return firedAt ? { firedAt, period: periodOfFiring(job, firedAt, timeZone) } : null;
}

// ---- taking over an existing record ----------------------------------------------------------

export interface ExistingFiring {
  readonly status: FiringStatus;
  readonly attempts: number;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export type Refusal = 'already-succeeded' | 'running' | 'retry-not-due' | 'attempts-exhausted';

export const REFUSAL_TEXT: Record<Refusal, { en: string; zh: string }> = {
  'already-succeeded': { en: 'already succeeded', zh: '已成功完成' },
  running: { en: 'is running', zh: '正在运行' },
  'retry-not-due': { en: 'failed; its retry is not due yet', zh: '已失败，尚未到重试时间' },
  'attempts-exhausted': { en: 'failed and out of automatic retries', zh: '已失败且自动重试次数已用完' },
};

/**
 * Whether a claim may take over an existing record of the same job and period:
 * a scheduled or catch-up claim only a failed one whose retry is due; a manual claim a failed
 * one at once, a succeeded one with `force`, and a running one with `force` only when stale.
 */
export function takeOver(
  existing: ExistingFiring,
  claim: { trigger: FiringTrigger; force: boolean },
  now: Date,
  delaysMinutes: readonly number[] = RETRY_DELAYS_MINUTES,
): Refusal | null {
  const manual = claim.trigger === 'manual';
  switch (existing.status) {
    case 'succeeded':
      return manual && claim.force ? null : 'already-succeeded';
    case 'running': {
      // a firing 'running' for longer than any job takes was left by a process that died: the
      // schedule and the catch-up take it over by themselves; by hand it takes --force
      const stale = now.getTime() - existing.startedAt.getTime() >= STALE_RUNNING_HOURS * HOUR;
      return stale && (!manual || claim.force) ? null : 'running';
    }
    case 'failed': {
      if (manual) return null;
      const delay = retryDelayMs(existing.attempts, delaysMinutes);
      if (delay === null) return 'attempts-exhausted';
      const failedAt = (existing.finishedAt ?? existing.startedAt).getTime();
      return now.getTime() >= failedAt + delay ? null : 'retry-not-due';
    }
  }
}
