CREATE TABLE "input_digest_buckets" (
	"table_name" text NOT NULL,
	"company_id" integer NOT NULL,
	"project_id" integer NOT NULL,
	"bucket" text NOT NULL,
	"detail" text NOT NULL,
	"row_count" bigint NOT NULL,
	"row_hash" numeric(40, 0) NOT NULL,
	CONSTRAINT "input_digest_buckets_pkey" PRIMARY KEY("table_name","company_id","project_id","bucket","detail")
);
--> statement-breakpoint
CREATE TABLE "input_digest_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"time_zone" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "ledger_entries_event_idx" ON "ledger_entries" USING btree ("event_id");--> statement-breakpoint
CREATE FUNCTION redprop_h60(text) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ select ('x' || substr(md5($1), 1, 15))::bit(60)::bigint $$;--> statement-breakpoint
INSERT INTO input_digest_settings (id, time_zone) VALUES (1, 'Asia/Shanghai');--> statement-breakpoint
CREATE FUNCTION input_digest_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM input_digest_buckets WHERE table_name = TG_TABLE_NAME;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION input_digest_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('input_digest_buckets'), hashtext(TG_TABLE_NAME));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION input_digest_survey_answers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  digest_zone text := (select s.time_zone from input_digest_settings s where s.id = 1);
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'survey_answers'::text as table_name, 0 as company_id, r.project_id as project_id, to_char(r.month, 'YYYY-MM-DD') as bucket, '' as detail,
       -count(*)::bigint as row_count, -sum(redprop_h60(concat_ws('|', r.respondent_no, r.question_no, r.answer, r.channel::text)))::numeric(40, 0) as row_hash
  from old_rows r
 group by r.project_id, to_char(r.month, 'YYYY-MM-DD')
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'survey_answers'::text as table_name, 0 as company_id, r.project_id as project_id, to_char(r.month, 'YYYY-MM-DD') as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.respondent_no, r.question_no, r.answer, r.channel::text)))::numeric(40, 0) as row_hash
  from new_rows r
 group by r.project_id, to_char(r.month, 'YYYY-MM-DD')
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER input_digest_lock BEFORE INSERT OR UPDATE OR DELETE ON "survey_answers" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_lock();--> statement-breakpoint
CREATE TRIGGER input_digest_insert AFTER INSERT ON "survey_answers" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_survey_answers();--> statement-breakpoint
CREATE TRIGGER input_digest_update AFTER UPDATE ON "survey_answers" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_survey_answers();--> statement-breakpoint
CREATE TRIGGER input_digest_delete AFTER DELETE ON "survey_answers" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_survey_answers();--> statement-breakpoint
CREATE TRIGGER input_digest_truncate AFTER TRUNCATE ON "survey_answers" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_truncated();--> statement-breakpoint
INSERT INTO input_digest_buckets (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
select 'survey_answers'::text as table_name, 0 as company_id, r.project_id as project_id, to_char(r.month, 'YYYY-MM-DD') as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.respondent_no, r.question_no, r.answer, r.channel::text)))::numeric(40, 0) as row_hash
  from "survey_answers" r
 group by r.project_id, to_char(r.month, 'YYYY-MM-DD');--> statement-breakpoint
CREATE FUNCTION input_digest_complaint_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  digest_zone text := (select s.time_zone from input_digest_settings s where s.id = 1);
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'complaint_tickets'::text as table_name, 0 as company_id, r.project_id as project_id, to_char((r.received_at at time zone digest_zone), 'YYYY-MM') || '-01' as bucket, '' as detail,
       -count(*)::bigint as row_count, -sum(redprop_h60(concat_ws('|', r.ticket_no, coalesce(floor(extract(epoch from r.received_at) * 1000)::bigint::text, '-'), coalesce(floor(extract(epoch from r.responded_at) * 1000)::bigint::text, '-'), coalesce(floor(extract(epoch from r.resolved_at) * 1000)::bigint::text, '-'),
                     quote_literal(r.category), case when r.resolved then 't' else 'f' end, coalesce(r.revisit_verdict::text, '-'))))::numeric(40, 0) as row_hash
  from old_rows r
 group by r.project_id, to_char((r.received_at at time zone digest_zone), 'YYYY-MM') || '-01'
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'complaint_tickets'::text as table_name, 0 as company_id, r.project_id as project_id, to_char((r.received_at at time zone digest_zone), 'YYYY-MM') || '-01' as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.ticket_no, coalesce(floor(extract(epoch from r.received_at) * 1000)::bigint::text, '-'), coalesce(floor(extract(epoch from r.responded_at) * 1000)::bigint::text, '-'), coalesce(floor(extract(epoch from r.resolved_at) * 1000)::bigint::text, '-'),
                     quote_literal(r.category), case when r.resolved then 't' else 'f' end, coalesce(r.revisit_verdict::text, '-'))))::numeric(40, 0) as row_hash
  from new_rows r
 group by r.project_id, to_char((r.received_at at time zone digest_zone), 'YYYY-MM') || '-01'
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER input_digest_lock BEFORE INSERT OR UPDATE OR DELETE ON "complaint_tickets" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_lock();--> statement-breakpoint
CREATE TRIGGER input_digest_insert AFTER INSERT ON "complaint_tickets" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_complaint_tickets();--> statement-breakpoint
CREATE TRIGGER input_digest_update AFTER UPDATE ON "complaint_tickets" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_complaint_tickets();--> statement-breakpoint
CREATE TRIGGER input_digest_delete AFTER DELETE ON "complaint_tickets" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_complaint_tickets();--> statement-breakpoint
CREATE TRIGGER input_digest_truncate AFTER TRUNCATE ON "complaint_tickets" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_truncated();--> statement-breakpoint
INSERT INTO input_digest_buckets (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
select 'complaint_tickets'::text as table_name, 0 as company_id, r.project_id as project_id, to_char((r.received_at at time zone (select s.time_zone from input_digest_settings s where s.id = 1)), 'YYYY-MM') || '-01' as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.ticket_no, coalesce(floor(extract(epoch from r.received_at) * 1000)::bigint::text, '-'), coalesce(floor(extract(epoch from r.responded_at) * 1000)::bigint::text, '-'), coalesce(floor(extract(epoch from r.resolved_at) * 1000)::bigint::text, '-'),
                     quote_literal(r.category), case when r.resolved then 't' else 'f' end, coalesce(r.revisit_verdict::text, '-'))))::numeric(40, 0) as row_hash
  from "complaint_tickets" r
 group by r.project_id, to_char((r.received_at at time zone (select s.time_zone from input_digest_settings s where s.id = 1)), 'YYYY-MM') || '-01';--> statement-breakpoint
CREATE FUNCTION input_digest_fee_records() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  digest_zone text := (select s.time_zone from input_digest_settings s where s.id = 1);
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'fee_records'::text as table_name, 0 as company_id, r.project_id as project_id, to_char(r.month, 'YYYY-MM-DD') as bucket, '' as detail,
       -count(*)::bigint as row_count, -sum(redprop_h60(concat_ws('|', r.billed_amount::numeric(14, 2)::text, r.collected_amount::numeric(14, 2)::text, r.households_billed, r.households_paid)))::numeric(40, 0) as row_hash
  from old_rows r
 group by r.project_id, to_char(r.month, 'YYYY-MM-DD')
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'fee_records'::text as table_name, 0 as company_id, r.project_id as project_id, to_char(r.month, 'YYYY-MM-DD') as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.billed_amount::numeric(14, 2)::text, r.collected_amount::numeric(14, 2)::text, r.households_billed, r.households_paid)))::numeric(40, 0) as row_hash
  from new_rows r
 group by r.project_id, to_char(r.month, 'YYYY-MM-DD')
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER input_digest_lock BEFORE INSERT OR UPDATE OR DELETE ON "fee_records" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_lock();--> statement-breakpoint
CREATE TRIGGER input_digest_insert AFTER INSERT ON "fee_records" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_fee_records();--> statement-breakpoint
CREATE TRIGGER input_digest_update AFTER UPDATE ON "fee_records" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_fee_records();--> statement-breakpoint
CREATE TRIGGER input_digest_delete AFTER DELETE ON "fee_records" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_fee_records();--> statement-breakpoint
CREATE TRIGGER input_digest_truncate AFTER TRUNCATE ON "fee_records" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_truncated();--> statement-breakpoint
INSERT INTO input_digest_buckets (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
select 'fee_records'::text as table_name, 0 as company_id, r.project_id as project_id, to_char(r.month, 'YYYY-MM-DD') as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.billed_amount::numeric(14, 2)::text, r.collected_amount::numeric(14, 2)::text, r.households_billed, r.households_paid)))::numeric(40, 0) as row_hash
  from "fee_records" r
 group by r.project_id, to_char(r.month, 'YYYY-MM-DD');--> statement-breakpoint
CREATE FUNCTION input_digest_party_checks() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  digest_zone text := (select s.time_zone from input_digest_settings s where s.id = 1);
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'party_checks'::text as table_name, 0 as company_id, r.project_id as project_id, r.period_code as bucket, r.indicator_code as detail,
       -count(*)::bigint as row_count, -sum(redprop_h60(concat_ws('|', r.value::numeric(10, 2)::text, quote_nullable(r.evidence))))::numeric(40, 0) as row_hash
  from old_rows r where r.scope = 'project'
 group by r.project_id, r.period_code, r.indicator_code
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'party_checks'::text as table_name, 0 as company_id, r.project_id as project_id, r.period_code as bucket, r.indicator_code as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.value::numeric(10, 2)::text, quote_nullable(r.evidence))))::numeric(40, 0) as row_hash
  from new_rows r where r.scope = 'project'
 group by r.project_id, r.period_code, r.indicator_code
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER input_digest_lock BEFORE INSERT OR UPDATE OR DELETE ON "party_checks" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_lock();--> statement-breakpoint
CREATE TRIGGER input_digest_insert AFTER INSERT ON "party_checks" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_party_checks();--> statement-breakpoint
CREATE TRIGGER input_digest_update AFTER UPDATE ON "party_checks" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_party_checks();--> statement-breakpoint
CREATE TRIGGER input_digest_delete AFTER DELETE ON "party_checks" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_party_checks();--> statement-breakpoint
CREATE TRIGGER input_digest_truncate AFTER TRUNCATE ON "party_checks" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_truncated();--> statement-breakpoint
INSERT INTO input_digest_buckets (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
select 'party_checks'::text as table_name, 0 as company_id, r.project_id as project_id, r.period_code as bucket, r.indicator_code as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.value::numeric(10, 2)::text, quote_nullable(r.evidence))))::numeric(40, 0) as row_hash
  from "party_checks" r where r.scope = 'project'
 group by r.project_id, r.period_code, r.indicator_code;--> statement-breakpoint
CREATE FUNCTION input_digest_credit_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  digest_zone text := (select s.time_zone from input_digest_settings s where s.id = 1);
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'credit_events'::text as table_name, r.company_id as company_id, coalesce(r.project_id, 0) as project_id, to_char(r.occurred_on, 'YYYY-MM') || '-01' as bucket, '' as detail,
       -count(*)::bigint as row_count, -sum(redprop_h60(concat_ws('|', quote_literal(r.event_no), r.kind::text, r.occurred_on - date '2000-01-01', coalesce(r.honour_level::text, '-'),
                     quote_literal(r.source), quote_literal(r.description), quote_nullable(r.evidence))))::numeric(40, 0) as row_hash
  from old_rows r
 group by r.company_id, coalesce(r.project_id, 0), to_char(r.occurred_on, 'YYYY-MM') || '-01'
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'credit_events'::text as table_name, r.company_id as company_id, coalesce(r.project_id, 0) as project_id, to_char(r.occurred_on, 'YYYY-MM') || '-01' as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', quote_literal(r.event_no), r.kind::text, r.occurred_on - date '2000-01-01', coalesce(r.honour_level::text, '-'),
                     quote_literal(r.source), quote_literal(r.description), quote_nullable(r.evidence))))::numeric(40, 0) as row_hash
  from new_rows r
 group by r.company_id, coalesce(r.project_id, 0), to_char(r.occurred_on, 'YYYY-MM') || '-01'
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER input_digest_lock BEFORE INSERT OR UPDATE OR DELETE ON "credit_events" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_lock();--> statement-breakpoint
CREATE TRIGGER input_digest_insert AFTER INSERT ON "credit_events" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_credit_events();--> statement-breakpoint
CREATE TRIGGER input_digest_update AFTER UPDATE ON "credit_events" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_credit_events();--> statement-breakpoint
CREATE TRIGGER input_digest_delete AFTER DELETE ON "credit_events" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_credit_events();--> statement-breakpoint
CREATE TRIGGER input_digest_truncate AFTER TRUNCATE ON "credit_events" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_truncated();--> statement-breakpoint
INSERT INTO input_digest_buckets (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
select 'credit_events'::text as table_name, r.company_id as company_id, coalesce(r.project_id, 0) as project_id, to_char(r.occurred_on, 'YYYY-MM') || '-01' as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', quote_literal(r.event_no), r.kind::text, r.occurred_on - date '2000-01-01', coalesce(r.honour_level::text, '-'),
                     quote_literal(r.source), quote_literal(r.description), quote_nullable(r.evidence))))::numeric(40, 0) as row_hash
  from "credit_events" r
 group by r.company_id, coalesce(r.project_id, 0), to_char(r.occurred_on, 'YYYY-MM') || '-01';--> statement-breakpoint
CREATE FUNCTION input_digest_three_party_ratings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  digest_zone text := (select s.time_zone from input_digest_settings s where s.id = 1);
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'three_party_ratings'::text as table_name, 0 as company_id, r.project_id as project_id, r.period_code as bucket, '' as detail,
       -count(*)::bigint as row_count, -sum(redprop_h60(concat_ws('|', r.rater_role::text, r.rating::numeric(3, 2)::text)))::numeric(40, 0) as row_hash
  from old_rows r
 group by r.project_id, r.period_code
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO input_digest_buckets AS b (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
    select 'three_party_ratings'::text as table_name, 0 as company_id, r.project_id as project_id, r.period_code as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.rater_role::text, r.rating::numeric(3, 2)::text)))::numeric(40, 0) as row_hash
  from new_rows r
 group by r.project_id, r.period_code
    on conflict on constraint input_digest_buckets_pkey
      do update set row_count = b.row_count + excluded.row_count, row_hash = b.row_hash + excluded.row_hash;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER input_digest_lock BEFORE INSERT OR UPDATE OR DELETE ON "three_party_ratings" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_lock();--> statement-breakpoint
CREATE TRIGGER input_digest_insert AFTER INSERT ON "three_party_ratings" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_three_party_ratings();--> statement-breakpoint
CREATE TRIGGER input_digest_update AFTER UPDATE ON "three_party_ratings" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_three_party_ratings();--> statement-breakpoint
CREATE TRIGGER input_digest_delete AFTER DELETE ON "three_party_ratings" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION input_digest_three_party_ratings();--> statement-breakpoint
CREATE TRIGGER input_digest_truncate AFTER TRUNCATE ON "three_party_ratings" FOR EACH STATEMENT EXECUTE FUNCTION input_digest_truncated();--> statement-breakpoint
INSERT INTO input_digest_buckets (table_name, company_id, project_id, bucket, detail, row_count, row_hash)
select 'three_party_ratings'::text as table_name, 0 as company_id, r.project_id as project_id, r.period_code as bucket, '' as detail,
       count(*)::bigint as row_count, sum(redprop_h60(concat_ws('|', r.rater_role::text, r.rating::numeric(3, 2)::text)))::numeric(40, 0) as row_hash
  from "three_party_ratings" r
 group by r.project_id, r.period_code;--> statement-breakpoint
ANALYZE input_digest_buckets;