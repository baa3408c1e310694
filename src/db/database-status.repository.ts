import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DATABASE, resultRows, type BackendKind, type Database } from './database.js';

export interface TableCount {
  table: string;
  rows: number;
}

const COUNTED_TABLES = [
  'streets',
  'communities',
  'companies',
  'projects',
  'assessment_periods',
  'survey_answers',
  'complaint_tickets',
  'fee_records',
  'party_checks',
  'credit_events',
  'three_party_ratings',
  'assessment_runs',
  'project_results',
  'company_results',
  'list_entries',
  'list_transitions',
  'ledger_entries',
];

@Injectable()
export class DatabaseStatusRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  get backend(): BackendKind {
    return this.database.kind;
  }

  migrate(): Promise<void> {
    return this.database.migrate();
  }

  async ping(): Promise<void> {
    await this.database.db.execute(sql`select 1`);
  }

  async countRows(): Promise<TableCount[]> {
    const query = COUNTED_TABLES.map((t) => `select '${t}' as table_name, count(*)::bigint as row_count from "${t}"`).join(' union all ');
    const result = await this.database.db.execute(sql.raw(query));
    const rows = resultRows<{ table_name: string; row_count: string | number }>(result);
    const counts = new Map(rows.map((r) => [r.table_name, Number(r.row_count)]));
    return COUNTED_TABLES.map((table) => ({ table, rows: counts.get(table) ?? 0 }));
  }
}
