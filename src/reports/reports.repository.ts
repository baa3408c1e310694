import { Inject, Injectable } from '@nestjs/common';
import { scopeFilter } from '../access/scope-filters.js';
import { companyOutcomeWithin } from '../assessment/stored-outcome.js';
import { EVERYTHING, type AccessScope } from '../domain/access.js';
import { RUN_COLUMNS_WITHOUT_FILES } from '../assessment/assessment.repository.js';
import { and, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { DATABASE, resultRows, type Database, jsonValue } from '../db/database.js';
import { assessmentRuns } from '../db/schema.js';
import type { EvidenceEvent, CompanyOutcomeView, ProjectOutcomeView } from './indicator-lines.js';
import type { CompanyKey, CompanyRow, LedgerRow, LevelPair, ListEntryRow, ListTransitionRow, ProjectKey, ProjectRow, RunInfo } from './report-data.js';

type Num = string | number | bigint | null;
const num = (value: Num): number | null => (value === null || value === undefined ? null : Number(value));
const int = (value: Num): number => Number(value ?? 0);

/** Which projects a query covers: one street's, one company's, or both. */
export interface ProjectScope {
  streetCode: string | null;
  companyId?: number;
}

/**
 * A stored outcome without its trace. The outcome column holds a JSON object on PostgreSQL and,
 * written through PGlite's driver, a JSON string holding the object: both read back the same.
 */
const outcomeOf = (column: SQL) =>
  sql`((case when jsonb_typeof(${column}) = 'string' then (${column} #>> '{}')::jsonb else ${column} end) - 'trace')`;

const day = (column: SQL) => sql`to_char(${column}, 'YYYY-MM-DD')`;

/** Reads for the reports: runs, stored results in pages, list entries, ledger, events. Read-only. */
@Injectable()
export class ReportsRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  private async rows<T>(query: SQL): Promise<T[]> {
    return resultRows<T>(await this.database.db.execute(query));
  }

  // ---- runs and master data -------------------------------------------------------------

  /** The runs of a period, newest first, without their rule files; drafts only when asked for (the bureau's). */
  async runsOfPeriod(periodCode: string, drafts = true): Promise<RunInfo[]> {
    const rows = await this.database.db
      .select(RUN_COLUMNS_WITHOUT_FILES)
      .from(assessmentRuns)
      .where(and(eq(assessmentRuns.periodCode, periodCode), drafts ? undefined : ne(assessmentRuns.status, 'draft')))
      .orderBy(desc(assessmentRuns.id));
    return rows;
  }

  async ruleSetFiles(runId: number): Promise<Record<string, string>> {
    const [row] = await this.database.db.select({ files: assessmentRuns.ruleSetFiles }).from(assessmentRuns).where(eq(assessmentRuns.id, runId));
    return row?.files ?? {};
  }

  async street(code: string): Promise<{ code: string; name: string } | undefined> {
    const [row] = await this.rows<{ code: string; name: string }>(sql`select code, name from streets where code = ${code}`);
    return row;
  }

  async streetNames(): Promise<Map<string, string>> {
    const rows = await this.rows<{ code: string; name: string }>(sql`select code, name from streets`);
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  async companyByUscc(uscc: string): Promise<{ id: number; uscc: string; name: string } | undefined> {
    const [row] = await this.rows<{ id: number; uscc: string; name: string }>(sql`select id, uscc, name from companies where uscc = ${uscc}`);
    return row ? { ...row, id: Number(row.id) } : undefined;
  }

  /** Names of the companies managing a project in scope. */
  async companyNames(streetCode: string | null): Promise<Map<number, string>> {
    const rows = await this.rows<{ id: number; name: string }>(sql`select c.id, c.name from companies c where ${companyInScope(streetCode, sql.raw('c.id'))}`);
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }

  // ---- project results ------------------------------------------------------------------

  /** Every project of the run in scope with its total: small rows, for ranking before reading outcomes. */
  async projectKeys(runId: number, scope: ProjectScope): Promise<ProjectKey[]> {
    const rows = await this.rows<{ project_id: number; code: string; total: Num }>(sql`
      select pr.project_id, p.code, pr.total::float8 as total
        from effective_project_results pr
        join projects p on p.id = pr.project_id
       where pr.run_id = ${runId} ${projectInScope(scope)}`);
    return rows.map((r) => ({ projectId: Number(r.project_id), code: r.code, total: num(r.total) }));
  }

  /** Full rows of the given projects, in the order given. */
  async projectsByIds(runId: number, ids: readonly number[], previousRunId: number | null): Promise<ProjectRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.projectRows(runId, sql`select pr.project_id as id from project_results pr where pr.run_id = ${runId} and pr.project_id in ${ids}`, previousRunId);
    const byId = new Map(rows.map((r) => [r.projectId, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is ProjectRow => r !== undefined);
  }

  /** The next page of projects in scope by project code, after `afterCode` (keyset pagination). */
  async projectPage(runId: number, scope: ProjectScope, afterCode: string | null, limit: number, previousRunId: number | null): Promise<ProjectRow[]> {
    const after = afterCode === null ? sql`` : sql`and p.code > ${afterCode}`;
    const page = sql`select p.id from projects p join project_results pr on pr.project_id = p.id and pr.run_id = ${runId}
                      where true ${projectInScope(scope)} ${after} order by p.code limit ${limit}`;
    return this.projectRows(runId, page, previousRunId);
  }

  /**
   * The rows of the projects that `page` selects (a query of project ids), ordered by code. The
   * page is chosen first and only its outcomes are read: selecting the outcome expression in
   * the same query as the ORDER BY … LIMIT would decode every outcome of the run for each page.
   */
  private async projectRows(runId: number, page: SQL, previousRunId: number | null): Promise<ProjectRow[]> {
    const rows = await this.rows<{
      project_id: number;
      code: string;
      name: string;
      street_code: string;
      street_name: string;
      community_name: string;
      uscc: string;
      company_name: string;
      households: number;
      assessed: boolean;
      total: Num;
      stars: Num;
      outcome: ProjectOutcomeView | string;
      prev_in: boolean | null;
      prev_assessed: boolean | null;
      prev_total: Num;
      prev_stars: Num;
      revision: Num;
    }>(sql`
      select pr.project_id, p.code, p.name, s.code as street_code, s.name as street_name, m.name as community_name,
             c.uscc, c.name as company_name, p.households, pr.assessed, pr.total::float8 as total, pr.stars, pr.revision,
             ${outcomeOf(sql`pr.outcome`)} as outcome,
             prev.project_id is not null as prev_in, prev.assessed as prev_assessed, prev.total::float8 as prev_total, prev.stars as prev_stars
        from (${page}) page
        join effective_project_results pr on pr.run_id = ${runId} and pr.project_id = page.id
        join projects p on p.id = pr.project_id
        join streets s on s.id = p.street_id
        join communities m on m.id = p.community_id
        join companies c on c.id = p.company_id
        left join effective_project_results prev on prev.run_id = ${previousRunId ?? -1} and prev.project_id = pr.project_id
       order by p.code`);
    return rows.map((r) => ({
      projectId: Number(r.project_id),
      code: r.code,
      name: r.name,
      streetCode: r.street_code,
      streetName: r.street_name,
      communityName: r.community_name,
      companyUscc: r.uscc,
      companyName: r.company_name,
      households: Number(r.households),
      assessed: r.assessed,
      total: num(r.total),
      stars: num(r.stars),
      outcome: jsonValue<ProjectOutcomeView>(r.outcome),
      previous: r.prev_in ? { assessed: r.prev_assessed === true, total: num(r.prev_total), stars: num(r.prev_stars) } : null,
      revision: int(r.revision),
    }));
  }

  // ---- company results ------------------------------------------------------------------

  async companyKeys(runId: number, streetCode: string | null): Promise<CompanyKey[]> {
    const rows = await this.rows<{ company_id: number; uscc: string; score: Num }>(sql`
      select cr.company_id, c.uscc, cr.score::float8 as score
        from effective_company_results cr
        join companies c on c.id = cr.company_id
       where cr.run_id = ${runId} and ${companyInScope(streetCode, sql.raw('cr.company_id'))}`);
    return rows.map((r) => ({ companyId: Number(r.company_id), uscc: r.uscc, score: num(r.score) }));
  }

  /** Full rows of the given companies, in the order given; `projectsInScope` counts their projects in the street (or all). */
  async companiesByIds(runId: number, ids: readonly number[], streetCode: string | null, previousRunId: number | null): Promise<CompanyRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.rows<{
      company_id: number;
      uscc: string;
      name: string;
      score: Num;
      grade: string | null;
      projects: Num;
      outcome: CompanyOutcomeView | string;
      prev_in: boolean | null;
      prev_score: Num;
      prev_grade: string | null;
      revision: Num;
    }>(sql`
      select cr.company_id, c.uscc, c.name, cr.score::float8 as score, cr.grade, cr.revision,
             (select count(*) from projects p where p.company_id = cr.company_id ${projectInScope({ streetCode })})::int as projects,
             ${outcomeOf(sql`cr.outcome`)} as outcome,
             prev.company_id is not null as prev_in, prev.score::float8 as prev_score, prev.grade as prev_grade
        from effective_company_results cr
        join companies c on c.id = cr.company_id
        left join effective_company_results prev on prev.run_id = ${previousRunId ?? -1} and prev.company_id = cr.company_id
       where cr.run_id = ${runId} and cr.company_id in ${ids}`);
    const byId = new Map(
      rows.map((r): [number, CompanyRow] => [
        Number(r.company_id),
        {
          companyId: Number(r.company_id),
          uscc: r.uscc,
          name: r.name,
          score: num(r.score),
          grade: r.grade,
          projectsInScope: int(r.projects),
          outcome: jsonValue<CompanyOutcomeView>(r.outcome),
          previous: r.prev_in ? { score: num(r.prev_score), grade: r.prev_grade } : null,
          revision: int(r.revision),
        },
      ]),
    );
    if (streetCode !== null) {
      // a street's report reads a company operating in both streets without the other street's projects
      const inStreet = new Set(
        (await this.rows<{ code: string }>(sql`select p.code from projects p where p.company_id in ${ids} ${projectInScope({ streetCode })}`)).map((r) => r.code),
      );
      for (const row of byId.values()) row.outcome = companyOutcomeWithin(row.outcome, (code) => inStreet.has(code));
    }
    return ids.map((id) => byId.get(id)).filter((r): r is CompanyRow => r !== undefined);
  }

  // ---- aggregates for the overview ----------------------------------------------------------

  async starCounts(runId: number, streetCode: string | null): Promise<{ assessed: boolean; stars: number | null; count: number }[]> {
    const rows = await this.rows<{ assessed: boolean; stars: Num; n: Num }>(sql`
      select pr.assessed, pr.stars, count(*)::int as n
        from effective_project_results pr
        join projects p on p.id = pr.project_id
       where pr.run_id = ${runId} ${projectInScope({ streetCode })}
       group by pr.assessed, pr.stars`);
    return rows.map((r) => ({ assessed: r.assessed, stars: num(r.stars), count: int(r.n) }));
  }

  async gradeCounts(runId: number, streetCode: string | null): Promise<{ grade: string | null; count: number }[]> {
    const rows = await this.rows<{ grade: string | null; n: Num }>(sql`
      select cr.grade, count(*)::int as n
        from effective_company_results cr
       where cr.run_id = ${runId} and ${companyInScope(streetCode, sql.raw('cr.company_id'))}
       group by cr.grade`);
    return rows.map((r) => ({ grade: r.grade, count: int(r.n) }));
  }

  /** Companies in scope with a red / black list decision in the run. */
  async listDecisionCounts(runId: number, streetCode: string | null): Promise<{ red: number; black: number }> {
    const rows = await this.rows<{ list: string; n: Num }>(sql`
      select d.list, count(distinct d.company_id)::int as n
        from (select cr.company_id, jsonb_array_elements(${outcomeOf(sql`cr.outcome`)} -> 'lists') ->> 'list' as list
                from effective_company_results cr
               where cr.run_id = ${runId} and ${companyInScope(streetCode, sql.raw('cr.company_id'))}) d
       group by d.list`);
    const count = (list: string) => int(rows.find((r) => r.list === list)?.n ?? 0);
    return { red: count('red'), black: count('black') };
  }

  async averages(runId: number, streetCode: string | null): Promise<{ averageTotal: number | null; averageScore: number | null }> {
    const [row] = await this.rows<{ total: Num; score: Num }>(sql`
      select (select round(avg(pr.total), 2)::float8 from effective_project_results pr join projects p on p.id = pr.project_id
               where pr.run_id = ${runId} and pr.assessed ${projectInScope({ streetCode })}) as total,
             (select round(avg(cr.score), 2)::float8 from effective_company_results cr
               where cr.run_id = ${runId} and cr.score is not null and ${companyInScope(streetCode, sql.raw('cr.company_id'))}) as score`);
    return { averageTotal: num(row?.total ?? null), averageScore: num(row?.score ?? null) };
  }

  /** Projects in scope by (stars before, stars now); stars null when not assessed. */
  async starPairs(runId: number, previousRunId: number, streetCode: string | null): Promise<LevelPair<number>[]> {
    const rows = await this.rows<{ prev_in: boolean; prev_stars: Num; stars: Num; n: Num }>(sql`
      select prev.project_id is not null as prev_in, case when prev.assessed then prev.stars end as prev_stars,
             case when cur.assessed then cur.stars end as stars, count(*)::int as n
        from effective_project_results cur
        join projects p on p.id = cur.project_id
        left join effective_project_results prev on prev.run_id = ${previousRunId} and prev.project_id = cur.project_id
       where cur.run_id = ${runId} ${projectInScope({ streetCode })}
       group by 1, 2, 3`);
    return rows.map((r) => ({ inPrevious: r.prev_in, previous: num(r.prev_stars), current: num(r.stars), count: int(r.n) }));
  }

  async gradePairs(runId: number, previousRunId: number, streetCode: string | null): Promise<LevelPair<string>[]> {
    const rows = await this.rows<{ prev_in: boolean; prev_grade: string | null; grade: string | null; n: Num }>(sql`
      select prev.company_id is not null as prev_in, prev.grade as prev_grade, cur.grade, count(*)::int as n
        from effective_company_results cur
        left join effective_company_results prev on prev.run_id = ${previousRunId} and prev.company_id = cur.company_id
       where cur.run_id = ${runId} and ${companyInScope(streetCode, sql.raw('cur.company_id'))}
       group by 1, 2, 3`);
    return rows.map((r) => ({ inPrevious: r.prev_in, previous: r.prev_grade, current: r.grade, count: int(r.n) }));
  }

  // ---- lists, ledger, events --------------------------------------------------------------

  /** List entries of companies in scope that started on or before `upTo`, with their transitions up to that day. */
  async listEntries(scope: AccessScope, upTo: string): Promise<ListEntryRow[]> {
    const entryFilter = sql`e.started_on <= ${upTo}::date and ${scopeFilter.company(scope, sql.raw('e.company_id'))}`;
    const [entries, transitions] = await Promise.all([
      this.rows<{
        id: number;
        company_id: number;
        uscc: string;
        name: string;
        list: 'red' | 'black';
        severity: ListEntryRow['severity'];
        rule_id: string;
        clause: string;
        reason: string;
        started_on: string;
        min_end_on: string;
        max_end_on: string;
      }>(sql`
        select e.id, e.company_id, c.uscc, c.name, e.list::text as list, e.severity::text as severity, e.rule_id, e.clause, e.reason,
               ${day(sql`e.started_on`)} as started_on, ${day(sql`e.min_end_on`)} as min_end_on, ${day(sql`e.max_end_on`)} as max_end_on
          from list_entries e
          join companies c on c.id = e.company_id
         where ${entryFilter}
         order by e.id`),
      this.rows<{ entry_id: number; kind: ListTransitionRow['kind']; on: string; note: string }>(sql`
        select t.entry_id, t.kind::text as kind, ${day(sql`t."on"`)} as "on", t.note
          from list_transitions t
          join list_entries e on e.id = t.entry_id
         where t."on" <= ${upTo}::date and ${entryFilter}
         order by t.id`),
    ]);
    const byEntry = new Map<number, ListTransitionRow[]>();
    for (const t of transitions) {
      const list = byEntry.get(Number(t.entry_id)) ?? [];
      list.push({ kind: t.kind, on: t.on, note: t.note });
      byEntry.set(Number(t.entry_id), list);
    }
    return entries.map((e) => ({
      entryId: Number(e.id),
      companyId: Number(e.company_id),
      uscc: e.uscc,
      companyName: e.name,
      list: e.list,
      severity: e.severity,
      ruleId: e.rule_id,
      clause: e.clause,
      reason: e.reason,
      startedOn: e.started_on,
      minEndOn: e.min_end_on,
      maxEndOn: e.max_end_on,
      transitions: byEntry.get(Number(e.id)) ?? [],
    }));
  }

  /**
   * 诚信台账 entries dated within `[from, to]` in scope, in ledger order: an entry of a project's
   * event by its project (a street office reads none of another street's projects, even of a company
   * operating in both), a company-level entry by its company.
   */
  async ledgerEntries(scope: AccessScope, from: string, to: string): Promise<LedgerRow[]> {
    const rows = await this.rows<{
      id: number;
      uscc: string;
      name: string;
      entry_date: string;
      points: Num;
      reason: string;
      rule_id: string;
      evidence: string | null;
      valid_from: string;
      valid_to: string;
      reverses_entry_id: number | null;
    }>(sql`
      select l.id, c.uscc, c.name, ${day(sql`l.entry_date`)} as entry_date, l.points::float8 as points, l.reason, l.rule_id, l.evidence,
             ${day(sql`l.valid_from`)} as valid_from, ${day(sql`l.valid_to`)} as valid_to, l.reverses_entry_id
        from ledger_entries l
        join companies c on c.id = l.company_id
        left join credit_events ev on ev.id = l.event_id
       where l.entry_date between ${from}::date and ${to}::date and ${scopeFilter.subject(scope, sql.raw('l.company_id'), sql.raw('ev.project_id'))}
       order by l.entry_date, l.id`);
    return rows.map((r) => ({
      id: Number(r.id),
      uscc: r.uscc,
      companyName: r.name,
      entryDate: r.entry_date,
      points: Number(r.points),
      reason: r.reason,
      ruleId: r.rule_id,
      evidence: r.evidence,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      reversesEntryId: r.reverses_entry_id === null ? null : Number(r.reverses_entry_id),
    }));
  }

  /** A company's credit events (its own and its projects' in scope) within `[from, to]`, as evidence. */
  async creditEvents(companyId: number, from: string, to: string, scope: AccessScope): Promise<EvidenceEvent[]> {
    const rows = await this.rows<{
      event_no: string;
      kind: EvidenceEvent['kind'];
      honour_level: EvidenceEvent['honourLevel'];
      project_code: string | null;
      occurred_on: string;
      source: string;
      description: string;
      evidence: string | null;
    }>(sql`
      select e.event_no, e.kind::text as kind, e.honour_level::text as honour_level, p.code as project_code,
             ${day(sql`e.occurred_on`)} as occurred_on, e.source, e.description, e.evidence
        from credit_events e
        left join projects p on p.id = e.project_id
       where e.company_id = ${companyId} and e.occurred_on between ${from}::date and ${to}::date
         and ${scopeFilter.subject(scope, sql.raw('e.company_id'), sql.raw('e.project_id'))}
       order by e.occurred_on, e.event_no`);
    return rows.map((r) => ({
      eventNo: r.event_no,
      kind: r.kind,
      honourLevel: r.honour_level,
      projectCode: r.project_code,
      occurredOn: r.occurred_on,
      source: r.source,
      description: r.description,
      evidence: r.evidence,
    }));
  }
}

/** ` and …` keeping the projects (aliased `p`) of one street's or one company's selection. */
function projectInScope(scope: ProjectScope): SQL {
  const parts: SQL[] = [];
  if (scope.streetCode !== null) parts.push(sql` and ${scopeFilter.project(streetSelection(scope.streetCode), sql.raw('p.id'))}`);
  if (scope.companyId !== undefined) parts.push(sql` and p.company_id = ${scope.companyId}`);
  return sql.join(parts);
}

/** The companies operating in the street, or every company. */
function companyInScope(streetCode: string | null, column: SQL): SQL {
  return scopeFilter.company(streetSelection(streetCode), column);
}

/** A report over one street (or every street) reads what a street office of that street may read. */
export function streetSelection(streetCode: string | null): AccessScope {
  return streetCode === null ? EVERYTHING : { kind: 'street', streetCode };
}
