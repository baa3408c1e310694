import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DATABASE, jsonValue, resultRows, type Database } from '../db/database.js';
import type { Facts } from '../rules/rule-json.js';

/** What a project's stored outcome gives the rules of its stages, stars included. */
export interface StoredProjectFacts {
  facts: Facts;
  total: number | null;
  bonusCapped: number;
  deductionsTotal: number;
}

@Injectable()
export class BenchRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** The street whose project count is nearest to `projects` (ties: the smaller code). */
  async streetOfAbout(projects: number): Promise<{ code: string; projects: number } | undefined> {
    const rows = resultRows<{ code: string; projects: string | number }>(
      await this.database.db.execute(sql`
        select s.code, count(*) as projects from projects p join streets s on s.id = p.street_id
        group by s.code order by abs(count(*) - ${projects}::int), s.code limit 1`),
    );
    return rows[0] && { code: rows[0].code, projects: Number(rows[0].projects) };
  }

  /** The assessed projects' facts of a run, as the rules read them. */
  async assessedProjectFacts(runId: number): Promise<StoredProjectFacts[]> {
    const rows = resultRows<{ facts: unknown; total: string | number | null; bonus: unknown; deductions: unknown }>(
      await this.database.db.execute(sql`
        select outcome->'facts' as facts, total, outcome->'bonus'->'capped' as bonus, outcome->'deductions'->'total' as deductions
        from project_results where run_id = ${runId} and assessed order by project_id`),
    );
    return rows.map((r) => ({
      facts: jsonValue<Facts>(r.facts),
      total: r.total === null ? null : Number(r.total),
      bonusCapped: Number(jsonValue(r.bonus)),
      deductionsTotal: Number(jsonValue(r.deductions)),
    }));
  }
}
