import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { DATA_TABLE_NAMES } from './schema.js';
import { DATABASE, resultRows, type BackendKind, type Database } from './database.js';

export interface TableCount {
  table: string;
  rows: number;
}

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
    const query = DATA_TABLE_NAMES.map((t) => `select '${t}' as table_name, count(*)::bigint as row_count from "${t}"`).join(' union all ');
    const result = await this.database.db.execute(sql.raw(query));
    const rows = resultRows<{ table_name: string; row_count: string | number }>(result);
    const counts = new Map(rows.map((r) => [r.table_name, Number(r.row_count)]));
    return DATA_TABLE_NAMES.map((table) => ({ table, rows: counts.get(table) ?? 0 }));
  }
}
