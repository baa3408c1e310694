CREATE TYPE "public"."list_name" AS ENUM('red', 'black');--> statement-breakpoint
CREATE TYPE "public"."list_severity" AS ENUM('general', 'serious', 'safety');--> statement-breakpoint
CREATE TYPE "public"."list_transition_kind" AS ENUM('entered', 'held', 'cleared', 'exited', 'expired');--> statement-breakpoint
CREATE TYPE "public"."run_status" AS ENUM('draft', 'published', 'superseded');--> statement-breakpoint
CREATE TABLE "assessment_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"period_code" text NOT NULL,
	"street_code" text,
	"rule_set_name" text NOT NULL,
	"rule_set_version" text NOT NULL,
	"rule_set_fingerprint" text NOT NULL,
	"rule_set_files" jsonb NOT NULL,
	"engine_version" text NOT NULL,
	"input_digest" text NOT NULL,
	"fingerprint" text NOT NULL,
	"outcome_digest" text NOT NULL,
	"summary" jsonb NOT NULL,
	"status" "run_status" DEFAULT 'draft' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "company_results" (
	"run_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"score" numeric(7, 2),
	"grade" text,
	"outcome" jsonb NOT NULL,
	CONSTRAINT "company_results_run_id_company_id_pk" PRIMARY KEY("run_id","company_id")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"event_id" integer,
	"entry_date" date NOT NULL,
	"points" numeric(7, 2) NOT NULL,
	"reason" text NOT NULL,
	"rule_id" text NOT NULL,
	"evidence" text,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"run_id" integer,
	"reverses_entry_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"list" "list_name" NOT NULL,
	"severity" "list_severity" NOT NULL,
	"rule_id" text NOT NULL,
	"clause" text NOT NULL,
	"reason" text NOT NULL,
	"started_on" date NOT NULL,
	"min_end_on" date NOT NULL,
	"max_end_on" date NOT NULL,
	"run_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "list_transitions" (
	"id" serial PRIMARY KEY NOT NULL,
	"entry_id" integer NOT NULL,
	"kind" "list_transition_kind" NOT NULL,
	"on" date NOT NULL,
	"streak" smallint DEFAULT 0 NOT NULL,
	"note" text NOT NULL,
	"run_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_results" (
	"run_id" integer NOT NULL,
	"project_id" integer NOT NULL,
	"assessed" boolean NOT NULL,
	"total" numeric(7, 2),
	"stars" smallint,
	"outcome" jsonb NOT NULL,
	CONSTRAINT "project_results_run_id_project_id_pk" PRIMARY KEY("run_id","project_id")
);
--> statement-breakpoint
ALTER TABLE "company_results" ADD CONSTRAINT "company_results_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_results" ADD CONSTRAINT "company_results_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_event_id_credit_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."credit_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_entries" ADD CONSTRAINT "list_entries_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_entries" ADD CONSTRAINT "list_entries_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_transitions" ADD CONSTRAINT "list_transitions_entry_id_list_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."list_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "list_transitions" ADD CONSTRAINT "list_transitions_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_results" ADD CONSTRAINT "project_results_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_results" ADD CONSTRAINT "project_results_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_runs_one_published" ON "assessment_runs" USING btree ("period_code",coalesce("street_code", '')) WHERE "assessment_runs"."status" = 'published';--> statement-breakpoint
CREATE INDEX "ledger_entries_company_idx" ON "ledger_entries" USING btree ("company_id","entry_date");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_event_rule" ON "ledger_entries" USING btree ("event_id","rule_id") WHERE "ledger_entries"."reverses_entry_id" is null;--> statement-breakpoint
CREATE INDEX "list_entries_company_idx" ON "list_entries" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "list_transitions_entry_idx" ON "list_transitions" USING btree ("entry_id");