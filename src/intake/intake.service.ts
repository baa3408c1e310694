import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError, MAX_REPORTED_FAULTS, ValidationFailedError, type Fault } from '../domain/errors.js';
import type { UnitOfWork } from '../db/database.js';
import { IntakeRepository, type LoadMode, type MasterIndex } from './intake.repository.js';
import { batchOfJson } from './json-records.js';
import { naturalKey, validateRecord, type References } from './record-validation.js';
import {
  FACT_KINDS,
  MASTER_KINDS,
  RECORD_LABELS,
  type FactKind,
  type MasterKind,
  type RecordBatch,
  type RecordKind,
  type RecordOrigin,
  type RecordTypes,
  type Sourced,
} from './records.js';

export type LoadCounts = Record<RecordKind, number>;

export interface LoadOptions {
  mode: LoadMode;
  /** called now and then with the number of records of a kind taken so far */
  onProgress?: (kind: RecordKind, count: number) => void;
}

const PROGRESS_EVERY = 1_000_000;
const PG_UNIQUE_VIOLATION = '23505';

/**
 * The one way data gets in: seeds, file imports and the API all load through here.
 * Every record is validated; a load lands whole or not at all.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);

  constructor(
    private readonly repository: IntakeRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Records sent as JSON (fields of the import templates), merged by natural keys; date-times in the configured time zone. */
  loadJson(records: Readonly<Record<string, readonly Record<string, unknown>[] | undefined>>): Promise<LoadCounts> {
    return this.load(batchOfJson(records, this.config.timeZone), { mode: 'merge' });
  }

  async load(batch: RecordBatch, options: LoadOptions): Promise<LoadCounts> {
    try {
      return await this.repository.transaction((unit) => this.loadInTransaction(unit, batch, options));
    } catch (error) {
      throw translateStorageError(error);
    }
  }

  private async loadInTransaction(unit: UnitOfWork, batch: RecordBatch, options: LoadOptions): Promise<LoadCounts> {
    if (options.mode === 'replace') await this.repository.clearAllData(unit);
    const index = await this.repository.loadMasterIndex(unit);
    const faults = new FaultCollector();
    const counts = Object.fromEntries([...MASTER_KINDS, ...FACT_KINDS].map((k) => [k, 0])) as LoadCounts;
    const years = new Set<number>();

    // Master data may refer to records of the same load: admit all keys first, then check references.
    const pending = pendingMasterIndex(index, batch);
    const refs = referencesOf(pending);
    for (const kind of MASTER_KINDS) {
      const records = (batch[kind] ?? []) as readonly Sourced<RecordTypes[typeof kind]>[];
      const seen = new Set<string>();
      for (const item of records) {
        const key = naturalKey(kind, item.record);
        if (seen.has(key)) faults.add(kind, item, [{ field: keyField(kind), code: 'DUPLICATE_KEY', message: `同一批数据中“${key}”重复出现` }]);
        seen.add(key);
        faults.add(kind, item, validateRecord(kind, item.record, refs));
      }
      counts[kind] = records.length;
    }
    if (faults.none) await this.saveMasters(unit, batch, index);

    for (const kind of FACT_KINDS) {
      const stream = batch[kind];
      if (!stream) continue;
      counts[kind] = await this.loadFacts(unit, kind, stream as Iterable<Sourced<RecordTypes[typeof kind]>>, {
        mode: options.mode,
        index,
        refs,
        faults,
        years,
        onProgress: options.onProgress,
      });
    }

    if (!faults.none) throw new ValidationFailedError(faults.reported, faults.total);
    await this.repository.ensurePeriodsOfYears(unit, years);
    if (options.mode === 'replace') await this.repository.analyze(unit);
    return counts;
  }

  private async saveMasters(unit: UnitOfWork, batch: RecordBatch, index: MasterIndex): Promise<void> {
    const records = <K extends MasterKind>(kind: K) => ((batch[kind] ?? []) as readonly Sourced<RecordTypes[K]>[]).map((s) => s.record);
    await this.repository.saveStreets(unit, records('streets'), index);
    await this.repository.saveCommunities(unit, records('communities'), index);
    await this.repository.saveCompanies(unit, records('companies'), index);
    await this.repository.saveProjects(unit, records('projects'), index);
  }

  private async loadFacts<K extends FactKind>(
    unit: UnitOfWork,
    kind: K,
    stream: Iterable<Sourced<RecordTypes[K]>> | AsyncIterable<Sourced<RecordTypes[K]>>,
    context: {
      mode: LoadMode;
      index: MasterIndex;
      refs: References;
      faults: FaultCollector;
      years: Set<number>;
      onProgress?: (kind: RecordKind, count: number) => void;
    },
  ): Promise<number> {
    const { faults, refs, years } = context;
    const writer = await this.repository.factWriter(unit, kind, context.mode, context.index);
    // A merge must see each key once (PostgreSQL refuses to update a row twice in one statement);
    // on replace the primary keys catch repeats without holding millions of keys here.
    const seen = context.mode === 'merge' ? new Set<string>() : null;
    let count = 0;
    for await (const item of stream) {
      count++;
      if (count % PROGRESS_EVERY === 0) context.onProgress?.(kind, count);
      const fieldFaults = validateRecord(kind, item.record, refs);
      if (fieldFaults) {
        faults.add(kind, item, fieldFaults);
        continue;
      }
      if (seen) {
        const key = naturalKey(kind, item.record);
        if (seen.has(key)) {
          faults.add(kind, item, [{ field: keyField(kind), code: 'DUPLICATE_KEY', message: `同一批数据中“${key}”重复出现` }]);
          continue;
        }
        seen.add(key);
      }
      const year = yearOf(kind, item.record);
      if (year !== undefined) years.add(year);
      if (faults.none) {
        const wait = writer.add(item.record);
        if (wait) await wait;
      }
    }
    if (faults.none) {
      await writer.finish();
      this.logger.log(`${kind}: ${count} records`);
    }
    return count;
  }
}

class FaultCollector {
  readonly reported: Fault[] = [];
  total = 0;
  get none(): boolean {
    return this.total === 0;
  }
  add<K extends RecordKind>(kind: K, item: Sourced<RecordTypes[K]>, fieldFaults: readonly { field: string; code: string; message: string }[] | null): void {
    if (!fieldFaults) return;
    for (const fault of fieldFaults) {
      this.total++;
      if (this.reported.length < MAX_REPORTED_FAULTS) {
        this.reported.push({ record: describeRecord(kind, item.record, item.origin), ...(item.origin ? { origin: item.origin } : {}), ...fault });
      }
    }
  }
}

export function describeRecord<K extends RecordKind>(kind: K, record: RecordTypes[K], origin?: RecordOrigin): string {
  const parts: string[] = [];
  if (origin?.file) parts.push(`文件 ${origin.file}`);
  if (origin?.sheet) parts.push(`工作表 ${origin.sheet}`);
  if (origin?.row !== undefined) parts.push(`第 ${origin.row} 行`);
  parts.push(`${RECORD_LABELS[kind]} ${naturalKey(kind, record)}`);
  return parts.join(' / ');
}

function keyField(kind: RecordKind): string {
  return { streets: 'code', communities: 'code', companies: 'uscc', projects: 'code', complaints: 'ticketNo', events: 'eventNo' }[kind as string] ?? 'key';
}

function pendingMasterIndex(index: MasterIndex, batch: RecordBatch) {
  const streets = new Set(index.streets.keys());
  const communities = new Map([...index.communities].map(([code, c]) => [code, c.streetCode]));
  const companies = new Set(index.companies.keys());
  const projects = new Map([...index.projects].map(([code, p]) => [code, p.companyUscc]));
  for (const { record } of batch.streets ?? []) streets.add(record.code);
  for (const { record } of batch.communities ?? []) communities.set(record.code, record.streetCode);
  for (const { record } of batch.companies ?? []) companies.add(record.uscc);
  for (const { record } of batch.projects ?? []) projects.set(record.code, record.companyUscc);
  return { streets, communities, companies, projects };
}

function referencesOf(pending: ReturnType<typeof pendingMasterIndex>): References {
  return {
    hasStreet: (code) => pending.streets.has(code),
    communityStreet: (code) => pending.communities.get(code),
    hasCompany: (uscc) => pending.companies.has(uscc),
    projectCompany: (code) => pending.projects.get(code),
  };
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

function yearOf<K extends FactKind>(kind: K, record: RecordTypes[K]): number | undefined {
  const r = record as unknown as Record<string, unknown>;
  switch (kind) {
    case 'surveyAnswers':
    case 'fees':
      return Number(String(r.month).slice(0, 4));
    case 'partyChecks':
    case 'ratings':
      return Number(String(r.period).slice(0, 4));
    case 'events':
      return Number(String(r.occurredOn).slice(0, 4));
    case 'complaints':
      return new Date((r.receivedAt as Date).getTime() + CHINA_OFFSET_MS).getUTCFullYear();
    default:
      return undefined;
  }
}

/** A repeat the validation could not see (already stored under another load) reaches us as a key violation. */
function translateStorageError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  // drizzle wraps the driver's error; COPY errors come from postgres.js directly
  const cause = (error as { cause?: unknown })?.cause;
  const pg = ((cause as { code?: string })?.code ? cause : error) as { code?: string; detail?: string; table_name?: string };
  if (pg?.code === PG_UNIQUE_VIOLATION) {
    return new DomainError(
      'DUPLICATE_KEY',
      `duplicate key${pg.table_name ? ` in ${pg.table_name}` : ''}: ${pg.detail ?? ''}; nothing was written`,
      `数据重复${pg.table_name ? `（${pg.table_name}）` : ''}：${pg.detail ?? ''}，未写入任何数据`,
    );
  }
  return error;
}
