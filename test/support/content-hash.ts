import { sql } from 'drizzle-orm';
import { resultRows, type Database } from '../../src/db/database.js';

const ORDERED_TABLES: Record<string, string> = {
  streets: 'id',
  communities: 'id',
  companies: 'id',
  projects: 'id',
  assessment_periods: 'code',
  survey_answers: 'project_id, month, respondent_no, question_no',
  complaint_tickets: 'id',
  fee_records: 'project_id, month',
  party_checks: 'id',
  credit_events: 'id',
  three_party_ratings: 'project_id, period_code, rater_role',
};

/** md5 over every row of every data table, in key order: equal hashes mean identical rows. */
export async function contentHash(database: Database): Promise<string> {
  const parts = Object.entries(ORDERED_TABLES).map(
    ([table, order]) => `select '${table}' as t, md5(coalesce(string_agg(x::text, E'\\n' order by ${order}), '')) as h from "${table}" x`,
  );
  const rows = resultRows<{ t: string; h: string }>(await database.db.execute(sql.raw(parts.join(' union all '))));
  return rows.map((r) => `${r.t}:${r.h}`).join(';');
}
