import type { INestApplicationContext } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { createHttpApp } from '../src/api/http-app.js';
import { tasks as taskRows } from '../src/db/schema.js';
import type { Principal } from '../src/domain/access.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { TaskQueue } from '../src/tasks/task-queue.js';
import { TasksRepository, type TaskRow } from '../src/tasks/tasks.repository.js';
import { TasksService } from '../src/tasks/tasks.service.js';
import { testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

const bureau: Principal = { keyId: 0, name: 'test', role: 'bureau', scope: { kind: 'all' } };

/**
 * What a server killed at the wrong moment leaves in the queue, set up by hand (the moment is too
 * narrow to hit by killing a process): a job the queue handed out whose task never started, and a
 * job whose task ended before the queue heard. With one task at a time either would hold the whole
 * queue until the job expires (an hour); the next server releases it.
 */
describeEachBackend('queue jobs left by a server that stopped', ({ database }) => {
  const config = testConfig();
  const oneAtATime = { ...config, limits: { ...config.limits, heavyTasks: 1, taskClaimGraceSeconds: 1 } };
  const startApp = async () => {
    const app = await createHttpApp({ config: oneAtATime, database: database() }, false);
    await app.init();
    return app;
  };
  let template: Pick<TaskRow, 'kind' | 'params' | 'input'>;
  let settledTask: TaskRow;

  const jobState = async (jobId: string) =>
    ((await database().executeSql(`select state from pgboss.job where id = $1::uuid`, [jobId])).rows[0] as { state: string }).state;
  const makeActive = (jobId: string, startedSecondsAgo: number) =>
    database().executeSql(`update pgboss.job set state = 'active', started_on = now() - make_interval(secs => $2) where id = $1::uuid`, [
      jobId,
      startedSecondsAgo,
    ]);

  /** A task stored and queued as a server would, with no server running it. */
  async function queuedTask(queue: TaskQueue): Promise<{ task: TaskRow; jobId: string }> {
    const inserted = await new TasksRepository(database()).insertWithinLimit({ ...template, keyId: null, requestedBy: 'test', createdAt: new Date() }, null);
    if (!('task' in inserted)) throw new Error('refused');
    const jobId = (await queue.send(inserted.task.id))!;
    await database().db.update(taskRows).set({ queueJobId: jobId }).where(eq(taskRows.id, inserted.task.id));
    return { task: inserted.task, jobId };
  }

  async function withQueue<T>(work: (queue: TaskQueue) => Promise<T>): Promise<T> {
    const queue = new TaskQueue(database(), { concurrency: 1, pollSeconds: 1, expireSeconds: 3600 }, () => undefined);
    await queue.start();
    try {
      return await work(queue);
    } finally {
      await queue.stop();
    }
  }

  beforeAll(async () => {
    const app = await startApp();
    try {
      await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
      const tasks = app.get(TasksService);
      settledTask = (
        await database()
          .db.select()
          .from(taskRows)
          .where(eq(taskRows.id, (await tasks.settled((await tasks.submit(assessment, bureau)).id)).id))
      )[0];
      template = { kind: settledTask.kind, params: settledTask.params, input: settledTask.input };
    } finally {
      await app.close();
    }
  }, 300_000);

  const assessment = { kind: 'assessment' as const, request: { period: '2025', streetCode: null, publish: false } };

  async function settleAll(app: INestApplicationContext, ids: number[]): Promise<string[]> {
    const tasks = app.get(TasksService);
    return Promise.all(ids.map(async (id) => (await tasks.settled(id)).status));
  }

  it('queues again a task whose job was taken by a server that stopped before starting it, and runs what waited behind it', async () => {
    const { stranded, behind } = await withQueue(async (queue) => {
      const stranded = await queuedTask(queue);
      const behind = await queuedTask(queue);
      // taken just now: released by the sweep once the grace has passed, not at start
      await makeActive(stranded.jobId, 0);
      return { stranded, behind };
    });
    const app = await startApp();
    try {
      expect(await settleAll(app, [stranded.task.id, behind.task.id])).toEqual(['succeeded', 'succeeded']);
      expect(await jobState(stranded.jobId)).toBe('failed');
      const [again] = await database().db.select({ queueJobId: taskRows.queueJobId }).from(taskRows).where(eq(taskRows.id, stranded.task.id));
      expect(again.queueJobId).not.toBe(stranded.jobId);
    } finally {
      await app.close();
    }
  }, 180_000);

  it('releases the job of a task that ended before the queue heard, without running the task again', async () => {
    const behind = await withQueue(async (queue) => {
      await makeActive(settledTask.queueJobId!, 120);
      return queuedTask(queue);
    });
    const app = await startApp();
    try {
      expect(await settleAll(app, [behind.task.id])).toEqual(['succeeded']);
      expect(await jobState(settledTask.queueJobId!)).toBe('completed');
      const [first] = await database().db.select().from(taskRows).where(eq(taskRows.id, settledTask.id));
      expect({ status: first.status, finishedAt: first.finishedAt }).toEqual({ status: 'succeeded', finishedAt: settledTask.finishedAt });
    } finally {
      await app.close();
    }
  }, 180_000);
});
