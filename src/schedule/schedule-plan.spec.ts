import { SCHEDULE_JOBS } from '../config/app-config.js';
import { DomainError } from '../domain/errors.js';
import { MAX_ATTEMPTS, checkJobPeriod, duePeriod, lastDueFiring, periodOfFiring, retryDelayMs, takeOver, type ExistingFiring } from './schedule-plan.js';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);

describe('periodOfFiring', () => {
  it('covers the previous month, quarter and year, or the day itself, by the local calendar', () => {
    const instant = at('2025-08-05T09:00:00');
    expect(periodOfFiring('monthly-bulletin', instant, TZ)).toBe('2025-07');
    expect(periodOfFiring('quarterly-dispatch', instant, TZ)).toBe('2025-Q2');
    expect(periodOfFiring('annual-assessment', instant, TZ)).toBe('2024');
    expect(periodOfFiring('appeal-window-closing', instant, TZ)).toBe('2025-08-05');
  });

  it('wraps around the turn of the year', () => {
    const instant = at('2026-01-05T09:00:00');
    expect(periodOfFiring('monthly-bulletin', instant, TZ)).toBe('2025-12');
    expect(periodOfFiring('quarterly-dispatch', instant, TZ)).toBe('2025-Q4');
    expect(periodOfFiring('annual-assessment', instant, TZ)).toBe('2025');
  });

  it('uses the date of the time zone, not of UTC', () => {
    // 2025-09-01 00:30 in Shanghai is still 31 August in UTC
    const instant = at('2025-09-01T00:30:00');
    expect(periodOfFiring('monthly-bulletin', instant, TZ)).toBe('2025-08');
    expect(periodOfFiring('monthly-bulletin', instant, 'UTC')).toBe('2025-07');
    expect(periodOfFiring('appeal-window-closing', instant, TZ)).toBe('2025-09-01');
  });
});

describe('lastDueFiring', () => {
  it('is the firing itself at the instant it fires', () => {
    expect(lastDueFiring('0 9 5 * *', TZ, at('2025-08-05T09:00:00'))).toEqual(at('2025-08-05T09:00:00'));
    expect(duePeriod('monthly-bulletin', '0 9 5 * *', TZ, at('2025-08-05T09:00:00'))?.period).toBe('2025-07');
  });

  it('is the previous firing just before', () => {
    const now = new Date(at('2025-08-05T09:00:00').getTime() - 1);
    expect(lastDueFiring('0 9 5 * *', TZ, now)).toEqual(at('2025-07-05T09:00:00'));
    expect(duePeriod('monthly-bulletin', '0 9 5 * *', TZ, now)?.period).toBe('2025-06');
  });

  it('respects the time zone of the pattern', () => {
    // 09:00 in Shanghai is 01:00 UTC; at 05:00 UTC the UTC pattern has not fired yet that day
    expect(lastDueFiring('0 9 5 * *', TZ, new Date('2025-08-05T05:00:00Z'))).toEqual(new Date('2025-08-05T01:00:00Z'));
    expect(lastDueFiring('0 9 5 * *', 'UTC', new Date('2025-08-05T05:00:00Z'))).toEqual(new Date('2025-07-05T09:00:00Z'));
  });

  it('handles the default patterns of every job', () => {
    const now = at('2025-08-06T10:00:00');
    expect(lastDueFiring('0 9 10 1,4,7,10 *', TZ, now)).toEqual(at('2025-07-10T09:00:00'));
    expect(lastDueFiring('0 9 20 1 *', TZ, now)).toEqual(at('2025-01-20T09:00:00'));
    expect(lastDueFiring('0 1 * * *', TZ, now)).toEqual(at('2025-08-06T01:00:00'));
    expect(lastDueFiring('0 1 * * *', TZ, at('2025-08-06T00:59:00'))).toEqual(at('2025-08-05T01:00:00'));
    expect(lastDueFiring('*/15 * * * *', TZ, at('2025-08-06T10:14:59'))).toEqual(at('2025-08-06T10:00:00'));
  });

  it('finds rare patterns (29 February) years back', () => {
    expect(lastDueFiring('0 0 29 2 *', TZ, at('2027-03-01T00:00:00'))).toEqual(at('2024-02-29T00:00:00'));
  });
});

describe('checkJobPeriod', () => {
  it('accepts each job with its own period form', () => {
    expect(checkJobPeriod('monthly-bulletin', '2025-07')).toBe('monthly-bulletin');
    expect(checkJobPeriod('quarterly-dispatch', '2025-Q3')).toBe('quarterly-dispatch');
    expect(checkJobPeriod('annual-assessment', '2025')).toBe('annual-assessment');
    expect(checkJobPeriod('appeal-window-closing', '2025-08-06')).toBe('appeal-window-closing');
  });

  it('refuses unknown jobs and wrong period forms with coded errors', () => {
    const code = (job: string, period: string) => {
      try {
        checkJobPeriod(job, period);
        return null;
      } catch (error) {
        return (error as DomainError).code;
      }
    };
    expect(code('weekly', '2025-07')).toBe('JOB_UNKNOWN');
    expect(code('monthly-bulletin', '2025-Q3')).toBe('JOB_PERIOD_INVALID');
    expect(code('annual-assessment', '2025-07')).toBe('JOB_PERIOD_INVALID');
    expect(code('appeal-window-closing', '2025-02-30')).toBe('JOB_PERIOD_INVALID');
    for (const job of SCHEDULE_JOBS) expect(code(job, 'x')).toBe('JOB_PERIOD_INVALID');
  });
});

describe('takeOver', () => {
  const now = at('2025-08-06T10:00:00');
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  const firing = (status: ExistingFiring['status'], attempts = 1, finishedMinutesAgo = 0): ExistingFiring => ({
    status,
    attempts,
    startedAt: minutesAgo(finishedMinutesAgo + 1),
    finishedAt: status === 'running' ? null : minutesAgo(finishedMinutesAgo),
  });
  const scheduled = { trigger: 'schedule' as const, force: false };

  it('never takes over a succeeded or a live running firing automatically', () => {
    expect(takeOver(firing('succeeded'), scheduled, now)).toBe('already-succeeded');
    expect(takeOver(firing('running'), { trigger: 'catch-up', force: false }, now)).toBe('running');
  });

  it('retries a failed firing with backoff, then gives up', () => {
    expect(retryDelayMs(1)).toBe(60_000);
    expect(retryDelayMs(MAX_ATTEMPTS)).toBeNull();
    expect(takeOver(firing('failed', 1, 0.5), scheduled, now)).toBe('retry-not-due');
    expect(takeOver(firing('failed', 1, 1), scheduled, now)).toBeNull();
    expect(takeOver(firing('failed', 2, 4), scheduled, now)).toBe('retry-not-due');
    expect(takeOver(firing('failed', 2, 5), scheduled, now)).toBeNull();
    expect(takeOver(firing('failed', MAX_ATTEMPTS, 999), scheduled, now)).toBe('attempts-exhausted');
  });

  it('lets a person re-run: a failed firing at once, a succeeded one only with force', () => {
    expect(takeOver(firing('failed', MAX_ATTEMPTS, 0), { trigger: 'manual', force: false }, now)).toBeNull();
    expect(takeOver(firing('succeeded'), { trigger: 'manual', force: false }, now)).toBe('already-succeeded');
    expect(takeOver(firing('succeeded'), { trigger: 'manual', force: true }, now)).toBeNull();
    expect(takeOver(firing('running'), { trigger: 'manual', force: true }, now)).toBe('running');
    expect(takeOver({ status: 'running', attempts: 1, startedAt: minutesAgo(7 * 60), finishedAt: null }, { trigger: 'manual', force: true }, now)).toBeNull();
  });

  it('takes over a firing left running by a process that died, once it is older than any job takes', () => {
    const stale: ExistingFiring = { status: 'running', attempts: 1, startedAt: minutesAgo(7 * 60), finishedAt: null };
    expect(takeOver(stale, { trigger: 'catch-up', force: false }, now)).toBeNull();
    expect(takeOver(stale, scheduled, now)).toBeNull();
    expect(takeOver(stale, { trigger: 'manual', force: false }, now)).toBe('running');
    expect(takeOver({ ...stale, startedAt: minutesAgo(5 * 60) }, { trigger: 'catch-up', force: false }, now)).toBe('running');
  });
});
