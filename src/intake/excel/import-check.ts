import { naturalKey, validateRecord, type FieldFault, type References } from '../record-validation.js';
import { MASTER_KINDS, type FactKind, type MasterKind, type RecordKind, type RecordTypes, type Sourced } from '../records.js';

/** The natural keys of the master data already stored, and what they refer to. */
export interface StoredMasterKeys {
  readonly streets: ReadonlySet<string>;
  /** community code → street code */
  readonly communities: ReadonlyMap<string, string>;
  readonly companies: ReadonlySet<string>;
  /** project code → 统一社会信用代码 of its company */
  readonly projects: ReadonlyMap<string, string>;
}

export type MasterRecords = { [K in MasterKind]: Sourced<RecordTypes[K]>[] };

/**
 * Checks records of a file without writing anything, with the same rules and the same view
 * of references as the intake's load in merge mode: the stored master data plus the file's
 * own, every record through `validateRecord`, and a natural key seen twice is a repeat.
 * It lets an import report every fault at once (also when some rows could not be parsed,
 * and on a dry run) while the intake remains the only write path.
 */
export class ImportChecker {
  private readonly streets: Set<string>;
  private readonly communities: Map<string, string>;
  private readonly companies: Set<string>;
  private readonly projects: Map<string, string>;
  private readonly refs: References;
  private readonly seen = new Map<RecordKind, Set<string>>();

  constructor(private readonly stored: StoredMasterKeys) {
    this.streets = new Set(stored.streets);
    this.communities = new Map(stored.communities);
    this.companies = new Set(stored.companies);
    this.projects = new Map(stored.projects);
    this.refs = {
      hasStreet: (code) => this.streets.has(code),
      communityStreet: (code) => this.communities.get(code),
      hasCompany: (uscc) => this.companies.has(uscc),
      projectCompany: (code) => this.projects.get(code),
    };
  }

  /** Master records of the file, admitted as references before anything is checked (as the intake does). */
  admitMasters(masters: MasterRecords): void {
    for (const { record } of masters.streets) this.streets.add(record.code);
    for (const { record } of masters.communities) this.communities.set(record.code, record.streetCode);
    for (const { record } of masters.companies) this.companies.add(record.uscc);
    for (const { record } of masters.projects) this.projects.set(record.code, record.companyUscc);
  }

  /** Faults of every master record, in kind order. */
  checkMasters(masters: MasterRecords, report: <K extends MasterKind>(kind: K, item: Sourced<RecordTypes[K]>, faults: readonly FieldFault[]) => void): void {
    for (const kind of MASTER_KINDS) {
      const seen = this.keysOf(kind);
      for (const item of masters[kind] as Sourced<RecordTypes[typeof kind]>[]) {
        const key = naturalKey(kind, item.record);
        const faults: FieldFault[] = [];
        if (seen.has(key)) faults.push(repeated(kind, key));
        seen.add(key);
        faults.push(...(validateRecord(kind, item.record, this.refs) ?? []));
        if (faults.length > 0) report(kind, item, faults);
      }
    }
  }

  /** Faults of one fact record; a valid record's key is remembered to find repeats. */
  checkFact<K extends FactKind>(kind: K, record: RecordTypes[K]): readonly FieldFault[] | null {
    const faults = validateRecord(kind, record, this.refs);
    if (faults) return faults;
    const key = naturalKey(kind, record);
    const seen = this.keysOf(kind);
    if (seen.has(key)) return [repeated(kind, key)];
    seen.add(key);
    return null;
  }

  /** Forgets the fact keys seen (to check the facts again from the start). */
  resetFacts(): void {
    for (const kind of [...this.seen.keys()]) if (!(MASTER_KINDS as readonly RecordKind[]).includes(kind)) this.seen.delete(kind);
  }

  /** Whether a master record of this key is already stored (a load would update it). */
  isStored(kind: MasterKind, key: string): boolean {
    switch (kind) {
      case 'streets':
        return this.stored.streets.has(key);
      case 'communities':
        return this.stored.communities.has(key);
      case 'companies':
        return this.stored.companies.has(key);
      case 'projects':
        return this.stored.projects.has(key);
    }
  }

  private keysOf(kind: RecordKind): Set<string> {
    let keys = this.seen.get(kind);
    if (!keys) this.seen.set(kind, (keys = new Set()));
    return keys;
  }
}

/** The field a repeated key is reported on: the first column of the natural key. */
export const KEY_FIELDS: Record<RecordKind, string> = {
  streets: 'code',
  communities: 'code',
  companies: 'uscc',
  projects: 'code',
  surveyAnswers: 'respondentNo',
  complaints: 'ticketNo',
  fees: 'month',
  partyChecks: 'indicatorCode',
  events: 'eventNo',
  ratings: 'raterRole',
};

function repeated(kind: RecordKind, key: string): FieldFault {
  return { field: KEY_FIELDS[kind], code: 'DUPLICATE_KEY', message: `同一批数据中“${key}”重复出现` };
}
