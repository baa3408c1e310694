import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AssessmentRepository } from '../src/assessment/assessment.repository.js';
import { SCHEDULE_JOBS, type ScheduleJob } from '../src/config/app-config.js';
import { openPostgres, type Database } from '../src/db/database.js';
import { DomainError } from '../src/domain/errors.js';
import { FiringsRepository, type FiringRow } from '../src/schedule/firings.repository.js';
import { ScheduledJobsService, type JobRunResult } from '../src/schedule/scheduled-jobs.service.js';
import { SchedulerService } from '../src/schedule/scheduler.service.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { createTestApp, testConfig, TestClock } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

const at = (local: string) => new Date(`${local}+08:00`);

describeEachBackend('scheduled jobs', ({ database, backend }) => {
  const reportsDir = mkdtempSync(join(tmpdir(), 'redprop-scheduler-'));
  const clock = new TestClock();
  const config = (instanceName: string) => testConfig({ reportsDir, instanceName, schedulerEnabled: true });
  const apps: INestApplicationContext[] = [];
  const start = async (instanceName: string, options: { scheduler?: boolean; database?: Database } = {}) => {
    const app = await createTestApp(options.database ?? database(), config(instanceName), clock, { scheduler: options.scheduler ?? false });
    apps.push(app);
    return app;
  };
  const stop = async (...stopped: INestApplicationContext[]) => {
    for (const app of stopped) {
      apps.splice(apps.indexOf(app), 1);
      await app.close();
    }
  };
  let firings: FiringsRepository;
  const rowsOf = async (job: ScheduleJob, period: string) => (await firings.list(job)).filter((f) => f.period === period);
  const ranCount = (results: JobRunResult[]) => results.filter((r) => r.ran).length;
  const domainCode = async (work: Promise<unknown>) => {
    try {
      await work;
      return null;
    } catch (error) {
      if (error instanceof DomainError) return error.code;
      throw error;
    }
  };

  beforeAll(async () => {
    clock.fixed = at('2025-08-06T10:00:00');
    const app = await start('seeder');
    await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    firings = app.get(FiringsRepository);
  });
  afterAll(async () => {
    for (const app of [...apps].reverse()) await app.close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  it('catches up the last due firing of each job at start, and a firing missed while it was down', async () => {
    clock.fixed = at('2025-08-06T10:00:00');
    const app = await start('node-a', { scheduler: true });
    const steps = await app.get(SchedulerService).caughtUp;
    expect(steps.map((s) => [s.job, s.period, s.skipped])).toEqual([
      ['monthly-bulletin', '2025-07', false],
      ['quarterly-dispatch', '2025-Q2', false],
      ['annual-assessment', '2024', false],
      ['appeal-window-closing', '2025-08-06', false],
    ]);
    expect([...app.get(SchedulerRegistry).getCronJobs().keys()].sort()).toEqual(SCHEDULE_JOBS.map((j) => `redprop:${j}`).sort());

    const [bulletin] = await rowsOf('monthly-bulletin', '2025-07');
    expect(bulletin).toMatchObject({ status: 'succeeded', attempts: 1, trigger: 'catch-up', instance: 'node-a', error: null });
    expect(bulletin.outputFiles).toEqual([join(reportsDir, '2025-07', 'monthly-bulletin-2025-07.xlsx')]);
    expect(existsSync(bulletin.outputFiles[0])).toBe(true);
    expect(bulletin.finishedAt!.getTime()).toBe(clock.fixed.getTime());
    expect((await rowsOf('quarterly-dispatch', '2025-Q2'))[0]).toMatchObject({ status: 'succeeded' });
    expect((await rowsOf('appeal-window-closing', '2025-08-06'))[0]).toMatchObject({ status: 'succeeded', outputFiles: [] });
    // no rule set is in force for 2024: recorded as failed with the code and the Chinese message
    const [annual] = await rowsOf('annual-assessment', '2024');
    expect(annual).toMatchObject({ status: 'failed', attempts: 1 });
    expect(annual.error).toMatch(/^RULESET_NONE_IN_FORCE 没有适用于考核周期 2024 的规则集/);
    await stop(app);

    // restarted a month later: the September bulletin firing was missed; the quarter is still done
    clock.fixed = at('2025-09-06T10:00:00');
    const again = await start('node-a2', { scheduler: true });
    const later = await again.get(SchedulerService).caughtUp;
    expect(later.map((s) => [s.job, s.period, s.skipped])).toEqual([
      ['monthly-bulletin', '2025-08', false],
      ['quarterly-dispatch', '2025-Q2', true],
      ['annual-assessment', '2024', false],
      ['appeal-window-closing', '2025-09-06', false],
    ]);
    expect((await rowsOf('monthly-bulletin', '2025-08'))[0]).toMatchObject({ status: 'succeeded', trigger: 'catch-up', instance: 'node-a2' });
    // the failed annual firing was due for its retry: the same record, one attempt more
    expect(await rowsOf('annual-assessment', '2024')).toEqual([expect.objectContaining({ id: annual.id, status: 'failed', attempts: 2 })]);
    await stop(again);
  });

  it('runs a job and period once when two instances fire it at the same time, by schedule and by catch-up', async () => {
    clock.fixed = at('2025-10-11T10:00:00');
    // on PostgreSQL the second instance has its own connection pool, like a second process
    const second = backend.name === 'postgres' ? await openPostgres(backend.url!) : undefined;
    try {
      const a = await start('node-a');
      const b = await start('node-b', { database: second });
      const jobsA = a.get(ScheduledJobsService);
      const jobsB = b.get(ScheduledJobsService);
      for (const period of ['2025-04', '2025-05', '2025-06']) {
        const results = await Promise.all(
          [0, 1, 2].flatMap(() => [jobsA.runJob('monthly-bulletin', period, 'schedule'), jobsB.runJob('monthly-bulletin', period, 'schedule')]),
        );
        expect(ranCount(results)).toBe(1);
        expect(results.filter((r) => !r.ran).map((r) => r.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/^(running|already-succeeded)$/)]));
        expect(await rowsOf('monthly-bulletin', period)).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 1 })]);
      }
      await stop(a, b);

      // two servers start together after a missed October firing of every job
      const [c, d] = await Promise.all([start('node-c', { scheduler: true }), start('node-d', { scheduler: true, database: second })]);
      const [stepsC, stepsD] = await Promise.all([c.get(SchedulerService).caughtUp, d.get(SchedulerService).caughtUp]);
      const due: [ScheduleJob, string][] = [
        ['monthly-bulletin', '2025-09'],
        ['quarterly-dispatch', '2025-Q3'],
        ['annual-assessment', '2024'],
        ['appeal-window-closing', '2025-10-11'],
      ];
      for (const [job, period] of due) {
        const results = [...stepsC, ...stepsD].filter((s) => s.job === job && s.result).map((s) => s.result!);
        expect(ranCount(results)).toBe(1);
        expect(await rowsOf(job, period)).toHaveLength(1);
      }
      expect((await rowsOf('monthly-bulletin', '2025-09'))[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect((await rowsOf('annual-assessment', '2024'))[0]).toMatchObject({ status: 'failed', attempts: 3 });
      await stop(c, d);
    } finally {
      await second?.close();
    }
  });

  it('records a failed job with its error, retries it with backoff on the same record, then gives up', async () => {
    clock.fixed = at('2025-08-06T10:00:00');
    const app = await start('node-e');
    const jobs = app.get(ScheduledJobsService);
    const first = await jobs.runJob('annual-assessment', '2023', 'schedule');
    expect(first).toMatchObject({ ran: true, firing: { status: 'failed', attempts: 1, trigger: 'schedule' } });
    expect(first.error).toBeInstanceOf(DomainError);
    expect(first.firing.error).toContain('RULESET_NONE_IN_FORCE');

    const tooSoon = await Promise.all([jobs.runJob('annual-assessment', '2023', 'schedule'), jobs.runJob('annual-assessment', '2023', 'catch-up')]);
    expect(tooSoon.map((r) => [r.ran, r.reason])).toEqual([
      [false, 'retry-not-due'],
      [false, 'retry-not-due'],
    ]);
    const minutesLater = (m: number) => (clock.fixed = new Date(clock.fixed!.getTime() + m * 60_000));
    for (const [wait, attempts] of [
      [1, 2],
      [5, 3],
      [30, 4],
    ] as const) {
      minutesLater(wait - 0.5);
      expect((await jobs.runJob('annual-assessment', '2023', 'schedule')).reason).toBe('retry-not-due');
      minutesLater(0.5);
      const retried = await Promise.all([jobs.runJob('annual-assessment', '2023', 'schedule'), jobs.runJob('annual-assessment', '2023', 'schedule')]);
      expect(ranCount(retried)).toBe(1);
      expect(await rowsOf('annual-assessment', '2023')).toEqual([expect.objectContaining({ status: 'failed', attempts })]);
    }
    minutesLater(24 * 60);
    expect(await jobs.runJob('annual-assessment', '2023', 'catch-up')).toMatchObject({ ran: false, reason: 'attempts-exhausted' });
    // a person may still run it again by hand; its error comes back to them
    expect(await domainCode(jobs.runManually('annual-assessment', '2023'))).toBe('RULESET_NONE_IN_FORCE');
    expect(await rowsOf('annual-assessment', '2023')).toEqual([expect.objectContaining({ status: 'failed', attempts: 5, trigger: 'manual' })]);
    await stop(app);
  });

  it('retries a failed scheduled firing by itself in the process', async () => {
    clock.fixed = null;
    const app = await start('node-f');
    const jobs = app.get(ScheduledJobsService);
    jobs.retryDelaysMinutes = [0.001, 0.001, 0.001];
    await jobs.runJob('annual-assessment', '2022', 'schedule');
    const deadline = Date.now() + 10_000;
    let row: FiringRow | undefined;
    while (Date.now() < deadline) {
      row = (await rowsOf('annual-assessment', '2022'))[0];
      if (row?.attempts === 4 && row.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(row).toMatchObject({ status: 'failed', attempts: 4 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rowsOf('annual-assessment', '2022')).toEqual([expect.objectContaining({ attempts: 4 })]);
    await stop(app);
  });

  it('runs by hand without the scheduler; refuses a succeeded period unless forced', async () => {
    clock.fixed = at('2025-10-11T10:00:00');
    const app = await start('cli');
    expect(() => app.get(SchedulerService)).toThrow();
    const jobs = app.get(ScheduledJobsService);

    expect(await domainCode(jobs.runManually('monthly-bulletin', '2025-07'))).toBe('JOB_ALREADY_DONE');
    expect(await rowsOf('monthly-bulletin', '2025-07')).toEqual([expect.objectContaining({ attempts: 1, trigger: 'catch-up' })]);
    const forced = await jobs.runManually('monthly-bulletin', '2025-07', true);
    expect(forced).toMatchObject({ ran: true, firing: { status: 'succeeded', attempts: 2, trigger: 'manual', instance: 'cli' } });
    expect(await rowsOf('monthly-bulletin', '2025-07')).toEqual([expect.objectContaining({ id: forced.firing.id, attempts: 2 })]);

    expect(await domainCode(jobs.runManually('monthly-bulletin', '2025-13'))).toBe('JOB_PERIOD_INVALID');
    expect(await domainCode(jobs.runManually('weekly-bulletin', '2025-07'))).toBe('JOB_UNKNOWN');
    expect(await firings.find('monthly-bulletin', '2025-13')).toBeUndefined();
    await stop(app);
  });

  it('assesses and publishes the year once; a re-run only rewrites the reports', async () => {
    clock.fixed = at('2026-01-20T09:00:00');
    const app = await start('node-g');
    const jobs = app.get(ScheduledJobsService);
    const first = await jobs.runJob('annual-assessment', '2025', 'schedule');
    expect(first.firing).toMatchObject({ status: 'succeeded', outcome: expect.objectContaining({ assessed: true }) });
    expect(first.firing.outputFiles).toEqual([join(reportsDir, '2025', 'street-annual-2025.xlsx'), join(reportsDir, '2025', 'list-publication-2025.xlsx')]);
    const runId = (first.firing.outcome as { runId: number }).runId;
    expect(await app.get(AssessmentRepository).currentRun('2025', null)).toMatchObject({ id: runId, status: 'published' });

    const again = await jobs.runManually('annual-assessment', '2025', true);
    expect(again.firing.outcome).toMatchObject({ assessed: false, runId });
    expect(again.firing.attempts).toBe(2);
    expect((await app.get(AssessmentRepository).currentRun('2025', null))!.id).toBe(runId);
    await stop(app);
  });
});
