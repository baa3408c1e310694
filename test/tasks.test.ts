import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '../src/api/http-app.js';
import { TooManyRequestsError } from '../src/domain/errors.js';
import { TasksService } from '../src/tasks/tasks.service.js';
import { testConfig } from './support/app.js';
import { describeEachBackend } from './support/backends.js';

describeEachBackend('tasks', ({ database }) => {
  let app: INestApplication;
  let tasks: TasksService;

  beforeAll(async () => {
    const config = testConfig();
    app = await createHttpApp({ config: { ...config, limits: { ...config.limits, tasksPerKey: 3, heavyTasks: 1 } }, database: database() }, false);
    await app.init();
    tasks = app.get(TasksService);
  });
  afterAll(() => app.close());

  it('runs one heavy task at a time and refuses a key a fourth task with 429 until one ends', async () => {
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const work = () =>
      new Promise<Record<string, unknown>>((resolve) => {
        running++;
        most = Math.max(most, running);
        gates.push(() => {
          running--;
          resolve({});
        });
      });
    const key = { keyId: 7, name: 'a key' };
    // twelve at once: three are admitted, whatever the timing
    const attempts = await Promise.allSettled(Array.from({ length: 12 }, () => tasks.start('report', {}, key, work)));
    const started = attempts.filter((a) => a.status === 'fulfilled').map((a) => a.value);
    const refused = attempts.filter((a) => a.status === 'rejected').map((a) => a.reason as TooManyRequestsError);
    expect(started).toHaveLength(3);
    expect(refused).toHaveLength(9);
    for (const r of refused) expect(r).toBeInstanceOf(TooManyRequestsError);
    expect(refused[0].retryAfterSeconds).toBeGreaterThan(0);
    // another key is not held back by this one's count (it waits for the heavy slot like the rest)
    const other = await tasks.start('report', {}, { keyId: 8, name: 'another key' }, work);

    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running).toBe(1);
    expect((await tasks.get(started[1].id, { keyId: 7, scope: { kind: 'all' } })).status).toBe('queued');
    while (gates.length > 0 || running > 0) {
      gates.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const task of [...started, other]) expect((await tasks.settled(task.id)).status).toBe('succeeded');
    expect(most).toBe(1);
    // the slots are given back
    await tasks.settled((await tasks.start('report', {}, key, async () => ({}))).id);
  });
});
