import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DATABASE, type Database } from '../../db/database.js';
import { communities, companies, projects, streets } from '../../db/schema.js';
import type { CodeListName } from './families.js';
import type { StoredMasterKeys } from './import-check.js';

/** Reads the stored master keys an import checks against and a template offers as drop-downs. */
@Injectable()
export class ImportReferencesRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async storedMasterKeys(): Promise<StoredMasterKeys> {
    const db = this.database.db;
    const [streetRows, communityRows, companyRows, projectRows] = await Promise.all([
      db.select({ code: streets.code }).from(streets),
      db.select({ code: communities.code, streetCode: streets.code }).from(communities).innerJoin(streets, eq(streets.id, communities.streetId)),
      db.select({ uscc: companies.uscc }).from(companies),
      db.select({ code: projects.code, companyUscc: companies.uscc }).from(projects).innerJoin(companies, eq(companies.id, projects.companyId)),
    ]);
    return {
      streets: new Set(streetRows.map((r) => r.code)),
      communities: new Map(communityRows.map((r) => [r.code, r.streetCode])),
      companies: new Set(companyRows.map((r) => r.uscc)),
      projects: new Map(projectRows.map((r) => [r.code, r.companyUscc])),
    };
  }

  /** Stored codes for the drop-down lists, sorted. */
  async codeLists(): Promise<Record<CodeListName, string[]>> {
    const keys = await this.storedMasterKeys();
    const sorted = (codes: Iterable<string>) => [...codes].sort();
    return {
      streets: sorted(keys.streets),
      communities: sorted(keys.communities.keys()),
      companies: sorted(keys.companies),
      projects: sorted(keys.projects.keys()),
    };
  }
}
