import PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';

/** The one queue of tasks; its rows live in the schema `pgboss` (migration 0005). */
export const TASK_QUEUE = 'redprop-tasks';

export interface TaskQueueOptions {
  /** tasks run at once by this process */
  readonly concurrency: number;
  /** how often an idle worker asks for work */
  readonly pollSeconds: number;
  /** a task running longer is taken for dead (its process gone) and failed by the queue */
  readonly expireSeconds: number;
}

export interface QueuedJob {
  readonly id: string;
  readonly data: { taskId: number };
}

/**
 * pg-boss over the application's own database handle (PGlite or postgres.js, through
 * `Database.executeSql`): no second connection pool and no server needed for the embedded database.
 * Its schema is created by the committed migrations, so it never migrates anything itself.
 * With one task at a time the queue's policy is `singleton`: one active job in the whole queue,
 * whatever the number of server processes; with more, each process runs up to `concurrency`.
 */
export class TaskQueue {
  private readonly boss: PgBoss;

  constructor(
    database: Database,
    private readonly options: TaskQueueOptions,
    onError: (error: Error) => void,
  ) {
    this.boss = new PgBoss({
      db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) },
      migrate: false,
      schedule: false,
      supervise: true,
    });
    this.boss.on('error', onError);
  }

  async start(): Promise<void> {
    await this.boss.start();
    const queue = {
      name: TASK_QUEUE,
      policy: this.options.concurrency === 1 ? ('singleton' as const) : ('standard' as const),
      retryLimit: 0,
      expireInSeconds: this.options.expireSeconds,
      retentionMinutes: 60 * 24 * 14,
    };
    await this.boss.createQueue(TASK_QUEUE, queue);
    // the queue's settings follow the configuration of the process that starts last
    await this.boss.updateQueue(TASK_QUEUE, queue);
  }

  send(taskId: number): Promise<string | null> {
    return this.boss.send(TASK_QUEUE, { taskId });
  }

  /** Starts this process's workers; `run` is called with one job at a time per worker. */
  async work(run: (job: QueuedJob) => Promise<void>): Promise<void> {
    for (let i = 0; i < this.options.concurrency; i++) {
      await this.boss.work<{ taskId: number }>(TASK_QUEUE, { batchSize: 1, pollingIntervalSeconds: this.options.pollSeconds }, async ([job]) => {
        await run(job);
      });
    }
  }

  /** Ends a job its process left active (so that it does not hold the queue until it expires). */
  async fail(jobId: string, reason: Record<string, unknown>): Promise<void> {
    await this.boss.fail(TASK_QUEUE, jobId, reason);
  }

  /** Ends a job whose task ended, for a process that died before it could. */
  async complete(jobId: string): Promise<void> {
    await this.boss.complete(TASK_QUEUE, jobId);
  }

  /** Stops fetching; with `graceful`, waits for the jobs in hand. */
  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 60 * 60 * 1000 });
  }
}
