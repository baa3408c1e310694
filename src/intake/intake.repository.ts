import { Inject, Injectable } from '@nestjs/common';
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { bufferedWriter, DATABASE, type BulkWriter, type Database, type UnitOfWork } from '../db/database.js';
import {
  assessmentPeriods,
  communities,
  DATA_TABLE_NAMES,
  companies,
  complaintTickets,
  creditEvents,
  feeRecords,
  partyChecks,
  projects,
  streets,
  surveyAnswers,
  threePartyRatings,
} from '../db/schema.js';
import { periodDates, periodsOfYear } from '../domain/period.js';
import type { CommunityRecord, CompanyRecord, FactKind, ProjectRecord, RecordTypes, StreetRecord } from './records.js';

/** How a load treats what is already stored. */
export type LoadMode =
  /** all data is cleared first and everything is appended (seeding) */
  | 'replace'
  /** records are inserted or, by natural key, updated (imports): loading the same file twice changes nothing */
  | 'merge';

/** Stored master data by natural key. */
export interface MasterIndex {
  streets: Map<string, number>;
  communities: Map<string, { id: number; streetCode: string }>;
  companies: Map<string, number>;
  projects: Map<string, { id: number; companyUscc: string }>;
}

export interface FactWriter<K extends FactKind> {
  add(record: RecordTypes[K]): Promise<void> | undefined;
  finish(): Promise<number>;
}

const UPSERT_BATCH_ROWS = 1000;

@Injectable()
export class IntakeRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  transaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.database.transaction(work);
  }

  async loadMasterIndex(unit: UnitOfWork): Promise<MasterIndex> {
    const [streetRows, communityRows, companyRows, projectRows] = await Promise.all([
      unit.db.select({ id: streets.id, code: streets.code }).from(streets),
      unit.db
        .select({ id: communities.id, code: communities.code, streetCode: streets.code })
        .from(communities)
        .innerJoin(streets, sql`${streets.id} = ${communities.streetId}`),
      unit.db.select({ id: companies.id, uscc: companies.uscc }).from(companies),
      unit.db
        .select({ id: projects.id, code: projects.code, companyUscc: companies.uscc })
        .from(projects)
        .innerJoin(companies, sql`${companies.id} = ${projects.companyId}`),
    ]);
    return {
      streets: new Map(streetRows.map((r) => [r.code, r.id])),
      communities: new Map(communityRows.map((r) => [r.code, { id: r.id, streetCode: r.streetCode }])),
      companies: new Map(companyRows.map((r) => [r.uscc, r.id])),
      projects: new Map(projectRows.map((r) => [r.code, { id: r.id, companyUscc: r.companyUscc }])),
    };
  }

  async clearAllData(unit: UnitOfWork): Promise<void> {
    await unit.db.execute(sql.raw(`TRUNCATE ${DATA_TABLE_NAMES.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`));
  }

  async saveStreets(unit: UnitOfWork, records: readonly StreetRecord[], index: MasterIndex): Promise<void> {
    const rows = records.map((r) => ({ code: r.code, name: r.name }));
    for (const saved of await this.upsertReturning(unit, streets, rows, [streets.code], { id: streets.id, code: streets.code })) {
      index.streets.set(saved.code, saved.id);
    }
  }

  async saveCommunities(unit: UnitOfWork, records: readonly CommunityRecord[], index: MasterIndex): Promise<void> {
    const rows = records.map((r) => ({ code: r.code, name: r.name, streetId: index.streets.get(r.streetCode)! }));
    const byCode = new Map(records.map((r) => [r.code, r]));
    for (const saved of await this.upsertReturning(unit, communities, rows, [communities.code], { id: communities.id, code: communities.code })) {
      index.communities.set(saved.code, { id: saved.id, streetCode: byCode.get(saved.code)!.streetCode });
    }
  }

  async saveCompanies(unit: UnitOfWork, records: readonly CompanyRecord[], index: MasterIndex): Promise<void> {
    const rows = records.map((r) => ({ uscc: r.uscc, name: r.name, hasPartyOrg: r.hasPartyOrg }));
    for (const saved of await this.upsertReturning(unit, companies, rows, [companies.uscc], { id: companies.id, uscc: companies.uscc })) {
      index.companies.set(saved.uscc, saved.id);
    }
  }

  async saveProjects(unit: UnitOfWork, records: readonly ProjectRecord[], index: MasterIndex): Promise<void> {
    const rows = records.map((r) => ({
      code: r.code,
      name: r.name,
      streetId: index.streets.get(r.streetCode)!,
      communityId: index.communities.get(r.communityCode)!.id,
      companyId: index.companies.get(r.companyUscc)!,
      households: r.households,
      occupiedHouseholds: r.occupiedHouseholds,
      floorAreaM2: r.floorAreaM2,
      hasPartyBranch: r.hasPartyBranch,
    }));
    const byCode = new Map(records.map((r) => [r.code, r]));
    for (const saved of await this.upsertReturning(unit, projects, rows, [projects.code], { id: projects.id, code: projects.code })) {
      index.projects.set(saved.code, { id: saved.id, companyUscc: byCode.get(saved.code)!.companyUscc });
    }
  }

  /** Fresh planner statistics after a bulk load (a new table has none: plans would spill to disk). */
  async analyze(unit: UnitOfWork): Promise<void> {
    await unit.db.execute(sql.raw(`ANALYZE ${[...DATA_TABLE_NAMES, 'input_digest_buckets'].map((t) => `"${t}"`).join(', ')}`));
  }

  /** The 19 periods of each year, created once. */
  async ensurePeriodsOfYears(unit: UnitOfWork, years: Iterable<number>): Promise<void> {
    const rows = [...years].flatMap((year) => periodsOfYear(year).map((p) => ({ code: p.code, kind: p.kind, year: p.year, ...periodDates(p) })));
    if (rows.length > 0) await unit.db.insert(assessmentPeriods).values(rows).onConflictDoNothing();
  }

  /**
   * A writer for one kind of fact. On replace the table is empty inside this transaction, so
   * its primary key and foreign keys are dropped and re-added after the bulk append: one sort
   * and one join instead of millions of index updates and per-row checks.
   */
  async factWriter<K extends FactKind>(unit: UnitOfWork, kind: K, mode: LoadMode, index: MasterIndex): Promise<FactWriter<K>> {
    const spec = FACT_TABLES[kind];
    const toRow = spec.toRow;
    if (mode === 'merge') {
      const writer = this.upsertWriter(unit, spec.table, spec.conflictTarget());
      return { add: (record) => writer.add(toRow(record, index)), finish: () => writer.finish() };
    }
    const keys = keyConstraints(spec.table);
    for (const key of keys) await unit.db.execute(sql.raw(`ALTER TABLE "${key.table}" DROP CONSTRAINT "${key.name}"`));
    const writer = unit.bulkWriter(spec.table);
    return {
      add: (record) => writer.add(toRow(record, index)),
      async finish() {
        const written = await writer.finish();
        for (const key of keys) await unit.db.execute(sql.raw(`ALTER TABLE "${key.table}" ADD CONSTRAINT "${key.name}" ${key.definition}`));
        return written;
      },
    };
  }

  private upsertWriter<T extends PgTable>(unit: UnitOfWork, table: T, target: PgColumn[]): BulkWriter<T> {
    return bufferedWriter(UPSERT_BATCH_ROWS, async (rows) => {
      await unit.db
        .insert(table)
        .values(rows as never)
        .onConflictDoUpdate({ target, set: excludedValues(table, target) });
    });
  }

  private async upsertReturning<T extends PgTable, R extends Record<string, PgColumn>>(
    unit: UnitOfWork,
    table: T,
    rows: T['$inferInsert'][],
    target: PgColumn[],
    returning: R,
  ): Promise<{ [K in keyof R]: R[K]['_']['data'] }[]> {
    const saved: { [K in keyof R]: R[K]['_']['data'] }[] = [];
    for (let i = 0; i < rows.length; i += UPSERT_BATCH_ROWS) {
      const batch = rows.slice(i, i + UPSERT_BATCH_ROWS);
      const result = await unit.db
        .insert(table)
        .values(batch as never)
        .onConflictDoUpdate({ target, set: excludedValues(table, target) })
        .returning(returning as never);
      saved.push(...(result as never[]));
    }
    return saved;
  }
}

/** The primary key and foreign keys of a table as the schema (and so the migrations) define them. */
function keyConstraints(table: PgTable): { table: string; name: string; definition: string }[] {
  const config = getTableConfig(table);
  const columns = (list: PgColumn[]) => list.map((c) => `"${c.name}"`).join(', ');
  const name = getTableName(table);
  return [
    ...config.primaryKeys.map((pk) => ({ table: name, name: pk.getName(), definition: `PRIMARY KEY (${columns(pk.columns)})` })),
    ...config.foreignKeys.map((fk) => {
      const ref = fk.reference();
      return {
        table: name,
        name: fk.getName(),
        definition: `FOREIGN KEY (${columns(ref.columns)}) REFERENCES "${getTableName(ref.foreignTable)}" (${columns(ref.foreignColumns)})`,
      };
    }),
  ];
}

/** `SET col = excluded.col` for every column but the key and the serial id. */
function excludedValues(table: PgTable, target: PgColumn[]): Record<string, SQL> {
  const keyNames = new Set(target.map((c) => c.name));
  const set: Record<string, SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (keyNames.has(column.name) || column.name === 'id') continue;
    set[key] = sql.raw(`excluded."${column.name}"`);
  }
  return set;
}

const firstOfMonth = (month: string) => `${month}-01`;

interface FactTableSpec<K extends FactKind> {
  table: PgTable;
  conflictTarget: () => PgColumn[];
  toRow: (record: RecordTypes[K], index: MasterIndex) => Record<string, unknown>;
}

const FACT_TABLES: { [K in FactKind]: FactTableSpec<K> } = {
  surveyAnswers: {
    table: surveyAnswers,
    conflictTarget: () => [surveyAnswers.projectId, surveyAnswers.month, surveyAnswers.respondentNo, surveyAnswers.questionNo],
    toRow: (r, index) => ({
      projectId: index.projects.get(r.projectCode)!.id,
      month: firstOfMonth(r.month),
      respondentNo: r.respondentNo,
      questionNo: r.questionNo,
      answer: r.answer,
      channel: r.channel,
    }),
  },
  complaints: {
    table: complaintTickets,
    conflictTarget: () => [complaintTickets.ticketNo],
    toRow: (r, index) => ({
      ticketNo: r.ticketNo,
      projectId: index.projects.get(r.projectCode)!.id,
      receivedAt: r.receivedAt,
      respondedAt: r.respondedAt,
      resolvedAt: r.resolvedAt,
      category: r.category,
      resolved: r.resolved,
      revisitVerdict: r.revisitVerdict,
    }),
  },
  fees: {
    table: feeRecords,
    conflictTarget: () => [feeRecords.projectId, feeRecords.month],
    toRow: (r, index) => ({
      projectId: index.projects.get(r.projectCode)!.id,
      month: firstOfMonth(r.month),
      billedAmount: r.billedAmount,
      collectedAmount: r.collectedAmount,
      householdsBilled: r.householdsBilled,
      householdsPaid: r.householdsPaid,
    }),
  },
  partyChecks: {
    table: partyChecks,
    conflictTarget: () => [partyChecks.projectId, partyChecks.companyId, partyChecks.periodCode, partyChecks.indicatorCode],
    toRow: (r, index) => ({
      scope: r.scope,
      projectId: r.scope === 'project' ? index.projects.get(r.projectCode!)!.id : null,
      companyId: r.scope === 'company' ? index.companies.get(r.companyUscc!)! : null,
      periodCode: r.period,
      indicatorCode: r.indicatorCode,
      value: r.value,
      evidence: r.evidence,
    }),
  },
  events: {
    table: creditEvents,
    conflictTarget: () => [creditEvents.eventNo],
    toRow: (r, index) => ({
      eventNo: r.eventNo,
      kind: r.kind,
      companyId: index.companies.get(r.companyUscc)!,
      projectId: r.projectCode ? index.projects.get(r.projectCode)!.id : null,
      occurredOn: r.occurredOn,
      honourLevel: r.honourLevel,
      source: r.source,
      description: r.description,
      evidence: r.evidence,
    }),
  },
  ratings: {
    table: threePartyRatings,
    conflictTarget: () => [threePartyRatings.projectId, threePartyRatings.periodCode, threePartyRatings.raterRole],
    toRow: (r, index) => ({
      projectId: index.projects.get(r.projectCode)!.id,
      periodCode: r.period,
      raterRole: r.raterRole,
      rating: r.rating,
    }),
  },
};
