import { noteText } from '../reports/note-text.js';
import { scopeFilter } from '../access/scope-filters.js';
import type { AccessScope } from '../domain/access.js';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import { DATABASE, jsonValue, type AppDb, type Database, type UnitOfWork } from '../db/database.js';
import {
  appealLines,
  assessmentRuns,
  factCorrections,
  changeCause,
  companies,
  companyResults,
  creditEvents,
  effectiveCompanyResults,
  effectiveProjectResults,
  ledgerEntries,
  listEntries,
  listTransitions,
  projectResults,
  projects,
  streets,
} from '../db/schema.js';
import type { LedgerEntryDraft, LedgerEvent } from '../ledger/ledger.js';
import type { ListDecision, StoredCorrection } from './scoring.js';
import type { StoredCompanyOutcome } from './stored-outcome.js';
import type { ListTransition, OpenListEntry } from '../lists/list-lifecycle.js';

export interface NewRun {
  periodCode: string;
  streetCode: string | null;
  ruleSetName: string;
  ruleSetVersion: string;
  ruleSetFingerprint: string;
  ruleSetFiles: Record<string, string>;
  engineVersion: string;
  inputDigest: string;
  fingerprint: string;
  outcomeDigest: string;
  summary: Record<string, unknown>;
}

export interface StoredProjectResult {
  projectId: number;
  assessed: boolean;
  total: number | null;
  stars: number | null;
  /** the outcome serialised (the canonical JSON the run's outcome digest hashed) */
  outcomeJson: string;
}

export interface StoredCompanyResult {
  companyId: number;
  score: number | null;
  grade: string | null;
  outcomeJson: string;
}

export type RunRow = typeof assessmentRuns.$inferSelect;
export type ChangeCause = (typeof changeCause.enumValues)[number];

/** Every column of a run but its stored rule files (which only reproduction needs). */
const { ruleSetFiles: _ruleSetFiles, ...runColumns } = getTableColumns(assessmentRuns);
export const RUN_COLUMNS_WITHOUT_FILES = runColumns;

const runInScope = (scope: AccessScope) => scopeFilter.run(scope, sql`${assessmentRuns.status}`, sql`${assessmentRuns.streetCode}`);

@Injectable()
export class AssessmentRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  transaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.database.transaction(work);
  }

  async insertRun(unit: UnitOfWork, run: NewRun): Promise<number> {
    const [row] = await unit.db.insert(assessmentRuns).values(run).returning({ id: assessmentRuns.id });
    return row.id;
  }

  async insertResults(unit: UnitOfWork, runId: number, projectRows: StoredProjectResult[], companyRows: StoredCompanyResult[]): Promise<void> {
    const projectWriter = unit.bulkWriter(projectResults);
    for (const { outcomeJson, ...row } of projectRows) {
      const wait = projectWriter.add({ runId, ...row, outcome: outcomeJson });
      if (wait) await wait;
    }
    await projectWriter.finish();
    const companyWriter = unit.bulkWriter(companyResults);
    for (const { outcomeJson, ...row } of companyRows) {
      const wait = companyWriter.add({ runId, ...row, outcome: outcomeJson });
      if (wait) await wait;
    }
    await companyWriter.finish();
  }

  /** A run's outcome digest and summary, known once all its results are written. */
  async completeRun(unit: UnitOfWork, runId: number, outcomeDigest: string, summary: Record<string, unknown>): Promise<void> {
    await unit.db.update(assessmentRuns).set({ outcomeDigest, summary }).where(eq(assessmentRuns.id, runId));
  }

  async findRun(runId: number, unit?: UnitOfWork): Promise<RunRow | undefined> {
    const [row] = await (unit?.db ?? this.database.db).select().from(assessmentRuns).where(eq(assessmentRuns.id, runId));
    return row;
  }

  /** The runs a scope may read, newest first, without their rule files. */
  listRuns(scope: AccessScope): Promise<Omit<RunRow, 'ruleSetFiles'>[]> {
    return this.database.db.select(RUN_COLUMNS_WITHOUT_FILES).from(assessmentRuns).where(runInScope(scope)).orderBy(desc(assessmentRuns.id));
  }

  /** A run if the scope may read it. */
  async findRunInScope(runId: number, scope: AccessScope): Promise<RunRow | undefined> {
    const [row] = await this.database.db
      .select()
      .from(assessmentRuns)
      .where(and(eq(assessmentRuns.id, runId), runInScope(scope)));
    return row;
  }

  /** The run that answers for a period and scope: the published one, else the newest. */
  async currentRun(periodCode: string, streetCode: string | null): Promise<RunRow | undefined> {
    const [row] = await this.database.db
      .select()
      .from(assessmentRuns)
      .where(
        and(eq(assessmentRuns.periodCode, periodCode), streetCode === null ? isNull(assessmentRuns.streetCode) : eq(assessmentRuns.streetCode, streetCode)),
      )
      .orderBy(sql`${assessmentRuns.status} = 'published' desc`, desc(assessmentRuns.id))
      .limit(1);
    return row;
  }

  /** The published run of a period and scope, if any. */
  async findPublished(unit: UnitOfWork, periodCode: string, streetCode: string | null): Promise<RunRow | undefined> {
    const [row] = await unit.db
      .select()
      .from(assessmentRuns)
      .where(
        and(
          eq(assessmentRuns.periodCode, periodCode),
          streetCode === null ? isNull(assessmentRuns.streetCode) : eq(assessmentRuns.streetCode, streetCode),
          eq(assessmentRuns.status, 'published'),
        ),
      );
    return row;
  }

  async markSuperseded(unit: UnitOfWork, runId: number): Promise<void> {
    await unit.db.update(assessmentRuns).set({ status: 'superseded' }).where(eq(assessmentRuns.id, runId));
  }

  /** The publication time starts the appeal window: it comes from the service's clock. */
  /** A run, locked until the transaction ends: a publication or a prune of it waits for the other. */
  async lockRun(unit: UnitOfWork, runId: number): Promise<RunRow | undefined> {
    const [row] = await unit.db.select().from(assessmentRuns).where(eq(assessmentRuns.id, runId)).for('update');
    return row;
  }

  async markPublished(unit: UnitOfWork, runId: number, at: Date): Promise<void> {
    await unit.db.update(assessmentRuns).set({ status: 'published', publishedAt: at }).where(eq(assessmentRuns.id, runId));
  }

  /** The current results (the newest revision after accepted appeals, else as published) of the companies in scope. */
  async companyResultsOf(runId: number, scope: AccessScope, uscc?: string) {
    const r = effectiveCompanyResults;
    const conditions = [eq(r.runId, runId), scopeFilter.company(scope, sql`${r.companyId}`)];
    if (uscc) conditions.push(eq(companies.uscc, uscc));
    return this.database.db
      .select({ companyId: r.companyId, uscc: companies.uscc, name: companies.name, score: r.score, grade: r.grade, outcome: r.outcome, revision: r.revision })
      .from(r)
      .innerJoin(companies, eq(companies.id, r.companyId))
      .where(and(...conditions))
      .orderBy(asc(companies.uscc));
  }

  /** The current results of the projects in scope (see companyResultsOf). */
  async projectResultsOf(runId: number, scope: AccessScope, filter: { companyId?: number; projectCode?: string } = {}) {
    const r = effectiveProjectResults;
    const conditions = [eq(r.runId, runId), scopeFilter.project(scope, sql`${r.projectId}`)];
    if (filter.companyId !== undefined) conditions.push(eq(projects.companyId, filter.companyId));
    if (filter.projectCode !== undefined) conditions.push(eq(projects.code, filter.projectCode));
    return this.database.db
      .select({
        projectId: r.projectId,
        code: projects.code,
        name: projects.name,
        assessed: r.assessed,
        total: r.total,
        stars: r.stars,
        outcome: r.outcome,
        revision: r.revision,
      })
      .from(r)
      .innerJoin(projects, eq(projects.id, r.projectId))
      .where(and(...conditions))
      .orderBy(asc(projects.code));
  }

  /** The results as the run stored them, before any revision. */
  async originalCompanyResult(runId: number, companyId: number) {
    const [row] = await this.database.db
      .select({ score: companyResults.score, grade: companyResults.grade, outcome: companyResults.outcome })
      .from(companyResults)
      .where(and(eq(companyResults.runId, runId), eq(companyResults.companyId, companyId)));
    return row && { ...row, outcome: jsonValue<StoredCompanyOutcome>(row.outcome) };
  }

  async originalProjectResults(runId: number, companyId: number) {
    return this.database.db
      .select({
        projectId: projectResults.projectId,
        code: projects.code,
        assessed: projectResults.assessed,
        total: projectResults.total,
        stars: projectResults.stars,
        outcome: projectResults.outcome,
      })
      .from(projectResults)
      .innerJoin(projects, eq(projects.id, projectResults.projectId))
      .where(and(eq(projectResults.runId, runId), eq(projects.companyId, companyId)))
      .orderBy(asc(projects.code));
  }

  /** The results of a run as a comparison needs them (no full outcomes, so a province run stays small). */
  async comparable(runId: number) {
    const projectRows = await this.database.db
      .select({ projectCode: projects.code, projectName: projects.name, companyUscc: companies.uscc, total: projectResults.total, stars: projectResults.stars })
      .from(projectResults)
      .innerJoin(projects, eq(projects.id, projectResults.projectId))
      .innerJoin(companies, eq(companies.id, projects.companyId))
      .where(eq(projectResults.runId, runId));
    const companyRows = await this.database.db
      .select({
        uscc: companies.uscc,
        name: companies.name,
        score: companyResults.score,
        grade: companyResults.grade,
        lists: sql<{ list: 'red' | 'black' }[]>`${companyResults.outcome}->'lists'`,
      })
      .from(companyResults)
      .innerJoin(companies, eq(companies.id, companyResults.companyId))
      .where(eq(companyResults.runId, runId));
    return { projects: projectRows, companies: companyRows.map((c) => ({ ...c, lists: jsonValue<{ list: 'red' | 'black' }[]>(c.lists) })) };
  }

  /** Facts corrected by accepted appeals against any run of the period, oldest first. */
  async correctionsForPeriod(periodCode: string, db: AppDb = this.database.db): Promise<(StoredCorrection & { runId: number })[]> {
    const rows = await db
      .select({
        runId: factCorrections.runId,
        companyId: factCorrections.companyId,
        projectId: factCorrections.projectId,
        fact: factCorrections.fact,
        value: factCorrections.correctedValue,
        lineId: appealLines.lineId,
      })
      .from(factCorrections)
      .innerJoin(assessmentRuns, eq(assessmentRuns.id, factCorrections.runId))
      .innerJoin(appealLines, eq(appealLines.id, factCorrections.appealLineId))
      .where(eq(assessmentRuns.periodCode, periodCode))
      .orderBy(asc(factCorrections.id));
    return rows.map((r) => ({ ...r, value: jsonValue<StoredCorrection['value']>(r.value) }));
  }

  async streetExists(code: string): Promise<boolean> {
    const rows = await this.database.db.select({ id: streets.id }).from(streets).where(eq(streets.code, code));
    return rows.length > 0;
  }

  /** List entries still open, with how many periods in a row their condition has not held. */
  async openListEntries(unit: UnitOfWork, companyIds: number[]): Promise<OpenListEntry[]> {
    if (companyIds.length === 0) return [];
    const entries = await unit.db.select().from(listEntries).where(inArray(listEntries.companyId, companyIds)).orderBy(asc(listEntries.id));
    if (entries.length === 0) return [];
    const transitions = await unit.db
      .select()
      .from(listTransitions)
      .where(
        inArray(
          listTransitions.entryId,
          entries.map((e) => e.id),
        ),
      )
      .orderBy(asc(listTransitions.id));
    const byEntry = new Map<number, (typeof transitions)[number][]>();
    for (const t of transitions) byEntry.set(t.entryId, [...(byEntry.get(t.entryId) ?? []), t]);
    const open: OpenListEntry[] = [];
    for (const e of entries) {
      const history = byEntry.get(e.id) ?? [];
      if (history.some((t) => t.kind === 'exited' || t.kind === 'expired')) continue;
      const last = history[history.length - 1];
      open.push({
        entryId: e.id,
        companyId: e.companyId,
        list: e.list,
        severity: e.severity,
        startedOn: e.startedOn,
        minEndOn: e.minEndOn,
        maxEndOn: e.maxEndOn,
        clearStreak: last?.kind === 'cleared' ? last.streak : 0,
      });
    }
    return open;
  }

  /** A company's open entries, each with the run that entered it. */
  async openListEntriesOf(unit: UnitOfWork, companyId: number): Promise<(OpenListEntry & { enteredByRunId: number })[]> {
    const open = await this.openListEntries(unit, [companyId]);
    if (open.length === 0) return [];
    const rows = await unit.db
      .select({ id: listEntries.id, runId: listEntries.runId })
      .from(listEntries)
      .where(
        inArray(
          listEntries.id,
          open.map((e) => e.entryId),
        ),
      );
    const runOf = new Map(rows.map((r) => [r.id, r.runId]));
    return open.map((e) => ({ ...e, enteredByRunId: runOf.get(e.entryId)! }));
  }

  /** The transitions that compensate a changed result (an accepted appeal, a republication); each note says why. */
  async recordCompensation(unit: UnitOfWork, runId: number, transitions: ListTransition[], cause: ChangeCause): Promise<void> {
    await this.recordListTransitions(unit, runId, transitions, cause);
  }

  /**
   * `runId` null: a transition no run made (a credit repair). The notes are stored as the
   * sentences the renderer gives (list_entries.reason, list_transitions.note).
   */
  async recordListTransitions(unit: UnitOfWork, runId: number | null, transitions: ListTransition[], cause: ChangeCause = 'assessment'): Promise<void> {
    for (const t of transitions) {
      if (t.kind === 'entered') {
        if (runId === null) throw new Error('a list entry is entered by a run');
        const reason = noteText(t.note);
        const [entry] = await unit.db
          .insert(listEntries)
          .values({
            companyId: t.companyId,
            list: t.list,
            severity: t.severity,
            ruleId: t.rule,
            clause: t.clause,
            reason,
            startedOn: t.startedOn,
            minEndOn: t.minEndOn,
            maxEndOn: t.maxEndOn,
            runId,
          })
          .returning({ id: listEntries.id });
        await unit.db.insert(listTransitions).values({ entryId: entry.id, kind: 'entered', on: t.startedOn, note: reason, runId, cause });
      } else {
        await unit.db.insert(listTransitions).values({
          entryId: t.entryId,
          kind: t.kind,
          on: t.on,
          streak: t.kind === 'cleared' ? t.streak : 0,
          note: noteText(t.note),
          runId,
          cause,
        });
      }
    }
  }

  /** Credit events of the companies in the period, for the ledger. */
  async eventsBetween(unit: UnitOfWork, companyIds: number[], from: string, to: string): Promise<LedgerEvent[]> {
    if (companyIds.length === 0) return [];
    const rows = await unit.db
      .select({
        eventId: creditEvents.id,
        eventNo: creditEvents.eventNo,
        kind: creditEvents.kind,
        companyId: creditEvents.companyId,
        projectCode: projects.code,
        occurredOn: creditEvents.occurredOn,
        honourLevel: creditEvents.honourLevel,
        source: creditEvents.source,
        description: creditEvents.description,
        evidence: creditEvents.evidence,
      })
      .from(creditEvents)
      .leftJoin(projects, eq(projects.id, creditEvents.projectId))
      .where(and(inArray(creditEvents.companyId, companyIds), sql`${creditEvents.occurredOn} between ${from} and ${to}`));
    return rows;
  }

  async ledgeredEventIds(unit: UnitOfWork, eventIds: number[]): Promise<Set<number>> {
    if (eventIds.length === 0) return new Set();
    const rows = await unit.db
      .select({ eventId: ledgerEntries.eventId })
      .from(ledgerEntries)
      .where(and(inArray(ledgerEntries.eventId, eventIds), isNull(ledgerEntries.reversesEntryId)));
    return new Set(rows.map((r) => r.eventId!));
  }

  async appendLedgerEntries(unit: UnitOfWork, runId: number, entries: LedgerEntryDraft[], cause: ChangeCause = 'assessment'): Promise<void> {
    for (let i = 0; i < entries.length; i += 1000) {
      const batch = entries.slice(i, i + 1000).map((e) => ({ ...e, reason: noteText(e.reason), runId, cause }));
      if (batch.length > 0) await unit.db.insert(ledgerEntries).values(batch);
    }
  }

  async companyOutcomesOfRun(unit: UnitOfWork, runId: number) {
    return unit.db.select({ companyId: companyResults.companyId, outcome: companyResults.outcome }).from(companyResults).where(eq(companyResults.runId, runId));
  }

  /** The companies' list decisions in a run as they stand now (after any revision). */
  async currentListDecisions(unit: UnitOfWork, runId: number): Promise<Map<number, ListDecision[]>> {
    const rows = await unit.db
      .select({
        companyId: effectiveCompanyResults.companyId,
        lists: sql<unknown>`(case when jsonb_typeof(${effectiveCompanyResults.outcome}) = 'string' then (${effectiveCompanyResults.outcome} #>> '{}')::jsonb else ${effectiveCompanyResults.outcome} end) -> 'lists'`,
      })
      .from(effectiveCompanyResults)
      .where(eq(effectiveCompanyResults.runId, runId));
    return new Map(rows.map((r) => [r.companyId, jsonValue<ListDecision[] | null>(r.lists) ?? []]));
  }

  /** Ids of every run of a period and scope (every street, or one). */
  async runIdsOfPeriod(unit: UnitOfWork, periodCode: string, streetCode: string | null): Promise<Set<number>> {
    const rows = await unit.db
      .select({ id: assessmentRuns.id })
      .from(assessmentRuns)
      .where(
        and(eq(assessmentRuns.periodCode, periodCode), streetCode === null ? isNull(assessmentRuns.streetCode) : eq(assessmentRuns.streetCode, streetCode)),
      );
    return new Set(rows.map((r) => r.id));
  }

  /** Period codes of the published runs. */
  async publishedPeriods(unit: UnitOfWork): Promise<string[]> {
    const rows = await unit.db.selectDistinct({ periodCode: assessmentRuns.periodCode }).from(assessmentRuns).where(eq(assessmentRuns.status, 'published'));
    return rows.map((r) => r.periodCode);
  }
}
