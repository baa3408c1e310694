import { Inject, Injectable } from '@nestjs/common';
import type { AccessScope } from '../domain/access.js';
import { scopeFilter } from '../access/scope-filters.js';
import { and, asc, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { DATABASE, type Database, type UnitOfWork, jsonValue, resultRows } from '../db/database.js';
import {
  appealDecisions,
  appealLines,
  appealSheetExports,
  appeals,
  appSecrets,
  assessmentRuns,
  auditLog,
  companies,
  companyResults,
  companyRevisions,
  creditEvents,
  creditRepairs,
  effectiveCompanyResults,
  effectiveProjectResults,
  factCorrections,
  finalResults,
  ledgerEntries,
  listEntries,
  projectRevisions,
  projects,
  streets,
} from '../db/schema.js';
import type { StoredCompanyOutcome, StoredProjectOutcome } from '../assessment/stored-outcome.js';
import type { LedgeredEntry } from '../ledger/ledger-revision.js';

export type AppealLineRow = typeof appealLines.$inferSelect;
export type AppealLineState = AppealLineRow['state'];
export type NewAppealLine = typeof appealLines.$inferInsert;
export type DecisionRow = typeof appealDecisions.$inferSelect;
export type ExportRow = typeof appealSheetExports.$inferSelect;
export type CreditRepairRow = typeof creditRepairs.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditEntry {
  at: Date;
  actor: string;
  action: string;
  companyId: number | null;
  runId: number | null;
  subject: string;
  details: Record<string, unknown>;
}

/** A company's current result in a run, with the revision it is at (0: as published). */
export interface CurrentResult {
  revision: number;
  company: StoredCompanyOutcome;
  projects: (StoredProjectOutcome & { revision: number })[];
}

const OPEN_STATES: AppealLineState[] = ['submitted', 'bureau_review'];

/** Appeals, decisions, revisions, corrections, finality, credit repair and the audit log. */
@Injectable()
export class AppealsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  transaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.database.transaction(work);
  }

  private db(unit?: UnitOfWork) {
    return unit?.db ?? this.database.db;
  }

  /** A secret kept in the database, made on first use (concurrent first uses agree on one). */
  async secret(name: string, make: () => string): Promise<string> {
    await this.database.db.insert(appSecrets).values({ name, value: make() }).onConflictDoNothing();
    const [row] = await this.database.db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name));
    return row.value;
  }

  // ---- runs and companies ------------------------------------------------------------------

  async publishedRun(periodCode: string) {
    const [row] = await this.database.db
      .select({
        id: assessmentRuns.id,
        periodCode: assessmentRuns.periodCode,
        publishedAt: assessmentRuns.publishedAt,
        status: assessmentRuns.status,
        ruleSetFiles: assessmentRuns.ruleSetFiles,
      })
      .from(assessmentRuns)
      .where(and(eq(assessmentRuns.periodCode, periodCode), isNull(assessmentRuns.streetCode), eq(assessmentRuns.status, 'published')));
    return row;
  }

  async run(runId: number, unit?: UnitOfWork) {
    const [row] = await this.db(unit)
      .select({
        id: assessmentRuns.id,
        periodCode: assessmentRuns.periodCode,
        streetCode: assessmentRuns.streetCode,
        publishedAt: assessmentRuns.publishedAt,
        status: assessmentRuns.status,
        ruleSetFiles: assessmentRuns.ruleSetFiles,
      })
      .from(assessmentRuns)
      .where(eq(assessmentRuns.id, runId));
    return row;
  }

  /** Published runs of every street, with their publication time (for closing appeal windows). */
  async publishedRuns() {
    return this.database.db
      .select({
        id: assessmentRuns.id,
        periodCode: assessmentRuns.periodCode,
        publishedAt: assessmentRuns.publishedAt,
        ruleSetFiles: assessmentRuns.ruleSetFiles,
      })
      .from(assessmentRuns)
      .where(and(isNull(assessmentRuns.streetCode), eq(assessmentRuns.status, 'published')))
      .orderBy(asc(assessmentRuns.id));
  }

  async companyByUscc(uscc: string) {
    const [row] = await this.database.db
      .select({ id: companies.id, uscc: companies.uscc, name: companies.name })
      .from(companies)
      .where(eq(companies.uscc, uscc));
    return row;
  }

  async companyById(id: number) {
    const [row] = await this.database.db.select({ id: companies.id, uscc: companies.uscc, name: companies.name }).from(companies).where(eq(companies.id, id));
    return row;
  }

  /** Locks the company's published result row for the rest of the transaction: one revision at a time. */
  async lockCompanyResult(unit: UnitOfWork, runId: number, companyId: number): Promise<boolean> {
    const rows = await unit.db
      .select({ id: companyResults.companyId })
      .from(companyResults)
      .where(and(eq(companyResults.runId, runId), eq(companyResults.companyId, companyId)))
      .for('update');
    return rows.length > 0;
  }

  async currentResult(runId: number, companyId: number, unit?: UnitOfWork): Promise<CurrentResult | undefined> {
    const db = this.db(unit);
    const [company] = await db
      .select({ outcome: effectiveCompanyResults.outcome, revision: effectiveCompanyResults.revision })
      .from(effectiveCompanyResults)
      .where(and(eq(effectiveCompanyResults.runId, runId), eq(effectiveCompanyResults.companyId, companyId)));
    if (!company) return undefined;
    const projectRows = await db
      .select({ outcome: effectiveProjectResults.outcome, revision: effectiveProjectResults.revision })
      .from(effectiveProjectResults)
      .innerJoin(projects, eq(projects.id, effectiveProjectResults.projectId))
      .where(and(eq(effectiveProjectResults.runId, runId), eq(projects.companyId, companyId)))
      .orderBy(asc(projects.code));
    return {
      revision: Number(company.revision),
      company: jsonValue<StoredCompanyOutcome>(company.outcome),
      projects: projectRows.map((p) => ({ ...jsonValue<StoredProjectOutcome>(p.outcome), revision: Number(p.revision) })),
    };
  }

  async projectIdsByCode(companyId: number): Promise<Map<string, number>> {
    const rows = await this.database.db.select({ id: projects.id, code: projects.code }).from(projects).where(eq(projects.companyId, companyId));
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  // ---- sheets and appeals ------------------------------------------------------------------

  /** Reserves the id of the next export, so that the signature can cover it before the row is written. */
  async nextExportId(unit: UnitOfWork): Promise<number> {
    const [row] = resultRows<{ id: number }>(await unit.db.execute(sql`select nextval(pg_get_serial_sequence('appeal_sheet_exports', 'id'))::int as id`));
    return Number(row.id);
  }

  async insertExport(unit: UnitOfWork, row: typeof appealSheetExports.$inferInsert): Promise<void> {
    await unit.db.insert(appealSheetExports).values(row);
  }

  async findExport(id: number): Promise<ExportRow | undefined> {
    const [row] = await this.database.db.select().from(appealSheetExports).where(eq(appealSheetExports.id, id));
    return row;
  }

  async insertAppeal(unit: UnitOfWork, row: typeof appeals.$inferInsert): Promise<number> {
    const [inserted] = await unit.db.insert(appeals).values(row).returning({ id: appeals.id });
    return inserted.id;
  }

  async insertLine(unit: UnitOfWork, row: NewAppealLine): Promise<number> {
    const [inserted] = await unit.db.insert(appealLines).values(row).returning({ id: appealLines.id });
    return inserted.id;
  }

  /** The newest line per score-sheet line id of a company in a run. */
  async latestLines(runId: number, companyId: number, unit?: UnitOfWork): Promise<Map<string, AppealLineRow>> {
    const rows = await this.db(unit)
      .select()
      .from(appealLines)
      .where(and(eq(appealLines.runId, runId), eq(appealLines.companyId, companyId)))
      .orderBy(asc(appealLines.id));
    const latest = new Map<string, AppealLineRow>();
    for (const row of rows) latest.set(row.lineId, row);
    return latest;
  }

  async findLine(id: number, unit?: UnitOfWork): Promise<AppealLineRow | undefined> {
    const query = this.db(unit).select().from(appealLines).where(eq(appealLines.id, id));
    const [row] = unit ? await query.for('update') : await query;
    return row;
  }

  /** Marks a line replaced only while it is still `submitted`; false when a review got there first. */
  async replaceIfSubmitted(unit: UnitOfWork, id: number): Promise<boolean> {
    const rows = await unit.db
      .update(appealLines)
      .set({ state: 'replaced' })
      .where(and(eq(appealLines.id, id), eq(appealLines.state, 'submitted')))
      .returning({ id: appealLines.id });
    return rows.length === 1;
  }

  async setLineState(unit: UnitOfWork, id: number, state: AppealLineState): Promise<void> {
    await unit.db.update(appealLines).set({ state }).where(eq(appealLines.id, id));
  }

  async insertDecision(unit: UnitOfWork, row: typeof appealDecisions.$inferInsert): Promise<void> {
    await unit.db.insert(appealDecisions).values(row);
  }

  async decisionsOf(lineIds: readonly number[]): Promise<DecisionRow[]> {
    if (lineIds.length === 0) return [];
    return this.database.db
      .select()
      .from(appealDecisions)
      .where(inArray(appealDecisions.appealLineId, [...lineIds]))
      .orderBy(asc(appealDecisions.id));
  }

  async lastRejection(lineId: number, unit?: UnitOfWork): Promise<DecisionRow | undefined> {
    const [row] = await this.db(unit)
      .select()
      .from(appealDecisions)
      .where(and(eq(appealDecisions.appealLineId, lineId), eq(appealDecisions.outcome, 'reject')))
      .orderBy(desc(appealDecisions.id))
      .limit(1);
    return row;
  }

  /** Appeal lines with their company and period, newest first, filtered. */
  /** Appeal lines in scope: a project's line by its project, a company-level line by its company. */
  async listLines(filter: { companyId?: number; periodCode?: string; states?: AppealLineState[] }, scope: AccessScope) {
    const conditions = [scopeFilter.subject(scope, sql`${appealLines.companyId}`, sql`${appealLines.projectId}`)];
    if (filter.companyId !== undefined) conditions.push(eq(appealLines.companyId, filter.companyId));
    if (filter.periodCode !== undefined) conditions.push(eq(assessmentRuns.periodCode, filter.periodCode));
    if (filter.states && filter.states.length > 0) conditions.push(inArray(appealLines.state, filter.states));
    return this.database.db
      .select({ line: appealLines, uscc: companies.uscc, companyName: companies.name, periodCode: assessmentRuns.periodCode, streetCode: streets.code })
      .from(appealLines)
      .innerJoin(companies, eq(companies.id, appealLines.companyId))
      .innerJoin(assessmentRuns, eq(assessmentRuns.id, appealLines.runId))
      .leftJoin(projects, eq(projects.id, appealLines.projectId))
      .leftJoin(streets, eq(streets.id, projects.streetId))
      .where(and(...conditions))
      .orderBy(asc(appealLines.id));
  }

  /** Whether an appeal line is in scope (see listLines). */
  async lineInScope(id: number, scope: AccessScope, unit?: UnitOfWork): Promise<boolean> {
    const rows = await (unit?.db ?? this.database.db)
      .select({ id: appealLines.id })
      .from(appealLines)
      .where(and(eq(appealLines.id, id), scopeFilter.subject(scope, sql`${appealLines.companyId}`, sql`${appealLines.projectId}`)));
    return rows.length > 0;
  }

  // ---- revisions ---------------------------------------------------------------------------

  async insertRevision(
    unit: UnitOfWork,
    row: {
      runId: number;
      companyId: number;
      revision: number;
      score: number | null;
      grade: string | null;
      outcome: unknown;
      reason: string;
      createdBy: string;
      createdAt: Date;
    },
  ): Promise<number> {
    const [inserted] = await unit.db
      .insert(companyRevisions)
      .values({ ...row, outcome: row.outcome })
      .returning({ id: companyRevisions.id });
    return inserted.id;
  }

  async insertProjectRevisions(
    unit: UnitOfWork,
    rows: {
      revisionId: number;
      runId: number;
      projectId: number;
      revision: number;
      assessed: boolean;
      total: number | null;
      stars: number | null;
      outcome: unknown;
    }[],
  ): Promise<void> {
    if (rows.length > 0) await unit.db.insert(projectRevisions).values(rows.map((r) => ({ ...r, outcome: r.outcome as never })));
  }

  async insertCorrection(unit: UnitOfWork, row: typeof factCorrections.$inferInsert): Promise<void> {
    await unit.db.insert(factCorrections).values(row);
  }

  async revisionsOf(runId: number, companyId: number) {
    return this.database.db
      .select({
        revision: companyRevisions.revision,
        score: companyRevisions.score,
        grade: companyRevisions.grade,
        reason: companyRevisions.reason,
        createdBy: companyRevisions.createdBy,
        createdAt: companyRevisions.createdAt,
      })
      .from(companyRevisions)
      .where(and(eq(companyRevisions.runId, runId), eq(companyRevisions.companyId, companyId)))
      .orderBy(asc(companyRevisions.revision));
  }

  /** The company's ledger entries for events in a date range, with what a reversal needs to choose them. */
  async ledgerEntriesForEvents(unit: UnitOfWork, companyId: number, from: string, to: string): Promise<LedgeredEntry[]> {
    const rows = await unit.db
      .select({
        entry: ledgerEntries,
        eventNo: creditEvents.eventNo,
        eventKind: creditEvents.kind,
        honourLevel: creditEvents.honourLevel,
        projectCode: projects.code,
      })
      .from(ledgerEntries)
      .innerJoin(creditEvents, eq(creditEvents.id, ledgerEntries.eventId))
      .leftJoin(projects, eq(projects.id, creditEvents.projectId))
      .where(and(eq(ledgerEntries.companyId, companyId), sql`${creditEvents.occurredOn} between ${from} and ${to}`))
      .orderBy(asc(ledgerEntries.id));
    const reversed = new Set(rows.map((r) => r.entry.reversesEntryId).filter((id): id is number => id !== null));
    return rows.map((r) => ({
      entryId: r.entry.id,
      companyId: r.entry.companyId,
      eventId: r.entry.eventId,
      entryDate: r.entry.entryDate,
      points: r.entry.points,
      reason: r.entry.reason,
      ruleId: r.entry.ruleId,
      evidence: r.entry.evidence,
      validFrom: r.entry.validFrom,
      validTo: r.entry.validTo,
      reversesEntryId: r.entry.reversesEntryId,
      eventNo: r.eventNo,
      eventKind: r.eventKind,
      honourLevel: r.honourLevel,
      projectCode: r.projectCode,
      reversed: reversed.has(r.entry.id),
    }));
  }

  // ---- finality ----------------------------------------------------------------------------

  /** Companies of a run not final yet, with whether an appeal of theirs is open or may still be answered. */
  async companiesNotFinal(runId: number): Promise<{ companyId: number; revision: number }[]> {
    const rows = await this.database.db
      .select({ companyId: effectiveCompanyResults.companyId, revision: effectiveCompanyResults.revision })
      .from(effectiveCompanyResults)
      .leftJoin(finalResults, and(eq(finalResults.runId, effectiveCompanyResults.runId), eq(finalResults.companyId, effectiveCompanyResults.companyId)))
      .where(and(eq(effectiveCompanyResults.runId, runId), isNull(finalResults.runId)));
    return rows.map((r) => ({ companyId: r.companyId, revision: Number(r.revision) }));
  }

  async openLineCompanies(runId: number): Promise<Set<number>> {
    const rows = await this.database.db
      .selectDistinct({ companyId: appealLines.companyId })
      .from(appealLines)
      .where(and(eq(appealLines.runId, runId), inArray(appealLines.state, OPEN_STATES)));
    return new Set(rows.map((r) => r.companyId));
  }

  /** Round-1 rejections: their companies may still answer them once, within the answer period. */
  async answerableRejections(runId: number) {
    return this.database.db
      .select({ companyId: appealLines.companyId, lineId: appealLines.lineId, decidedAt: appealDecisions.decidedAt })
      .from(appealLines)
      .innerJoin(appealDecisions, and(eq(appealDecisions.appealLineId, appealLines.id), eq(appealDecisions.outcome, 'reject')))
      .where(
        and(
          eq(appealLines.runId, runId),
          eq(appealLines.state, 'rejected'),
          eq(appealLines.round, 1),
          // not answered already
          sql`not exists (select 1 from appeal_lines later where later.run_id = ${appealLines.runId} and later.line_id = ${appealLines.lineId} and later.id > ${appealLines.id})`,
        ),
      );
  }

  async insertFinal(unit: UnitOfWork, rows: { runId: number; companyId: number; revision: number; finalizedAt: Date }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000)
      await unit.db
        .insert(finalResults)
        .values(rows.slice(i, i + 1000))
        .onConflictDoNothing();
  }

  async finalOf(runId: number, companyId: number, unit?: UnitOfWork) {
    const [row] = await this.db(unit)
      .select()
      .from(finalResults)
      .where(and(eq(finalResults.runId, runId), eq(finalResults.companyId, companyId)));
    return row;
  }

  // ---- credit repair -------------------------------------------------------------------------

  async listEntry(entryId: number, unit?: UnitOfWork) {
    const [row] = await this.db(unit).select().from(listEntries).where(eq(listEntries.id, entryId));
    return row;
  }

  async insertRepair(unit: UnitOfWork, row: typeof creditRepairs.$inferInsert): Promise<number> {
    const [inserted] = await unit.db.insert(creditRepairs).values(row).returning({ id: creditRepairs.id });
    return inserted.id;
  }

  async findRepair(id: number, unit?: UnitOfWork): Promise<CreditRepairRow | undefined> {
    const query = this.db(unit).select().from(creditRepairs).where(eq(creditRepairs.id, id));
    const [row] = unit ? await query.for('update') : await query;
    return row;
  }

  async openRepairOf(entryId: number, unit?: UnitOfWork): Promise<CreditRepairRow | undefined> {
    const [row] = await this.db(unit)
      .select()
      .from(creditRepairs)
      .where(and(eq(creditRepairs.entryId, entryId), eq(creditRepairs.state, 'applied')));
    return row;
  }

  async decideRepair(
    unit: UnitOfWork,
    id: number,
    decision: { state: 'approved' | 'refused'; decidedBy: string; decisionReason: string; decidedAt: Date },
  ): Promise<void> {
    await unit.db.update(creditRepairs).set(decision).where(eq(creditRepairs.id, id));
  }

  /** Credit repair applications of companies in scope. */
  async repairsOf(scope: AccessScope, companyId?: number) {
    const conditions = [scopeFilter.company(scope, sql`${creditRepairs.companyId}`)];
    if (companyId !== undefined) conditions.push(eq(creditRepairs.companyId, companyId));
    return this.database.db
      .select({ repair: creditRepairs, uscc: companies.uscc, companyName: companies.name })
      .from(creditRepairs)
      .innerJoin(companies, eq(companies.id, creditRepairs.companyId))
      .where(and(...conditions))
      .orderBy(asc(creditRepairs.id));
  }

  // ---- audit ----------------------------------------------------------------------------------

  async audit(unit: UnitOfWork, entries: AuditEntry | AuditEntry[]): Promise<void> {
    const rows = Array.isArray(entries) ? entries : [entries];
    for (let i = 0; i < rows.length; i += 1000) if (rows.length > 0) await unit.db.insert(auditLog).values(rows.slice(i, i + 1000));
  }

  async auditOf(companyId: number, upTo?: Date): Promise<AuditRow[]> {
    return this.database.db
      .select()
      .from(auditLog)
      .where(upTo ? and(eq(auditLog.companyId, companyId), lte(auditLog.at, upTo)) : eq(auditLog.companyId, companyId))
      .orderBy(asc(auditLog.id));
  }
}
