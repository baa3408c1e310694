import { Inject, Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { DATABASE, type Database } from '../db/database.js';
import { companies, projects, streets } from '../db/schema.js';

/** Where companies operate: what a check of a company asked for by a street key needs. */
@Injectable()
export class AccessRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async companyOperatesIn(uscc: string, streetCode: string): Promise<boolean> {
    const rows = await this.database.db
      .select({ id: projects.id })
      .from(projects)
      .innerJoin(companies, eq(companies.id, projects.companyId))
      .innerJoin(streets, eq(streets.id, projects.streetId))
      .where(and(eq(companies.uscc, uscc), eq(streets.code, streetCode)))
      .limit(1);
    return rows.length > 0;
  }
}
