import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { sql, type SQL } from 'drizzle-orm';
import { DATABASE, resultRows, type Database, type SnapshotReader } from '../db/database.js';
import { recomputedBuckets } from '../db/input-digest.js';
import type { StoredCorrection } from './scoring.js';
import { AssessmentRepository } from './assessment.repository.js';
import { badInput } from '../domain/errors.js';
import { monthCode, periodMonths, type Period, requirePeriod } from '../domain/period.js';
import { PARTY_INDICATORS, type EventKind, type HonourLevel, type PartyIndicatorCode } from '../domain/vocabulary.js';
import type { CompanyMetrics, EventCounts, MetricParameters, MetricScope, ProjectMetrics } from './metrics.js';

/** Party-building indicators of the checklist whose value is a 0/1 flag. */
const FLAG_INDICATORS = (Object.keys(PARTY_INDICATORS) as PartyIndicatorCode[]).filter((code) => PARTY_INDICATORS[code].valueType === 'flag');
const JOINT_MEETINGS: PartyIndicatorCode = 'joint_meetings';

/** Version tag of the digest's row rendering: change it whenever a row text changes. */
const LEGACY_DIGEST_VERSION = 'redprop-input-digest/1';
/** The digest over the buckets maintained at intake (src/db/input-digest.ts, migration 0006). */
const DIGEST_VERSION = 'redprop-input-digest/2';

/** Everything an assessment reads, read in one snapshot. */
export interface AssessmentInputs {
  projects: ProjectMetrics[];
  companies: CompanyMetrics[];
  inputDigest: string;
  /** how long the input digest took, inside the snapshot */
  digestSeconds: number;
  corrections: (StoredCorrection & { runId: number })[];
}

/** Where the digest's buckets come from: the maintained table, or recomputed from the fact tables. */
export type DigestSource = 'maintained' | 'recomputed';

/** A half-open date range `[from, to)`, both `YYYY-MM-DD`. */
interface DateRange {
  from: string;
  to: string;
}

/** Every date window the assessment of one period reads. */
interface Windows {
  period: Period;
  /** the configured time zone: a ticket belongs to the month of its local calendar date */
  timeZone: string;
  /** the period's months */
  months: DateRange;
  /** month codes `YYYY-MM` of the period */
  monthCodes: string[];
  /** the bad-record window: `badRecordWindowMonths` months ending with the period */
  recordWindow: DateRange;
  /** the quarter before the one holding the period's last month, then that quarter */
  quarters: [{ code: string; range: DateRange }, { code: string; range: DateRange }];
}

type Num = string | number | bigint | null;

/**
 * An event an accepted appeal annulled (its ledger entries reversed with cause appeal_accepted)
 * counts nowhere any more: not in its period's facts, not as a bad record later.
 */
function notAnnulled(e: SQL): SQL {
  return sql`not exists (select 1 from ledger_entries le where le.event_id = ${e}.id and le.cause = 'appeal_accepted' and le.reverses_entry_id is not null)`;
}

/** Ranges the survey read is cut into: PostgreSQL runs each on a connection of its own, in one snapshot. */
const SURVEY_RANGES = 3;

/**
 * Set-based measurements of projects and companies over an assessment period: one GROUP BY
 * query per fact table, merged in memory by id. Counts and exact sums only; rates belong to
 * the pure core.
 */
@Injectable()
export class MetricsRepository {
  /** a test seam: called inside the snapshot once it is taken, before the reads that must not see later commits */
  beforeLastSnapshotRead: (() => Promise<void>) | null = null;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: AssessmentRepository,
  ) {}

  /**
   * The metrics, the input digest and the period's corrections in one REPEATABLE READ READ ONLY
   * transaction: a load committed meanwhile is in none of them, so the digest describes exactly
   * the rows the metrics counted.
   */
  async readAssessmentInputs(
    scope: MetricScope,
    params: MetricParameters,
    periodCode: string,
    digest: (scope: MetricScope, params: MetricParameters, db: SnapshotReader) => Promise<string> = (s, p, db) => this.inputDigest(s, p, db),
  ): Promise<AssessmentInputs> {
    return this.database.snapshot(async (db, concurrent) => {
      // the snapshot is taken: what commits from here on is not seen by any of the reads below
      if (this.beforeLastSnapshotRead) await this.beforeLastSnapshotRead();
      const started = performance.now();
      const timedDigest = async () => {
        const value = await digest(scope, params, concurrent);
        return { value, seconds: (performance.now() - started) / 1000 };
      };
      // side by side on PostgreSQL (one snapshot, several connections); one after another on PGlite
      const [projects, companies, inputDigest, corrections] = await Promise.all([
        this.projectMetrics(scope, params, concurrent),
        this.companyMetrics(scope, params, concurrent),
        timedDigest(),
        this.runs.correctionsForPeriod(periodCode, db),
      ]);
      return { projects, companies, inputDigest: inputDigest.value, digestSeconds: inputDigest.seconds, corrections };
    });
  }

  async projectMetrics(scope: MetricScope, params: MetricParameters, db: SnapshotReader = this.database.db): Promise<ProjectMetrics[]> {
    const w = windows(scope.period, params, this.config.timeZone);
    const inScope = this.projectFilter(scope);
    const rows = <T>(query: SQL) => this.rows<T>(query, db);
    // answers are whole numbers: `answer >= x` is `answer >= ceil(x)`, compared as integers
    const positiveMin = Math.ceil(params.positiveAnswerMin);
    const [masters, survey, complaints, fees, flags, meetings, ratings, events] = await Promise.all([
      rows<{
        id: number;
        code: string;
        name: string;
        company_id: number;
        uscc: string;
        company_has_party_org: boolean;
        street_code: string;
        community_code: string;
        households: number;
        occupied_households: number;
        floor_area_m2: Num;
        has_party_branch: boolean;
      }>(sql`
        select p.id, p.code, p.name, p.company_id, c.uscc, c.has_party_org as company_has_party_org,
               s.code as street_code, m.code as community_code, p.households, p.occupied_households,
               p.floor_area_m2::text as floor_area_m2, p.has_party_branch
          from projects p
          join companies c on c.id = p.company_id
          join streets s on s.id = p.street_id
          join communities m on m.id = p.community_id
         where true ${this.projectFilter(scope, sql.raw('p.id'))}`),
      // the largest read (every answer of the period): in ranges of projects, side by side where the
      // backend reads concurrently (one index range scan each)
      this.projectRanges(db, SURVEY_RANGES).then(async (ranges) =>
        (
          await Promise.all(
            ranges.map(({ from, to }) =>
              rows<{ project_id: number; respondents: Num; answers: Num; positive: Num; phone: Num }>(sql`
        select r.project_id, count(*) as respondents, sum(r.answers) as answers, sum(r.positive) as positive,
               count(*) filter (where r.phone) as phone
          from (select a.project_id, a.month, a.respondent_no, count(*) as answers,
                       count(*) filter (where a.answer >= ${positiveMin}::integer) as positive,
                       bool_or(a.channel = 'phone_proxy') as phone
                  from survey_answers a
                 where a.project_id >= ${from}::integer and a.project_id < ${to}::integer
                   and a.month >= ${w.months.from}::date and a.month < ${w.months.to}::date ${inScope(sql.raw('a.project_id'))}
                 group by a.project_id, a.month, a.respondent_no) r
         group by r.project_id`),
            ),
          )
        ).flat(),
      ),
      rows<{ project_id: number; tickets: Num; in_time: Num; resolved: Num; revisited: Num; satisfied: Num }>(sql`
        select t.project_id, count(*) as tickets,
               count(*) filter (where t.responded_at is not null
                                  and t.responded_at <= t.received_at + ${params.responseWindowHours}::float8 * interval '1 hour') as in_time,
               count(*) filter (where t.resolved) as resolved,
               count(*) filter (where t.revisit_verdict is not null and t.revisit_verdict <> 'unreachable') as revisited,
               count(*) filter (where t.revisit_verdict in ('satisfied', 'basically_satisfied')) as satisfied
          from complaint_tickets t
         where ${receivedIn(w.timeZone, w.months)} ${inScope(sql.raw('t.project_id'))}
         group by t.project_id`),
      rows<{ project_id: number; months: Num; households_billed: Num; households_paid: Num; billed: Num; collected: Num }>(sql`
        select f.project_id, count(*) as months, sum(f.households_billed) as households_billed,
               sum(f.households_paid) as households_paid, sum(f.billed_amount)::text as billed,
               sum(f.collected_amount)::text as collected
          from fee_records f
         where f.month >= ${w.months.from}::date and f.month < ${w.months.to}::date ${inScope(sql.raw('f.project_id'))}
         group by f.project_id`),
      // one row per project (indicator=value,...): a tenth of the rows to ship at province scale
      rows<{ project_id: number; flags: string }>(sql`
        select f.project_id, string_agg(f.indicator_code || '=' || f.value, ',' order by f.indicator_code collate "C") as flags
          from (select distinct on (k.project_id, k.indicator_code) k.project_id, k.indicator_code, k.value::text as value
                  from party_checks k
                  join assessment_periods ap on ap.code = k.period_code
                 where ${flagChecksOverlapping(w)} ${inScope(sql.raw('k.project_id'))}
                 -- a record of (part of) the assessed period beats one that merely overlaps it: a year's
                 -- record describes the year's end, which lies after an assessed quarter
                 order by k.project_id, k.indicator_code,
                          (ap.starts_on >= ${w.months.from}::date and ap.ends_on < ${w.months.to}::date) desc,
                          ap.ends_on desc, ap.starts_on desc) f
         group by f.project_id`),
      // (project, period, indicator) is unique for project checks: count(*) counts months
      rows<{ project_id: number; months: Num }>(sql`
        select k.project_id, count(*) as months
          from party_checks k
         where ${jointMeetingChecks(w)} and k.value >= 1 ${inScope(sql.raw('k.project_id'))}
         group by k.project_id`),
      rows<{ project_id: number; year: string; ratings: Num; hundredths: Num }>(sql`
        select r.project_id, r.period_code as year, count(*) as ratings, sum((r.rating * 100)::integer) as hundredths
          from three_party_ratings r
         where ${latestRatedYear(w, sql.raw('r'), inScope)} ${inScope(sql.raw('r.project_id'))}
         group by r.project_id, r.period_code`),
      rows<{ project_id: number; kind: EventKind; honour_level: HonourLevel | null; n: Num }>(sql`
        select e.project_id, e.kind::text as kind, e.honour_level::text as honour_level, count(*) as n
          from credit_events e
         where e.project_id is not null
           and e.occurred_on >= ${w.months.from}::date and e.occurred_on < ${w.months.to}::date
           and ${notAnnulled(sql.raw('e'))}
           ${inScope(sql.raw('e.project_id'))}
         group by e.project_id, e.kind, e.honour_level
         -- enum order (not text collation): the same key order on every backend and plan
         order by e.project_id, e.kind, e.honour_level`),
    ]);

    const byId = new Map<number, ProjectMetrics>();
    for (const p of masters) {
      byId.set(Number(p.id), {
        projectId: Number(p.id),
        projectCode: p.code,
        projectName: p.name,
        companyId: Number(p.company_id),
        companyUscc: p.uscc,
        streetCode: p.street_code,
        communityCode: p.community_code,
        households: Number(p.households),
        occupiedHouseholds: Number(p.occupied_households),
        floorAreaM2: toNumber(p.floor_area_m2),
        hasPartyBranch: p.has_party_branch,
        companyHasPartyOrg: p.company_has_party_org,
        survey: { respondents: 0, answers: 0, positiveAnswers: 0, phoneProxyRespondents: 0 },
        complaints: { tickets: 0, respondedInTime: 0, resolved: 0, revisited: 0, revisitSatisfied: 0 },
        fees: { months: 0, householdsBilled: 0, householdsPaid: 0, billedAmount: 0, collectedAmount: 0 },
        partyFlags: {},
        jointMeetingMonths: 0,
        threeParty: { mean: null, year: null, ratings: 0 },
        events: {},
      });
    }
    // one table's rows at a time, the event loop turning between tables (a province has 49,000 projects)
    const each = async <R extends { project_id: number }>(rows: R[], apply: (m: ProjectMetrics, row: R) => void) => {
      await yieldToEventLoop();
      for (const row of rows) {
        const m = byId.get(Number(row.project_id));
        if (m) apply(m, row);
      }
    };
    await each(survey, (m, r) => {
      m.survey = {
        respondents: toNumber(r.respondents),
        answers: toNumber(r.answers),
        positiveAnswers: toNumber(r.positive),
        phoneProxyRespondents: toNumber(r.phone),
      };
    });
    await each(complaints, (m, r) => {
      m.complaints = {
        tickets: toNumber(r.tickets),
        respondedInTime: toNumber(r.in_time),
        resolved: toNumber(r.resolved),
        revisited: toNumber(r.revisited),
        revisitSatisfied: toNumber(r.satisfied),
      };
    });
    await each(fees, (m, r) => {
      m.fees = {
        months: toNumber(r.months),
        householdsBilled: toNumber(r.households_billed),
        householdsPaid: toNumber(r.households_paid),
        billedAmount: toNumber(r.billed),
        collectedAmount: toNumber(r.collected),
      };
    });
    await each(flags, (m, r) => {
      for (const pair of r.flags.split(',')) {
        const at = pair.indexOf('=');
        m.partyFlags[pair.slice(0, at) as PartyIndicatorCode] = Number(pair.slice(at + 1));
      }
    });
    await each(meetings, (m, r) => {
      m.jointMeetingMonths = toNumber(r.months);
    });
    await each(ratings, (m, r) => {
      const count = toNumber(r.ratings);
      // sum and count are exact integers (hundredths of a point): one division, one rounding
      m.threeParty = { mean: toNumber(r.hundredths) / (count * 100), year: Number(r.year), ratings: count };
    });
    await each(events, (m, r) => addEvent(m.events, r.kind, r.honour_level, toNumber(r.n)));

    return [...byId.values()].sort((a, b) => compareCodes(a.projectCode, b.projectCode));
  }

  async companyMetrics(scope: MetricScope, params: MetricParameters, db: SnapshotReader = this.database.db): Promise<CompanyMetrics[]> {
    const w = windows(scope.period, params, this.config.timeZone);
    const inScope = this.projectFilter(scope);
    const [q1, q2] = w.quarters;
    const eventsFrom = minDate(w.months.from, w.recordWindow.from);
    const rows = <T>(query: SQL) => this.rows<T>(query, db);
    const [companies, households, events, tickets] = await Promise.all([
      rows<{ id: number; uscc: string; name: string; has_party_org: boolean }>(sql`
        select c.id, c.uscc, c.name, c.has_party_org
          from companies c
         where c.id in (select p.company_id from projects p where true ${inScope(sql.raw('p.id'))})`),
      rows<{ company_id: number; households: Num }>(sql`
        select p.company_id, sum(p.households) as households
          from projects p
         where true ${inScope(sql.raw('p.id'))}
         group by p.company_id`),
      rows<{ company_id: number; kind: EventKind; honour_level: HonourLevel | null; in_period: Num; in_window: Num }>(sql`
        select e.company_id, e.kind::text as kind, e.honour_level::text as honour_level,
               count(*) filter (where e.project_id is null
                                  and e.occurred_on >= ${w.months.from}::date) as in_period,
               count(*) filter (where e.occurred_on >= ${w.recordWindow.from}::date) as in_window
          from credit_events e
         where e.occurred_on >= ${eventsFrom}::date and e.occurred_on < ${w.months.to}::date
           and ${notAnnulled(sql.raw('e'))}
           and ${this.companyFilter(scope, sql.raw('e.company_id'))}
         group by e.company_id, e.kind, e.honour_level
         order by e.company_id, e.kind, e.honour_level`),
      rows<{ company_id: number; earlier: Num; later: Num }>(sql`
        select p.company_id,
               count(*) filter (where ${receivedIn(w.timeZone, q1.range)}) as earlier,
               count(*) filter (where ${receivedIn(w.timeZone, q2.range)}) as later
          from complaint_tickets t
          join projects p on p.id = t.project_id
         where ${receivedIn(w.timeZone, { from: q1.range.from, to: q2.range.to })} ${inScope(sql.raw('t.project_id'))}
         group by p.company_id`),
    ]);

    const householdsOf = new Map(households.map((r) => [Number(r.company_id), toNumber(r.households)]));
    const ticketsOf = new Map(tickets.map((r) => [Number(r.company_id), [toNumber(r.earlier), toNumber(r.later)]]));
    const byId = new Map<number, CompanyMetrics>();
    for (const c of companies) {
      const id = Number(c.id);
      const h = householdsOf.get(id) ?? 0;
      const [earlier, later] = ticketsOf.get(id) ?? [0, 0];
      byId.set(id, {
        companyId: id,
        uscc: c.uscc,
        name: c.name,
        hasPartyOrg: c.has_party_org,
        events: {},
        eventsInRecordWindow: {},
        complaintQuarters: [
          { quarter: q1.code, tickets: earlier, households: h },
          { quarter: q2.code, tickets: later, households: h },
        ],
      });
    }
    for (const r of events) {
      const m = byId.get(Number(r.company_id));
      if (!m) continue;
      addEvent(m.events, r.kind, r.honour_level, toNumber(r.in_period));
      addEvent(m.eventsInRecordWindow, r.kind, r.honour_level, toNumber(r.in_window));
    }
    return [...byId.values()].sort((a, b) => compareCodes(a.uscc, b.uscc));
  }

  /**
   * sha256 over, per table, the count and the sum of a 60-bit prefix of the md5 of each bucket
   * the run reads (src/db/input-digest.ts), the bucket rendered by natural keys with its own count
   * and hash: as exact as hashing every row (any change to a counted row changes its bucket's sum),
   * independent of row order and of surrogate ids, the same on PGlite and PostgreSQL. The
   * buckets are maintained at intake; `recomputed` builds them from the fact tables instead.
   * The master tables and the annulled events are read directly (a few thousand rows).
   */
  async inputDigest(scope: MetricScope, params: MetricParameters, db: SnapshotReader = this.database.db, source: DigestSource = 'maintained'): Promise<string> {
    const w = windows(scope.period, params, this.config.timeZone);
    const inScope = this.projectFilter(scope);
    const projectScope = (column: string) => inScope(sql.raw(column));
    const [q1, q2] = w.quarters;
    const ticketsFrom = minDate(w.months.from, q1.range.from);
    const ticketsTo = maxDate(w.months.to, q2.range.to);
    const eventsFrom = minDate(w.months.from, w.recordWindow.from);
    const [setting] = await this.rows<{ time_zone: string }>(sql`select time_zone from input_digest_settings where id = 1`, db);
    // tickets are bucketed by month in the settings' zone; in another zone the run's months cut
    // other buckets, so they are recomputed in the configured zone (the same formula)
    const ticketsFromTables = source === 'recomputed' || setting?.time_zone !== w.timeZone;
    const buckets = (recompute: boolean) =>
      recompute ? sql`(${sql.raw(recomputedBuckets(`'${w.timeZone.replace(/'/g, "''")}'`))})` : sql.raw('input_digest_buckets');
    const bucketSource = buckets(source === 'recomputed');
    const bucketHash = (natural: SQL) => rowHash(sql`concat_ws('|', ${natural}, b.bucket, b.detail, b.row_count, b.row_hash::text)`, sql`b.row_count`);
    const projectBuckets = (table: string, from: string, to: string, source: SQL = bucketSource) => sql`
        select ${bucketHash(sql`p.code`)}
          from ${source} b
          join projects p on p.id = b.project_id
         where b.table_name = ${table} and b.row_count <> 0 and b.bucket >= ${from} and b.bucket < ${to} ${projectScope('b.project_id')}`;

    const parts: [string, SQL][] = [
      ...this.masterParts(scope),
      ['survey_answers', projectBuckets('survey_answers', w.months.from, w.months.to)],
      ['complaint_tickets', projectBuckets('complaint_tickets', ticketsFrom, ticketsTo, buckets(ticketsFromTables))],
      ['fee_records', projectBuckets('fee_records', w.months.from, w.months.to)],
      [
        'party_checks',
        sql`select ${bucketHash(sql`p.code, coalesce(${day(sql`ap.starts_on`)}::text, '-'), coalesce(${day(sql`ap.ends_on`)}::text, '-')`)}
              from ${bucketSource} b
              join projects p on p.id = b.project_id
              left join assessment_periods ap on ap.code = b.bucket
             where b.table_name = 'party_checks' and b.row_count <> 0
               and ((b.detail in ${FLAG_INDICATORS} and ap.starts_on < ${w.months.to}::date and ap.ends_on >= ${w.months.from}::date)
                    or (b.detail = ${JOINT_MEETINGS} and b.bucket in ${w.monthCodes}))
               ${projectScope('b.project_id')}`,
      ],
      [
        'credit_events',
        sql`select ${bucketHash(sql`c.uscc, coalesce(p.code, '-')`)}
              from ${bucketSource} b
              join companies c on c.id = b.company_id
              left join projects p on p.id = b.project_id
             where b.table_name = 'credit_events' and b.row_count <> 0
               and ((b.bucket >= ${eventsFrom} and b.bucket < ${w.months.to} and ${this.companyFilter(scope, sql.raw('b.company_id'))})
                    or (b.project_id <> 0 and b.bucket >= ${w.months.from} and b.bucket < ${w.months.to} ${projectScope('b.project_id')}))`,
      ],
      [
        'annulled_events',
        sql`select ${rowHash(sql`quote_literal(e.event_no)`)}
              from credit_events e
             where e.id in (select le.event_id from ledger_entries le where le.cause = 'appeal_accepted' and le.reverses_entry_id is not null)
               and ((e.occurred_on >= ${eventsFrom}::date and e.occurred_on < ${w.months.to}::date and ${this.companyFilter(scope, sql.raw('e.company_id'))})
                    or (e.project_id is not null and e.occurred_on >= ${w.months.from}::date and e.occurred_on < ${w.months.to}::date
                        ${projectScope('e.project_id')}))`,
      ],
      [
        'three_party_ratings',
        sql`select ${bucketHash(sql`p.code`)}
              from ${bucketSource} b
              join projects p on p.id = b.project_id
             where b.table_name = 'three_party_ratings' and b.row_count <> 0
               and (b.project_id, b.bucket) in (
                   select l.project_id, max(l.bucket) from ${bucketSource} l
                    where l.table_name = 'three_party_ratings' and l.row_count <> 0
                      and l.bucket <= ${String(w.period.year)} and l.bucket ~ '^[0-9]{4}$' ${projectScope('l.project_id')}
                    group by l.project_id)
               ${projectScope('b.project_id')}`,
      ],
    ];
    return this.combine(DIGEST_VERSION, w, scope, parts, db);
  }

  /** The master tables a run reads, hashed row by row (they are small). */
  private masterParts(scope: MetricScope): [string, SQL][] {
    const projectScope = (column: string) => this.projectFilter(scope, sql.raw(column));
    return [
      [
        'streets',
        sql`select ${rowHash(sql`concat_ws('|', s.code, quote_literal(s.name))`)}
              from streets s
             where s.id in (select p.street_id from projects p where true ${projectScope('p.id')})
                ${scope.streetCode === null ? sql`` : sql`or s.code = ${scope.streetCode}`}`,
      ],
      [
        'communities',
        sql`select ${rowHash(sql`concat_ws('|', m.code, quote_literal(m.name), s.code)`)}
              from communities m
              join streets s on s.id = m.street_id
             where m.id in (select p.community_id from projects p where true ${projectScope('p.id')})`,
      ],
      [
        'companies',
        sql`select ${rowHash(sql`concat_ws('|', c.uscc, quote_literal(c.name), ${bool(sql`c.has_party_org`)})`)}
              from companies c
             where ${this.companyFilter(scope, sql.raw('c.id'))}`,
      ],
      [
        'projects',
        sql`select ${rowHash(sql`concat_ws('|', p.code, quote_literal(p.name), s.code, m.code, c.uscc, p.households, p.occupied_households,
                                          ${fixed(sql`p.floor_area_m2`, 14, 2)}, ${bool(sql`p.has_party_branch`)})`)}
              from projects p
              join streets s on s.id = p.street_id
              join communities m on m.id = p.community_id
              join companies c on c.id = p.company_id
             where true ${projectScope('p.id')}`,
      ],
    ];
  }

  private async combine(version: string, w: Windows, scope: MetricScope, parts: [string, SQL][], db: SnapshotReader): Promise<string> {
    const combined = await Promise.all(
      parts.map(async ([table, query]) => {
        const [row] = await this.rows<{ n: Num; h: Num }>(query, db);
        return `${table}:${String(row?.n ?? 0)}:${String(row?.h ?? 0)}`;
      }),
    );
    // The thresholds are rules, not inputs: they enter only through the windows (rows read).
    const header = [version, `period:${w.period.code}`, `street:${scope.streetCode ?? '*'}`];
    return createHash('sha256')
      .update([...header, ...combined].join('\n'))
      .digest('hex');
  }

  /**
   * The digest of runs made before the digest was maintained at intake (engine redprop-scoring/2
   * and older): sha256 over, per table, the count and the sum of a 60-bit prefix of each read
   * row's md5, rows rendered by natural keys. It hashes every row the run reads.
   */
  async legacyInputDigest(scope: MetricScope, params: MetricParameters, db: SnapshotReader = this.database.db): Promise<string> {
    const w = windows(scope.period, params, this.config.timeZone);
    const inScope = this.projectFilter(scope);
    const projectScope = (column: string) => inScope(sql.raw(column));
    const [q1, q2] = w.quarters;
    const ticketsFrom = minDate(w.months.from, q1.range.from);
    const ticketsTo = maxDate(w.months.to, q2.range.to);
    const eventsFrom = minDate(w.months.from, w.recordWindow.from);

    const parts: [string, SQL][] = [
      ...this.masterParts(scope),
      [
        'survey_answers',
        sql`select ${rowHash(sql`concat_ws('|', p.code, ${day(sql`a.month`)}, a.respondent_no, a.question_no, a.answer, a.channel::text)`)}
              from survey_answers a
              join projects p on p.id = a.project_id
             where a.month >= ${w.months.from}::date and a.month < ${w.months.to}::date ${projectScope('a.project_id')}`,
      ],
      [
        'complaint_tickets',
        sql`select ${rowHash(sql`concat_ws('|', t.ticket_no, p.code, ${epochMs(sql`t.received_at`)}, ${epochMs(sql`t.responded_at`)},
                                          ${epochMs(sql`t.resolved_at`)}, quote_literal(t.category), ${bool(sql`t.resolved`)},
                                          coalesce(t.revisit_verdict::text, '-'))`)}
              from complaint_tickets t
              join projects p on p.id = t.project_id
             where ${receivedIn(w.timeZone, { from: ticketsFrom, to: ticketsTo })} ${projectScope('t.project_id')}`,
      ],
      [
        'fee_records',
        sql`select ${rowHash(sql`concat_ws('|', p.code, ${day(sql`f.month`)}, ${fixed(sql`f.billed_amount`, 14, 2)},
                                          ${fixed(sql`f.collected_amount`, 14, 2)}, f.households_billed, f.households_paid)`)}
              from fee_records f
              join projects p on p.id = f.project_id
             where f.month >= ${w.months.from}::date and f.month < ${w.months.to}::date ${projectScope('f.project_id')}`,
      ],
      [
        'party_checks',
        sql`select ${rowHash(sql`concat_ws('|', p.code, k.period_code, coalesce(${day(sql`ap.starts_on`)}::text, '-'), coalesce(${day(sql`ap.ends_on`)}::text, '-'),
                                          quote_literal(k.indicator_code), ${fixed(sql`k.value`, 10, 2)}, quote_nullable(k.evidence))`)}
              from party_checks k
              join projects p on p.id = k.project_id
              left join assessment_periods ap on ap.code = k.period_code
             where ((${flagChecksOverlapping(w)}) or (${jointMeetingChecks(w)})) ${projectScope('k.project_id')}`,
      ],
      [
        'credit_events',
        sql`select ${rowHash(sql`concat_ws('|', quote_literal(e.event_no), e.kind::text, c.uscc, coalesce(p.code, '-'), ${day(sql`e.occurred_on`)},
                                          coalesce(e.honour_level::text, '-'), quote_literal(e.source), quote_literal(e.description),
                                          quote_nullable(e.evidence), (not ${notAnnulled(sql.raw('e'))})::text)`)}
              from credit_events e
              join companies c on c.id = e.company_id
              left join projects p on p.id = e.project_id
             where (e.occurred_on >= ${eventsFrom}::date and e.occurred_on < ${w.months.to}::date
                    and ${this.companyFilter(scope, sql.raw('e.company_id'))})
                or (e.project_id is not null and e.occurred_on >= ${w.months.from}::date and e.occurred_on < ${w.months.to}::date
                    ${projectScope('e.project_id')})`,
      ],
      [
        'three_party_ratings',
        sql`select ${rowHash(sql`concat_ws('|', p.code, r.period_code, r.rater_role::text, ${fixed(sql`r.rating`, 3, 2)})`)}
              from three_party_ratings r
              join projects p on p.id = r.project_id
             where ${latestRatedYear(w, sql.raw('r'))} ${projectScope('r.project_id')}`,
      ],
    ];

    return this.combine(LEGACY_DIGEST_VERSION, w, scope, parts, db);
  }

  /** Project ids cut into `count` ranges `[from, to)` of about equal width, covering every project. */
  private async projectRanges(db: SnapshotReader, count: number): Promise<{ from: number; to: number }[]> {
    const [bounds] = await this.rows<{ lo: number | null; hi: number | null }>(sql`select min(id) as lo, max(id) as hi from projects`, db);
    if (bounds?.lo == null || bounds.hi == null) return [];
    const [lo, end] = [Number(bounds.lo), Number(bounds.hi) + 1];
    const width = Math.ceil((end - lo) / count);
    return Array.from({ length: count }, (_, i) => ({ from: lo + i * width, to: Math.min(end, lo + (i + 1) * width) }));
  }

  private async rows<T>(query: SQL, db: SnapshotReader): Promise<T[]> {
    return resultRows<T>(await db.execute(query));
  }

  /** ` and <project id column> in (projects of the street)`, or nothing for every street. */
  private projectFilter(scope: MetricScope): (column: SQL) => SQL;
  private projectFilter(scope: MetricScope, column: SQL): SQL;
  private projectFilter(scope: MetricScope, column?: SQL): SQL | ((column: SQL) => SQL) {
    const filter = (c: SQL) =>
      scope.streetCode === null
        ? sql``
        : sql` and ${c} in (select sp.id from projects sp join streets ss on ss.id = sp.street_id where ss.code = ${scope.streetCode})`;
    return column ? filter(column) : filter;
  }

  /** `<company id column> in (companies managing a project in scope)` */
  private companyFilter(scope: MetricScope, column: SQL): SQL {
    return sql`${column} in (select sp.company_id from projects sp where true ${this.projectFilter(scope, sql.raw('sp.id'))})`;
  }
}

function windows(periodCode: string, params: MetricParameters, timeZone: string): Windows {
  const period = requirePeriod(periodCode);
  if (!Number.isFinite(params.positiveAnswerMin) || !Number.isFinite(params.responseWindowHours)) {
    throw badInput('METRIC_PARAMETER_INVALID', 'metric parameters must be finite numbers', '指标参数应为有效数值');
  }
  const windowMonths = params.badRecordWindowMonths;
  if (!Number.isInteger(windowMonths) || windowMonths < 1) {
    throw badInput('RECORD_WINDOW_INVALID', `invalid bad-record window ${windowMonths}`, `不良记录期限“${windowMonths}”个月无效`);
  }
  const lastQuarter = Math.ceil(period.lastMonth / 3);
  const earlier = lastQuarter === 1 ? { year: period.year - 1, quarter: 4 } : { year: period.year, quarter: lastQuarter - 1 };
  const quarter = (year: number, q: number) => ({ code: `${year}-Q${q}`, range: monthRange(year, q * 3 - 2, 3) });
  return {
    period,
    timeZone,
    months: monthRange(period.year, period.firstMonth, period.lastMonth - period.firstMonth + 1),
    monthCodes: periodMonths(period),
    recordWindow: monthRange(period.year, period.lastMonth - windowMonths + 1, windowMonths),
    quarters: [quarter(earlier.year, earlier.quarter), quarter(period.year, lastQuarter)],
  };
}

/** `count` months from month `first` of `year` (which may fall outside 1..12). */
function monthRange(year: number, first: number, count: number): DateRange {
  return { from: firstOfMonth(year, first), to: firstOfMonth(year, first + count) };
}

function firstOfMonth(year: number, month: number): string {
  const index = year * 12 + (month - 1);
  return `${monthCode(Math.floor(index / 12), (((index % 12) + 12) % 12) + 1)}-01`;
}

const minDate = (a: string, b: string) => (a < b ? a : b);
const maxDate = (a: string, b: string) => (a > b ? a : b);

/** Tickets whose receipt, in local time of `timeZone`, falls in `[from, to)`. */
function receivedIn(timeZone: string, range: DateRange): SQL {
  return sql`t.received_at >= (${range.from}::timestamp at time zone ${timeZone})
         and t.received_at < (${range.to}::timestamp at time zone ${timeZone})`;
}

/** Project flag checks (alias k, periods ap) whose period overlaps the assessed period. */
function flagChecksOverlapping(w: Windows): SQL {
  return sql`k.scope = 'project' and k.indicator_code in ${FLAG_INDICATORS}
         and ap.starts_on < ${w.months.to}::date and ap.ends_on >= ${w.months.from}::date`;
}

/** Project joint-meeting checks (alias k) recorded for a month of the period. */
function jointMeetingChecks(w: Windows): SQL {
  return sql`k.scope = 'project' and k.indicator_code = ${JOINT_MEETINGS} and k.period_code in ${w.monthCodes}`;
}

/** Ratings (alias r) of each project's latest rated year not after the period's year. */
function latestRatedYear(w: Windows, r: SQL, inScope: (column: SQL) => SQL = () => sql``): SQL {
  return sql`(${r}.project_id, ${r}.period_code) in (
      select l.project_id, max(l.period_code) from three_party_ratings l
       where l.period_code <= ${String(w.period.year)} and l.period_code ~ '^[0-9]{4}$' ${inScope(sql.raw('l.project_id'))}
       group by l.project_id)`;
}

/** `count(*)` (or the sum of `count`) and the exact sum of the first 15 hex digits (60 bits) of each row's md5. */
function rowHash(text: SQL, count?: SQL): SQL {
  const n = count ? sql`coalesce(sum(${count}), 0)` : sql`count(*)`;
  return sql`${n}::text as n, coalesce(sum(('x' || substr(md5(${text}), 1, 15))::bit(60)::bigint), 0)::text as h`;
}

/**
 * A date as its day number since 2000-01-01: as explicit as `to_char(d, 'YYYY-MM-DD')`, free of
 * DateStyle, and a third of the cost (to_char alone adds ~5 s over 15.9 M survey rows).
 */
const day = (column: SQL) => sql`(${column} - date '2000-01-01')`;
const bool = (column: SQL) => sql`case when ${column} then 't' else 'f' end`;
const fixed = (column: SQL, precision: number, scale: number) => sql`(${column})::numeric(${sql.raw(String(precision))}, ${sql.raw(String(scale))})::text`;
/** epoch milliseconds, `-` for null */
const epochMs = (column: SQL) => sql`coalesce(floor(extract(epoch from ${column}) * 1000)::bigint::text, '-')`;

function toNumber(value: Num): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

function addEvent(counts: EventCounts, kind: EventKind, level: HonourLevel | null, n: number): void {
  if (n === 0) return;
  counts[kind] = (counts[kind] ?? 0) + n;
  if (kind === 'honour' && level) {
    const byLevel = (counts.honourByLevel ??= {});
    byLevel[level] = (byLevel[level] ?? 0) + n;
  }
}

/** Code-point order: the same on every backend whatever its collation. */
function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
