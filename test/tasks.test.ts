import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createHttpApp } from '../src/api/http-app.js';
import { AssessmentService } from '../src/assessment/assessment.service.js';
import { tasks as taskRows } from '../src/db/schema.js';
import type { Principal } from '../src/domain/access.js';
import { TooManyRequestsError } from '../src/domain/errors.js';
import { SeedService } from '../src/seeding/seed.service.js';
import { TasksService } from '../src/tasks/tasks.service.js';
import { bureauKey, testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

const HEAVY_TASKS = 2;

describeEachBackend('tasks on the queue', ({ database }) => {
  let app: INestApplication;
  let tasks: TasksService;
  let key: string;

  beforeAll(async () => {
    const config = testConfig();
    app = await createHttpApp({ config: { ...config, limits: { ...config.limits, tasksPerKey: 5, heavyTasks: HEAVY_TASKS } }, database: database() }, false);
    await app.init();
    tasks = app.get(TasksService);
    key = await bureauKey(app);
    await app.get(SeedService).seed({ scale: 'demo', seed: 1, replace: true });
    await app.get(AssessmentService).run({ period: '2025', streetCode: null, publish: false });
  });
  afterAll(() => app.close());

  it('runs five assessment tasks submitted at once, never more of them at a time than configured', async () => {
    const server = request(app.getHttpServer());
    const submitted = await Promise.all(Array.from({ length: 5 }, () => server.post('/runs').set('Authorization', `Bearer ${key}`).send({ period: '2025' })));
    for (const response of submitted) expect(response.status).toBe(202);
    const ids = submitted.map((r) => r.body.id as number);

    // the database's own view, sampled while they run: how many are running at once
    let mostRunning = 0;
    for (;;) {
      const rows = await database().db.select({ id: taskRows.id, status: taskRows.status }).from(taskRows);
      const mine = rows.filter((r) => ids.includes(r.id));
      mostRunning = Math.max(mostRunning, mine.filter((r) => r.status === 'running').length);
      if (mine.every((r) => r.status === 'succeeded' || r.status === 'failed')) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    for (const id of ids) expect(await tasks.settled(id)).toMatchObject({ status: 'succeeded', result: { status: 'draft' } });
    // (on PGlite a sample waits while a task's transaction holds the one connection: it may see none running)
    expect(mostRunning).toBeLessThanOrEqual(HEAVY_TASKS);
    // the process's own count, exact
    expect(tasks.mostAtOnce).toBeLessThanOrEqual(HEAVY_TASKS);
    expect(tasks.mostAtOnce).toBeGreaterThanOrEqual(1);
  });

  it('admits a key only so many tasks queued or running at once, refusing the rest with 429, whatever the timing', async () => {
    const asker: Principal = { keyId: 7, name: 'a key', role: 'bureau', scope: { kind: 'all' } };
    const assess = () => tasks.submit({ kind: 'assessment', request: { period: '2025', streetCode: null, publish: false } }, asker);
    const attempts = await Promise.allSettled(Array.from({ length: 12 }, assess));
    const admitted = attempts.filter((a) => a.status === 'fulfilled').map((a) => a.value);
    const refused = attempts.filter((a) => a.status === 'rejected').map((a) => a.reason as TooManyRequestsError);
    expect(admitted).toHaveLength(5);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r).toMatchObject({ code: 'TOO_MANY_TASKS', retryAfterSeconds: expect.any(Number) });
    // another key is not held back by this one's count
    const other = await tasks.submit({ kind: 'assessment', request: { period: '2025', streetCode: null, publish: false } }, { ...asker, keyId: 8 });
    for (const task of [...admitted, other]) expect((await tasks.settled(task.id)).status).toBe('succeeded');
    // the key's tasks are done: it may submit again
    expect((await tasks.settled((await assess()).id)).status).toBe('succeeded');
  });
});
