import { Inject, Injectable } from '@nestjs/common';
import { and, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { DATABASE, resultRows, type Database } from '../db/database.js';
import { tasks } from '../db/schema.js';
import { TASK_QUEUE } from './task-queue.js';

export type TaskRow = typeof tasks.$inferSelect;
export type NewTask = Pick<typeof tasks.$inferInsert, 'kind' | 'params' | 'input' | 'keyId' | 'requestedBy' | 'createdAt'>;

/** The error kept with a task, as the API shows errors. */
export interface TaskError {
  code: string;
  message: string;
  messageZh: string;
  details: readonly string[];
}

/** A queue job taken by a server that died before it started its task, or before it told the queue the task had ended. */
export interface StrandedJob {
  readonly jobId: string;
  readonly taskId: number | null;
  /** the task's status now (null: no such task) */
  readonly taskStatus: TaskRow['status'] | null;
  /** whether the task's own record names this job (a task queued again has a newer one) */
  readonly current: boolean;
}

/** A lock per key while its queued and running tasks are counted and one is added (two servers, one database). */
const KEY_LOCK_SPACE = 0x7461736b; // 'task'

@Injectable()
export class TasksRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Adds a task unless its key already has `limit` tasks queued or running; answers with the
   * task, or with the number the key has when it is refused. The count and the insert are one
   * transaction under the key's lock, so simultaneous requests cannot all pass the check.
   */
  async insertWithinLimit(row: NewTask, limit: number | null): Promise<{ task: TaskRow } | { refused: number }> {
    return this.database.transaction(async ({ db }) => {
      if (row.keyId !== null && row.keyId !== undefined && limit !== null) {
        await db.execute(sql`select pg_advisory_xact_lock(${KEY_LOCK_SPACE}, ${row.keyId})`);
        const [{ open }] = await db
          .select({ open: count() })
          .from(tasks)
          .where(and(eq(tasks.keyId, row.keyId), inArray(tasks.status, ['queued', 'running'])));
        if (open >= limit) return { refused: open };
      }
      const [task] = await db.insert(tasks).values(row).returning();
      return { task };
    });
  }

  async update(id: number, values: Partial<Omit<TaskRow, 'id'>>): Promise<void> {
    await this.database.db.update(tasks).set(values).where(eq(tasks.id, id));
  }

  /** Marks a queued task running on `instance`; false if it is not queued any more. */
  async markRunning(id: number, instance: string, at: Date): Promise<boolean> {
    const rows = await this.database.db
      .update(tasks)
      .set({ status: 'running', instance, startedAt: at, progress: '开始' })
      .where(and(eq(tasks.id, id), eq(tasks.status, 'queued')))
      .returning({ id: tasks.id });
    return rows.length === 1;
  }

  async finish(id: number, at: Date, outcome: { result: Record<string, unknown> } | { error: TaskError }): Promise<void> {
    await this.database.db
      .update(tasks)
      .set(
        'result' in outcome
          ? { status: 'succeeded', finishedAt: at, progress: '完成', result: outcome.result }
          : { status: 'failed', finishedAt: at, error: outcome.error },
      )
      .where(eq(tasks.id, id));
  }

  /** A task; with `keyId`, only if that key asked for it. */
  async find(id: number, keyId?: number): Promise<TaskRow | undefined> {
    const [row] = await this.database.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.id, id), keyId === undefined ? undefined : eq(tasks.keyId, keyId)));
    return row;
  }

  /** Fails the tasks a stopped process of this instance left running; answers with their queue jobs. */
  async failInterrupted(instance: string, at: Date, error: TaskError): Promise<{ id: number; queueJobId: string | null }[]> {
    return this.database.db
      .update(tasks)
      .set({ status: 'failed', finishedAt: at, error })
      .where(and(eq(tasks.status, 'running'), eq(tasks.instance, instance)))
      .returning({ id: tasks.id, queueJobId: tasks.queueJobId });
  }

  /** Queued tasks without a queue job (the process stopped between storing one and queueing it). */
  async unqueued(): Promise<number[]> {
    const rows = await this.database.db
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.status, 'queued'), sql`${tasks.queueJobId} is null`, isNotNull(tasks.createdAt)));
    return rows.map((r) => r.id);
  }

  /**
   * Active queue jobs taken more than `graceSeconds` ago whose task is not running: still queued
   * (a live server marks its task running within moments of taking the job) or already settled.
   */
  async strandedJobs(graceSeconds: number): Promise<StrandedJob[]> {
    const result = await this.database.db.execute(sql`
      select j.id::text as job_id, t.id as task_id, t.status, t.queue_job_id
      from pgboss.job j
      left join ${tasks} t on t.id = (j.data->>'taskId')::integer
      where j.name = ${TASK_QUEUE} and j.state = 'active'
        and j.started_on < now() - make_interval(secs => ${graceSeconds})
        and (t.id is null or t.status <> 'running')`);
    const rows = resultRows<{ job_id: string; task_id: number | null; status: TaskRow['status'] | null; queue_job_id: string | null }>(result);
    return rows.map((r) => ({ jobId: r.job_id, taskId: r.task_id, taskStatus: r.status, current: r.queue_job_id === null || r.queue_job_id === r.job_id }));
  }
}
