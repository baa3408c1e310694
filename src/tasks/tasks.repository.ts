import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DATABASE, type Database } from '../db/database.js';
import { jobs } from '../db/schema.js';

export type TaskRow = typeof jobs.$inferSelect;

@Injectable()
export class TasksRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async insert(row: { kind: string; params: Record<string, unknown>; requestedBy: string; createdAt: Date }): Promise<TaskRow> {
    const [inserted] = await this.database.db.insert(jobs).values(row).returning();
    return inserted;
  }

  async update(id: number, values: Partial<Omit<TaskRow, 'id'>>): Promise<void> {
    await this.database.db.update(jobs).set(values).where(eq(jobs.id, id));
  }

  /** A task; with `keyId`, only if that key asked for it. */
  async find(id: number, keyId?: number): Promise<TaskRow | undefined> {
    const mine = keyId === undefined ? undefined : sql`${jobs.params} ->> 'keyId' = ${String(keyId)}`;
    const [row] = await this.database.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, id), mine));
    return row;
  }

  /** Tasks a stopped process of the same instance name left queued or running. */
  async markInterrupted(instance: string, at: Date): Promise<number> {
    const rows = await this.database.db
      .update(jobs)
      .set({
        status: 'failed',
        finishedAt: at,
        error: {
          code: 'TASK_INTERRUPTED',
          message: 'the server stopped before the task finished',
          messageZh: '服务在任务完成前停止，任务未完成（未发布任何结果），请重新提交',
          details: [],
        },
      })
      .where(and(inArray(jobs.status, ['queued', 'running']), sql`${jobs.params} ->> 'instance' = ${instance}`))
      .returning({ id: jobs.id });
    return rows.length;
  }
}
