/**
 * How the rows of the fact tables enter the input digest maintained at intake (table
 * input_digest_buckets): each row is rendered to text by its own columns (its project, company,
 * month or period are the bucket, rendered by natural key when a run combines the buckets), and
 * a bucket holds the count and the exact sum of the first 60 bits of the md5 of its rows' texts.
 *
 * The same text is migration 0006's triggers and backfill (test/input-digest.test.ts holds the
 * migration to it) and the full recomputation the maintained buckets are checked against: change a
 * rendering only together with a new migration and a new digest version.
 */
export interface DigestedTable {
  readonly table: string;
  /** expressions over the row alias `r` */
  readonly companyId: string;
  readonly projectId: string;
  readonly bucket: string;
  readonly detail: string;
  readonly row: string;
  /** the rows of the table that a run may read at all */
  readonly where?: string;
}

/** `%ZONE%` in a rendering: the time zone of the complaint months (input_digest_settings). */
export const ZONE_PLACEHOLDER = '%ZONE%';

const epochMs = (column: string) => `coalesce(floor(extract(epoch from ${column}) * 1000)::bigint::text, '-')`;
const monthOf = (date: string) => `to_char(${date}, 'YYYY-MM') || '-01'`;

export const DIGESTED_TABLES: readonly DigestedTable[] = [
  {
    table: 'survey_answers',
    companyId: '0',
    projectId: 'r.project_id',
    bucket: `to_char(r.month, 'YYYY-MM-DD')`,
    detail: `''`,
    row: `concat_ws('|', r.respondent_no, r.question_no, r.answer, r.channel::text)`,
  },
  {
    table: 'complaint_tickets',
    companyId: '0',
    projectId: 'r.project_id',
    bucket: monthOf(`(r.received_at at time zone ${ZONE_PLACEHOLDER})`),
    detail: `''`,
    row: `concat_ws('|', r.ticket_no, ${epochMs('r.received_at')}, ${epochMs('r.responded_at')}, ${epochMs('r.resolved_at')},
                     quote_literal(r.category), case when r.resolved then 't' else 'f' end, coalesce(r.revisit_verdict::text, '-'))`,
  },
  {
    table: 'fee_records',
    companyId: '0',
    projectId: 'r.project_id',
    bucket: `to_char(r.month, 'YYYY-MM-DD')`,
    detail: `''`,
    row: `concat_ws('|', r.billed_amount::numeric(14, 2)::text, r.collected_amount::numeric(14, 2)::text, r.households_billed, r.households_paid)`,
  },
  {
    table: 'party_checks',
    companyId: '0',
    projectId: 'r.project_id',
    bucket: 'r.period_code',
    detail: 'r.indicator_code',
    row: `concat_ws('|', r.value::numeric(10, 2)::text, quote_nullable(r.evidence))`,
    where: `r.scope = 'project'`,
  },
  {
    table: 'credit_events',
    companyId: 'r.company_id',
    projectId: 'coalesce(r.project_id, 0)',
    bucket: monthOf('r.occurred_on'),
    detail: `''`,
    row: `concat_ws('|', quote_literal(r.event_no), r.kind::text, r.occurred_on - date '2000-01-01', coalesce(r.honour_level::text, '-'),
                     quote_literal(r.source), quote_literal(r.description), quote_nullable(r.evidence))`,
  },
  {
    table: 'three_party_ratings',
    companyId: '0',
    projectId: 'r.project_id',
    bucket: 'r.period_code',
    detail: `''`,
    row: `concat_ws('|', r.rater_role::text, r.rating::numeric(3, 2)::text)`,
  },
];

/** The buckets of `source` (the table itself, or a transition table) as rows of input_digest_buckets. */
export function bucketAggregate(spec: DigestedTable, source: string, zone: string, sign: 1 | -1 = 1): string {
  const render = (expression: string) => expression.split(ZONE_PLACEHOLDER).join(zone);
  const keys = [spec.companyId, spec.projectId, render(spec.bucket), spec.detail];
  const grouped = keys.filter((k) => k !== '0' && k !== `''`);
  const minus = sign < 0 ? '-' : '';
  return `select '${spec.table}'::text as table_name, ${keys[0]} as company_id, ${keys[1]} as project_id, ${keys[2]} as bucket, ${keys[3]} as detail,
       ${minus}count(*)::bigint as row_count, ${minus}sum(redprop_h60(${render(spec.row)}))::numeric(40, 0) as row_hash
  from ${source} r${spec.where ? ` where ${spec.where}` : ''}
 group by ${grouped.join(', ')}`;
}

/** Every bucket recomputed from the tables themselves: what input_digest_buckets must hold (count 0 left out). */
export function recomputedBuckets(zone: string): string {
  return DIGESTED_TABLES.map((spec) => bucketAggregate(spec, `"${spec.table}"`, zone)).join('\nunion all\n');
}

const ZONE_OF_SETTINGS = '(select s.time_zone from input_digest_settings s where s.id = 1)';

/** The DDL of migration 0006 after drizzle's tables: functions, triggers, the first time zone and the backfill. */
export function digestMigrationSql(): string {
  const upsert = `on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash`;
  const statements: string[] = [
    `CREATE FUNCTION redprop_h60(text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ select ('x' || substr(md5($1), 1, 15))::bit(60)::bigint $$`,
    `INSERT INTO input_digest_settings (id, time_zone) VALUES (1, 'Asia/Shanghai')`,
    `CREATE FUNCTION input_digest_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM input_digest_buckets WHERE table_name = TG_TABLE_NAME;
  RETURN NULL;
END $$`,
    // Two loads upserting the same buckets in different orders would deadlock (in chunks of 1000
    // rows, so no ORDER BY in one statement can order a whole load). Before its first row in a
    // table, a transaction takes that table's lock until it ends: bucket rows of a table are written
    // by one transaction at a time, and it waits holding no row of that table. Intake writes the
    // tables in one order (FACT_KINDS), so these locks are taken in one order too.
    `CREATE FUNCTION input_digest_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('input_digest_buckets'), hashtext(TG_TABLE_NAME));
  RETURN NULL;
END $$`,
  ];
  for (const spec of DIGESTED_TABLES) {
    const fn = `input_digest_${spec.table}`;
    statements.push(
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  digest_zone text := ${ZONE_OF_SETTINGS};
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    ${bucketAggregate(spec, 'old_rows', 'digest_zone', -1)}
    ${upsert};
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    ${bucketAggregate(spec, 'new_rows', 'digest_zone')}
    ${upsert};
  END IF;
  RETURN NULL;
END $$`,
      `CREATE TRIGGER input_digest_lock BEFORE INSERT OR UPDATE OR DELETE ON "${spec.table}" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_lock()`,
      `CREATE TRIGGER input_digest_insert AFTER INSERT ON "${spec.table}" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      `CREATE TRIGGER input_digest_update AFTER UPDATE ON "${spec.table}" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      `CREATE TRIGGER input_digest_delete AFTER DELETE ON "${spec.table}" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      `CREATE TRIGGER input_digest_truncate AFTER TRUNCATE ON "${spec.table}" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_truncated()`,
      `INSERT INTO input_digest_buckets (table_name, company_id, project_id, bucket, detail, row_count, row_hash)\n${bucketAggregate(spec, `"${spec.table}"`, ZONE_OF_SETTINGS)}`,
    );
  }
  // planner statistics for the first runs: without them a run's bucket joins took 3.5 s instead of 1 s at city scale
  statements.push('ANALYZE input_digest_buckets');
  return statements.join(';--> statement-breakpoint\n') + ';';
}
