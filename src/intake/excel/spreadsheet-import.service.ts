import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ValidationFailedError } from '../../domain/errors.js';
import { IntakeService } from '../intake.service.js';
import type { FieldFault } from '../record-validation.js';
import { FACT_KINDS, MASTER_KINDS, type FactKind, type MasterKind, type RecordKind, type RecordOrigin, type RecordTypes, type Sourced } from '../records.js';
import { ErrorWorkbookWriter } from './error-workbook.js';
import { FAMILY_NAMES, isFamilyName, sheetSpecByName, columnLabel } from './families.js';
import { ImportChecker, type MasterRecords } from './import-check.js';
import { importErrors, ImportRejectedError } from './import-errors.js';
import { FaultBook, type ImportFault } from './import-faults.js';
import { ImportReferencesRepository } from './import-references.repository.js';
import { scanTable, type TabularFile } from './sheet-scan.js';
import { DEFAULT_IMPORT_LIMITS, openSpreadsheet, type ImportLimits } from './spreadsheet-file.js';

/** Caps of imports (defaults in DEFAULT_IMPORT_LIMITS); a module may provide others. */
export const IMPORT_LIMITS = Symbol('IMPORT_LIMITS');

export interface ImportOptions {
  /** check everything and report what would be stored, writing nothing */
  readonly dryRun?: boolean;
  /** a CSV's family when its header alone does not tell */
  readonly family?: string;
  /** tighter or looser caps for this import */
  readonly limits?: Partial<ImportLimits>;
}

export interface ImportOutcome {
  readonly file: string;
  readonly dryRun: boolean;
  /** records per kind: stored (or, on a dry run, that would be) */
  readonly counts: Partial<Record<RecordKind, number>>;
  /** master records new to the database and already stored (updated by the import) */
  readonly masters: Partial<Record<MasterKind, { added: number; updated: number }>>;
  readonly seconds: number;
}

const isMaster = (kind: RecordKind): kind is MasterKind => (MASTER_KINDS as readonly RecordKind[]).includes(kind);

/**
 * Imports a filled template (.xlsx) or a CSV through the one write path, IntakeService.
 *
 * 1. scan: every row is parsed (cell faults collected), master rows kept (they are few),
 *    fact rows checked at once when no master sheet precedes them;
 * 2. check: master rows, and fact rows that refer to them, are checked with the intake's own
 *    rules (ImportChecker) without writing;
 * 3. any fault: nothing is loaded; an error workbook is written and the import refused.
 *    Dry run: the counts are returned. Otherwise the file is streamed again into
 *    IntakeService.load (merge by natural keys, one transaction), which checks once more.
 */
@Injectable()
export class SpreadsheetImportService {
  private readonly logger = new Logger(SpreadsheetImportService.name);
  private readonly limits: ImportLimits;

  constructor(
    private readonly intake: IntakeService,
    private readonly references: ImportReferencesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(IMPORT_LIMITS) limits?: ImportLimits,
  ) {
    this.limits = limits ?? DEFAULT_IMPORT_LIMITS;
  }

  async importFile(path: string, options: ImportOptions = {}): Promise<ImportOutcome> {
    const started = performance.now();
    if (options.family !== undefined && !isFamilyName(options.family)) throw importErrors.familyInvalid(options.family, FAMILY_NAMES);
    const family = options.family;
    const limits: ImportLimits = { ...this.limits, ...options.limits };
    const file = await openSpreadsheet(path, limits);
    const scanOptions = { timeZone: this.config.timeZone, maxRows: limits.maxRows, family };

    const book = new FaultBook();
    const checker = new ImportChecker(await this.references.storedMasterKeys());
    const masters: MasterRecords = { streets: [], communities: [], companies: [], projects: [] };
    const counts: Partial<Record<RecordKind, number>> = {};
    const factKinds = new Set<FactKind>();
    let masterSheetSeen = false;
    // fact faults found before a master sheet turned up: dropped if one does (they are checked again)
    const earlyFactFaults: ImportFault[] = [];

    for await (const event of scanTable(file, scanOptions)) {
      if (event.type === 'fault') {
        book.add(event.fault);
        continue;
      }
      const kind = event.layout.spec.kind;
      if (event.type === 'sheet') {
        if (isMaster(kind)) masterSheetSeen = true;
        continue;
      }
      counts[kind] = (counts[kind] ?? 0) + 1;
      const origin = { file: file.fileName, sheet: event.name, row: event.row.number };
      if (event.parsed.kind === 'faulty') {
        for (const f of event.parsed.faults) book.add(importFault(kind, origin, f));
        if (!isMaster(kind)) factKinds.add(kind);
        continue;
      }
      const record = event.parsed.values;
      if (isMaster(kind)) {
        (masters[kind] as Sourced<unknown>[]).push({ record, origin });
        continue;
      }
      factKinds.add(kind);
      if (!masterSheetSeen) {
        const faults = checker.checkFact(kind, record as never);
        if (faults) for (const f of faults) earlyFactFaults.push(importFault(kind, origin, f));
      }
    }
    if (Object.keys(counts).length === 0 && book.none) throw importErrors.noData(file.fileName);

    checker.admitMasters(masters);
    checker.checkMasters(masters, (kind, item, faults) => {
      for (const f of faults) book.add(importFault(kind, item.origin!, f));
    });
    if (masterSheetSeen && factKinds.size > 0) {
      checker.resetFacts();
      await this.checkFacts(file, scanOptions, factKinds, checker, book);
    } else {
      for (const f of earlyFactFaults) book.add(f);
    }

    if (!book.none) throw await this.reject(file, path, scanOptions, book);
    const masterChanges = this.masterChanges(masters, checker);
    if (options.dryRun) {
      this.logger.log(`${file.fileName}: dry run passed`);
      return { file: file.fileName, dryRun: true, counts, masters: masterChanges, seconds: (performance.now() - started) / 1000 };
    }

    const batch: Record<string, unknown> = {};
    for (const kind of MASTER_KINDS) if (masters[kind].length > 0) batch[kind] = masters[kind];
    for (const kind of FACT_KINDS) if (factKinds.has(kind)) batch[kind] = this.facts(file, scanOptions, kind);
    let loaded: Record<RecordKind, number>;
    try {
      loaded = await this.intake.load(batch, { mode: 'merge' });
    } catch (error) {
      // stored data changed between the check and the load: the intake's faults name rows too
      if (error instanceof ValidationFailedError) throw await this.reject(file, path, scanOptions, bookOf(file.fileName, error));
      throw error;
    }
    const stored: Partial<Record<RecordKind, number>> = {};
    for (const [kind, n] of Object.entries(loaded) as [RecordKind, number][]) if (n > 0) stored[kind] = n;
    this.logger.log(`${file.fileName}: imported ${JSON.stringify(stored)}`);
    return { file: file.fileName, dryRun: false, counts: stored, masters: masterChanges, seconds: (performance.now() - started) / 1000 };
  }

  /** The error workbook's path for an import file: `<reportsDir>/import-errors/<name>.错误.xlsx`. */
  errorWorkbookPath(path: string): string {
    const name = basename(path, extname(path));
    return join(this.config.reportsDir, 'import-errors', `${name}.错误.xlsx`);
  }

  private async checkFacts(
    file: TabularFile,
    scanOptions: Parameters<typeof scanTable>[1],
    kinds: ReadonlySet<FactKind>,
    checker: ImportChecker,
    book: FaultBook,
  ): Promise<void> {
    for await (const event of scanTable(file, { ...scanOptions, only: kinds })) {
      if (event.type !== 'row' || event.parsed.kind !== 'record') continue;
      const kind = event.layout.spec.kind as FactKind;
      const faults = checker.checkFact(kind, event.parsed.values as never);
      if (faults) for (const f of faults) book.add(importFault(kind, { file: file.fileName, sheet: event.name, row: event.row.number }, f));
    }
  }

  /** One kind's records streamed from the file into the load (read again for each kind). */
  private async *facts<K extends FactKind>(file: TabularFile, scanOptions: Parameters<typeof scanTable>[1], kind: K): AsyncGenerator<Sourced<RecordTypes[K]>> {
    for await (const event of scanTable(file, { ...scanOptions, only: new Set([kind]) })) {
      if (event.type !== 'row') continue;
      if (event.parsed.kind !== 'record')
        throw new Error(`${file.fileName} changed while it was being imported (sheet ${event.name}, row ${event.row.number})`);
      yield { record: event.parsed.values as unknown as RecordTypes[K], origin: { file: file.fileName, sheet: event.name, row: event.row.number } };
    }
  }

  private masterChanges(masters: MasterRecords, checker: ImportChecker): ImportOutcome['masters'] {
    const result: Record<string, { added: number; updated: number }> = {};
    for (const kind of MASTER_KINDS) {
      const records = masters[kind] as unknown as Sourced<Record<string, unknown>>[];
      if (records.length === 0) continue;
      const key = kind === 'companies' ? 'uscc' : 'code';
      const updated = records.filter((r) => checker.isStored(kind, String(r.record[key]))).length;
      result[kind] = { added: records.length - updated, updated };
    }
    return result;
  }

  /** Writes the error workbook (reading the file once more) and returns the refusal to throw. */
  private async reject(file: TabularFile, path: string, scanOptions: Parameters<typeof scanTable>[1], book: FaultBook): Promise<ImportRejectedError> {
    const target = this.errorWorkbookPath(path);
    await mkdir(join(this.config.reportsDir, 'import-errors'), { recursive: true });
    const writer = ErrorWorkbookWriter.create(target, book, { fileName: file.fileName, generatedAt: new Date() });
    for await (const event of scanTable(file, scanOptions)) {
      if (event.type === 'sheet') writer.beginSheet(event.name, event.layout, event.header, event.preamble);
      else if (event.type === 'row') writer.addRow(event.row);
    }
    await writer.finish();
    this.logger.log(`${file.fileName}: ${book.total} fault(s), error workbook ${target}`);
    return new ImportRejectedError(file.fileName, target, book.total, book.first);
  }
}

function importFault(kind: RecordKind, origin: RecordOrigin, fault: FieldFault): ImportFault {
  return {
    file: origin.file ?? '',
    sheet: origin.sheet ?? '',
    ...(origin.row !== undefined ? { row: origin.row } : {}),
    field: fault.field,
    ...(columnLabel(kind, fault.field) ? { column: columnLabel(kind, fault.field) } : {}),
    code: fault.code,
    message: fault.message,
  };
}

/** The intake's faults (with file origins) as an import's fault book. */
function bookOf(fileName: string, error: ValidationFailedError): FaultBook {
  const book = new FaultBook();
  for (const fault of error.faults) {
    const sheet = fault.origin?.sheet ?? '';
    const spec = sheetSpecByName(sheet);
    const column = spec?.columns.find((c) => c.field === fault.field)?.header;
    book.add({
      file: fault.origin?.file ?? fileName,
      sheet,
      ...(fault.origin?.row !== undefined ? { row: fault.origin.row } : {}),
      field: fault.field,
      ...(column ? { column } : {}),
      code: fault.code,
      message: fault.message,
    });
  }
  // the intake lists a bounded number of faults; the count is the true one
  book.total = Math.max(book.total, error.totalFaults);
  return book;
}
