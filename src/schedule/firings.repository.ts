import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, sql } from 'drizzle-orm';
import { DATABASE, type Database } from '../db/database.js';
import { scheduledFirings } from '../db/schema.js';
import type { ScheduleJob } from '../config/app-config.js';
import type { FiringTrigger, Refusal } from './schedule-plan.js';

export type FiringRow = typeof scheduledFirings.$inferSelect;

export interface FiringStart {
  readonly job: ScheduleJob;
  readonly period: string;
  readonly trigger: FiringTrigger;
  readonly instance: string;
  readonly now: Date;
}

export type ClaimResult = { claimed: true; firing: FiringRow } | { claimed: false; firing: FiringRow; refusal: Refusal };

/** The record of every scheduled firing; one row per job and period (scheduled_firings). */
@Injectable()
export class FiringsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /**
   * Exactly once per job and period, across processes: under a transaction-scoped advisory lock
   * on the pair, inserts the running record; if one exists, `takeOver` decides (inside the lock)
   * whether this claim may restart it (a due retry, a forced manual run), which counts an attempt.
   */
  async claim(start: FiringStart, takeOver: (existing: FiringRow) => Refusal | null): Promise<ClaimResult> {
    return this.database.transaction(async ({ db }) => {
      await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`redprop:${start.job}:${start.period}`}))`);
      const [inserted] = await db
        .insert(scheduledFirings)
        .values({
          job: start.job,
          period: start.period,
          status: 'running',
          attempts: 1,
          trigger: start.trigger,
          instance: start.instance,
          startedAt: start.now,
        })
        .onConflictDoNothing({ target: [scheduledFirings.job, scheduledFirings.period] })
        .returning();
      if (inserted) return { claimed: true, firing: inserted };
      const [existing] = await db
        .select()
        .from(scheduledFirings)
        .where(and(eq(scheduledFirings.job, start.job), eq(scheduledFirings.period, start.period)))
        .for('update');
      const refusal = takeOver(existing);
      if (refusal) return { claimed: false, firing: existing, refusal };
      const [restarted] = await db
        .update(scheduledFirings)
        .set({
          status: 'running',
          attempts: sql`${scheduledFirings.attempts} + 1`,
          trigger: start.trigger,
          instance: start.instance,
          startedAt: start.now,
          finishedAt: null,
          outcome: null,
          outputFiles: [],
          error: null,
        })
        .where(eq(scheduledFirings.id, existing.id))
        .returning();
      return { claimed: true, firing: restarted };
    });
  }

  async finish(id: number, outcome: Record<string, unknown>, files: string[], at: Date): Promise<FiringRow> {
    const [row] = await this.database.db
      .update(scheduledFirings)
      .set({ status: 'succeeded', finishedAt: at, outcome, outputFiles: files, error: null })
      .where(eq(scheduledFirings.id, id))
      .returning();
    return row;
  }

  async fail(id: number, error: string, at: Date): Promise<FiringRow> {
    const [row] = await this.database.db
      .update(scheduledFirings)
      .set({ status: 'failed', finishedAt: at, error })
      .where(eq(scheduledFirings.id, id))
      .returning();
    return row;
  }

  /** Firings a stopped process of the same instance name left running: marked failed, so that their retry policy applies. */
  async failInterrupted(instance: string, error: string, at: Date): Promise<FiringRow[]> {
    return this.database.db
      .update(scheduledFirings)
      .set({ status: 'failed', finishedAt: at, error })
      .where(and(eq(scheduledFirings.status, 'running'), eq(scheduledFirings.instance, instance)))
      .returning();
  }

  /** Newest first. */
  async list(job?: ScheduleJob): Promise<FiringRow[]> {
    return this.database.db
      .select()
      .from(scheduledFirings)
      .where(job === undefined ? undefined : eq(scheduledFirings.job, job))
      .orderBy(desc(scheduledFirings.startedAt), desc(scheduledFirings.id));
  }

  async find(job: ScheduleJob, period: string): Promise<FiringRow | undefined> {
    const [row] = await this.database.db
      .select()
      .from(scheduledFirings)
      .where(and(eq(scheduledFirings.job, job), eq(scheduledFirings.period, period)));
    return row;
  }
}
