/**
 * Prints every published result of a database as sorted lines (project points per part, total and
 * stars; company score, grade and list decisions; list entries), so that two databases, such as
 * the demo before and after a change of the engine, can be compared with diff.
 *
 *   node dist/scripts/outcome-summary.js > before.txt     (REDPROP_PGLITE_DIR or DATABASE_URL as for redprop)
 */
import { loadConfig } from '../src/config/app-config.js';
import { openDatabase, resultRows } from '../src/db/database.js';
import { sql } from 'drizzle-orm';

const config = loadConfig(process.env);
const database = await openDatabase(config.database);
try {
  const lines: string[] = [];
  const projects = resultRows<{ period: string; code: string; total: string | number | null; stars: number | null; outcome: unknown }>(
    await database.db.execute(sql`select r.period_code as period, p.code, pr.total, pr.stars, pr.outcome
      from project_results pr join assessment_runs r on r.id = pr.run_id join projects p on p.id = pr.project_id where r.status = 'published'`),
  );
  for (const p of projects) {
    const outcome = (typeof p.outcome === 'string' ? JSON.parse(p.outcome) : p.outcome) as { parts?: { part: string; points: number }[] };
    const parts = (outcome.parts ?? []).map((part) => `${part.part}=${part.points}`).join(' ');
    lines.push(`project ${p.period} ${p.code} total=${p.total === null ? '-' : Number(p.total)} stars=${p.stars ?? '-'} ${parts}`);
  }
  const companies = resultRows<{ period: string; uscc: string; score: string | number | null; grade: string | null; outcome: unknown }>(
    await database.db.execute(sql`select r.period_code as period, c.uscc, cr.score, cr.grade, cr.outcome
      from company_results cr join assessment_runs r on r.id = cr.run_id join companies c on c.id = cr.company_id where r.status = 'published'`),
  );
  for (const c of companies) {
    const outcome = (typeof c.outcome === 'string' ? JSON.parse(c.outcome) : c.outcome) as { lists?: { list: string; rule: string }[] };
    const lists = (outcome.lists ?? []).map((l) => `${l.list}:${l.rule}`).join(',');
    lines.push(`company ${c.period} ${c.uscc} score=${c.score === null ? '-' : Number(c.score)} grade=${c.grade ?? '-'} lists=${lists}`);
  }
  const entries = resultRows<{ uscc: string; list: string; rule_id: string; started_on: unknown; max_end_on: unknown }>(
    await database.db.execute(sql`select c.uscc, e.list, e.rule_id, e.started_on::text as started_on, e.max_end_on::text as max_end_on
      from list_entries e join companies c on c.id = e.company_id`),
  );
  for (const e of entries) lines.push(`list-entry ${e.uscc} ${e.list} ${e.rule_id} ${String(e.started_on)}..${String(e.max_end_on)}`);
  console.log(lines.sort().join('\n'));
} finally {
  await database.close();
}
