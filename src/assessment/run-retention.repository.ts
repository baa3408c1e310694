import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, getTableName, inArray, is, lt, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { DATABASE, resultRows, type Database, type UnitOfWork } from '../db/database.js';
import * as schema from '../db/schema.js';
import { assessmentRuns, companyResults, projectResults } from '../db/schema.js';

export interface DraftRun {
  id: number;
  periodCode: string;
  streetCode: string | null;
  createdAt: Date;
}

/** A table whose rows name a run and what the rows hold (the run's own results, or something that refers to it). */
interface RunColumn {
  table: string;
  column: string;
}

/** The tables that are a run's own: they go with the run. */
const OWN_RESULTS = [projectResults, companyResults] as const;

/**
 * Every other foreign key to assessment_runs in the schema refers to a run from outside (list
 * entries, ledger entries, appeal sheets, revisions, audit log …): a draft so referred to is kept.
 * Read from the schema, so that a table added later keeps its drafts without being listed here.
 */
const REFERRING_COLUMNS: readonly RunColumn[] = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .filter((table) => !OWN_RESULTS.some((own) => (own as PgTable) === table))
  .flatMap((table) =>
    getTableConfig(table)
      .foreignKeys.map((fk) => fk.reference())
      .filter((ref) => ref.foreignTable === assessmentRuns)
      .map((ref) => ({ table: getTableName(table), column: ref.columns[0].name })),
  );

@Injectable()
export class RunRetentionRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  transaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.database.transaction(work);
  }

  /**
   * The drafts created before `before`, oldest first. With `lock` they are locked until the
   * transaction ends: a publication of one of them, or a new row referring to it, waits.
   */
  async draftsCreatedBefore(unit: UnitOfWork, before: Date, lock: boolean): Promise<DraftRun[]> {
    const query = unit.db
      .select({ id: assessmentRuns.id, periodCode: assessmentRuns.periodCode, streetCode: assessmentRuns.streetCode, createdAt: assessmentRuns.createdAt })
      .from(assessmentRuns)
      .where(and(eq(assessmentRuns.status, 'draft'), lt(assessmentRuns.createdAt, before)))
      .orderBy(asc(assessmentRuns.id));
    return lock ? query.for('update') : query;
  }

  /** What refers to each of the runs, as `table (rows)`, for the runs that something refers to. */
  async referencesTo(unit: UnitOfWork, runIds: readonly number[]): Promise<Map<number, string[]>> {
    const references = new Map<number, string[]>();
    if (runIds.length === 0) return references;
    const ids = sql`(${sql.join(
      runIds.map((id) => sql`${id}`),
      sql`, `,
    )})`;
    const byTable = REFERRING_COLUMNS.map(
      ({ table, column }) =>
        sql`select ${sql.raw(`"${column}"`)} as run_id, ${table}::text as source, count(*)::int as rows from ${sql.raw(`"${table}"`)}
             where ${sql.raw(`"${column}"`)} in ${ids} group by 1`,
    );
    const rows = resultRows<{ run_id: number | string; source: string; rows: number }>(
      await unit.db.execute(sql`${sql.join(byTable, sql` union all `)} order by 1, 2`),
    );
    for (const row of rows) {
      const runId = Number(row.run_id);
      const label = `${row.source} (${row.rows})`;
      const labels = references.get(runId) ?? [];
      if (!labels.includes(label)) references.set(runId, [...labels, label]);
    }
    return references;
  }

  /** How many result rows each run has. */
  async resultCounts(unit: UnitOfWork, runIds: readonly number[]): Promise<Map<number, { projects: number; companies: number }>> {
    const counts = new Map<number, { projects: number; companies: number }>(runIds.map((id) => [id, { projects: 0, companies: 0 }]));
    if (runIds.length === 0) return counts;
    const [projects, companies] = await Promise.all([
      unit.db
        .select({ runId: projectResults.runId, n: sql<number>`count(*)::int` })
        .from(projectResults)
        .where(inArray(projectResults.runId, [...runIds]))
        .groupBy(projectResults.runId),
      unit.db
        .select({ runId: companyResults.runId, n: sql<number>`count(*)::int` })
        .from(companyResults)
        .where(inArray(companyResults.runId, [...runIds]))
        .groupBy(companyResults.runId),
    ]);
    for (const row of projects) counts.get(row.runId)!.projects = Number(row.n);
    for (const row of companies) counts.get(row.runId)!.companies = Number(row.n);
    return counts;
  }

  /** Deletes the runs with their own results; anything else referring to them makes this fail (the caller checked). */
  async deleteRuns(unit: UnitOfWork, runIds: readonly number[]): Promise<void> {
    if (runIds.length === 0) return;
    for (const table of OWN_RESULTS) await unit.db.delete(table).where(inArray(table.runId, [...runIds]));
    await unit.db.delete(assessmentRuns).where(and(inArray(assessmentRuns.id, [...runIds]), eq(assessmentRuns.status, 'draft')));
  }
}
