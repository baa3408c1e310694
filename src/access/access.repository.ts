import { Inject, Injectable } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { DATABASE, type Database } from '../db/database.js';
import { appealLines, companies, projects, streets } from '../db/schema.js';

/** The few facts a scope check needs: where companies operate, where projects are. */
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

  /** The USCCs of the companies with at least one project in the street. */
  async companiesIn(streetCode: string): Promise<Set<string>> {
    const rows = await this.database.db
      .selectDistinct({ uscc: companies.uscc })
      .from(projects)
      .innerJoin(companies, eq(companies.id, projects.companyId))
      .innerJoin(streets, eq(streets.id, projects.streetId))
      .where(eq(streets.code, streetCode));
    return new Set(rows.map((r) => r.uscc));
  }

  /** The street of an appeal line's project (null for a company-level line) and its company. */
  async appealLineSubject(appealLineId: number): Promise<{ uscc: string; streetCode: string | null } | undefined> {
    const [row] = await this.database.db
      .select({ uscc: companies.uscc, streetCode: streets.code })
      .from(appealLines)
      .innerJoin(companies, eq(companies.id, appealLines.companyId))
      .leftJoin(projects, eq(projects.id, appealLines.projectId))
      .leftJoin(streets, eq(streets.id, projects.streetId))
      .where(eq(appealLines.id, appealLineId));
    return row;
  }
}
