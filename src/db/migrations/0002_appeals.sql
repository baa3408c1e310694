CREATE TYPE "public"."appeal_line_state" AS ENUM('submitted', 'bureau_review', 'accepted', 'rejected', 'replaced');--> statement-breakpoint
CREATE TYPE "public"."change_cause" AS ENUM('assessment', 'appeal_accepted', 'credit_repair');--> statement-breakpoint
CREATE TYPE "public"."credit_repair_state" AS ENUM('applied', 'approved', 'refused');--> statement-breakpoint
CREATE TYPE "public"."review_level" AS ENUM('street', 'bureau');--> statement-breakpoint
CREATE TYPE "public"."review_outcome" AS ENUM('accept', 'reject');--> statement-breakpoint
CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appeal_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"appeal_line_id" integer NOT NULL,
	"level" "review_level" NOT NULL,
	"outcome" "review_outcome" NOT NULL,
	"reviewer" text NOT NULL,
	"reason" text NOT NULL,
	"decided_value" jsonb,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appeal_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"appeal_id" integer NOT NULL,
	"run_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"line_id" text NOT NULL,
	"sheet_row" integer NOT NULL,
	"project_id" integer,
	"section" text NOT NULL,
	"rule_id" text,
	"fact" text,
	"original_value" jsonb,
	"claimed_value" jsonb,
	"claimed_text" text,
	"reason" text NOT NULL,
	"evidence" text,
	"state" "appeal_line_state" DEFAULT 'submitted' NOT NULL,
	"round" smallint DEFAULT 1 NOT NULL,
	"previous_line_id" integer,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appeal_sheet_exports" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"revision" smallint NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by" text NOT NULL,
	"signature" text NOT NULL,
	"cells" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appeals" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"export_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"company_id" integer,
	"run_id" integer,
	"subject" text NOT NULL,
	"details" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company_revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"revision" smallint NOT NULL,
	"score" numeric(7, 2),
	"grade" text,
	"outcome" jsonb NOT NULL,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "company_revisions_key" UNIQUE("run_id","company_id","revision")
);
--> statement-breakpoint
CREATE TABLE "credit_repairs" (
	"id" serial PRIMARY KEY NOT NULL,
	"entry_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"rectification" text NOT NULL,
	"evidence" text NOT NULL,
	"applicant" text NOT NULL,
	"applied_at" timestamp with time zone NOT NULL,
	"state" "credit_repair_state" DEFAULT 'applied' NOT NULL,
	"decided_by" text,
	"decision_reason" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "fact_corrections" (
	"id" serial PRIMARY KEY NOT NULL,
	"appeal_line_id" integer NOT NULL,
	"run_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"project_id" integer,
	"fact" text NOT NULL,
	"original_value" jsonb,
	"corrected_value" jsonb NOT NULL,
	"revision_id" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "fact_corrections_appeal_line_id_unique" UNIQUE("appeal_line_id")
);
--> statement-breakpoint
CREATE TABLE "final_results" (
	"run_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"revision" smallint NOT NULL,
	"finalized_at" timestamp with time zone NOT NULL,
	CONSTRAINT "final_results_run_id_company_id_pk" PRIMARY KEY("run_id","company_id")
);
--> statement-breakpoint
CREATE TABLE "project_revisions" (
	"revision_id" integer NOT NULL,
	"run_id" integer NOT NULL,
	"project_id" integer NOT NULL,
	"revision" smallint NOT NULL,
	"assessed" boolean NOT NULL,
	"total" numeric(7, 2),
	"stars" smallint,
	"outcome" jsonb NOT NULL,
	CONSTRAINT "project_revisions_run_id_project_id_revision_pk" PRIMARY KEY("run_id","project_id","revision")
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "cause" "change_cause" DEFAULT 'assessment' NOT NULL;--> statement-breakpoint
ALTER TABLE "list_transitions" ADD COLUMN "cause" "change_cause" DEFAULT 'assessment' NOT NULL;--> statement-breakpoint
ALTER TABLE "appeal_decisions" ADD CONSTRAINT "appeal_decisions_appeal_line_id_appeal_lines_id_fk" FOREIGN KEY ("appeal_line_id") REFERENCES "public"."appeal_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_lines" ADD CONSTRAINT "appeal_lines_appeal_id_appeals_id_fk" FOREIGN KEY ("appeal_id") REFERENCES "public"."appeals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_lines" ADD CONSTRAINT "appeal_lines_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_lines" ADD CONSTRAINT "appeal_lines_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_lines" ADD CONSTRAINT "appeal_lines_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_sheet_exports" ADD CONSTRAINT "appeal_sheet_exports_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_sheet_exports" ADD CONSTRAINT "appeal_sheet_exports_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_export_id_appeal_sheet_exports_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."appeal_sheet_exports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_revisions" ADD CONSTRAINT "company_revisions_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_revisions" ADD CONSTRAINT "company_revisions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_repairs" ADD CONSTRAINT "credit_repairs_entry_id_list_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."list_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_repairs" ADD CONSTRAINT "credit_repairs_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_corrections" ADD CONSTRAINT "fact_corrections_appeal_line_id_appeal_lines_id_fk" FOREIGN KEY ("appeal_line_id") REFERENCES "public"."appeal_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_corrections" ADD CONSTRAINT "fact_corrections_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_corrections" ADD CONSTRAINT "fact_corrections_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_corrections" ADD CONSTRAINT "fact_corrections_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fact_corrections" ADD CONSTRAINT "fact_corrections_revision_id_company_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."company_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "final_results" ADD CONSTRAINT "final_results_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "final_results" ADD CONSTRAINT "final_results_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_revisions" ADD CONSTRAINT "project_revisions_revision_id_company_revisions_id_fk" FOREIGN KEY ("revision_id") REFERENCES "public"."company_revisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_revisions" ADD CONSTRAINT "project_revisions_run_id_assessment_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."assessment_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_revisions" ADD CONSTRAINT "project_revisions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appeal_decisions_line_idx" ON "appeal_decisions" USING btree ("appeal_line_id");--> statement-breakpoint
CREATE INDEX "appeal_lines_company_idx" ON "appeal_lines" USING btree ("run_id","company_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appeal_lines_one_open" ON "appeal_lines" USING btree ("run_id","line_id") WHERE "appeal_lines"."state" in ('submitted', 'bureau_review');--> statement-breakpoint
CREATE INDEX "appeal_sheet_exports_company_idx" ON "appeal_sheet_exports" USING btree ("run_id","company_id");--> statement-breakpoint
CREATE INDEX "appeals_company_idx" ON "appeals" USING btree ("run_id","company_id");--> statement-breakpoint
CREATE INDEX "audit_log_company_idx" ON "audit_log" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "credit_repairs_company_idx" ON "credit_repairs" USING btree ("company_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_repairs_one_open" ON "credit_repairs" USING btree ("entry_id") WHERE "credit_repairs"."state" = 'applied';--> statement-breakpoint
CREATE VIEW "public"."effective_company_results" AS (
  select cr.run_id, cr.company_id,
         case when rv.company_id is null then cr.score else rv.score end as score,
         case when rv.company_id is null then cr.grade else rv.grade end as grade,
         coalesce(rv.outcome, cr.outcome) as outcome,
         coalesce(rv.revision, 0)::smallint as revision
    from company_results cr
    left join (select distinct on (run_id, company_id) run_id, company_id, score, grade, outcome, revision
                 from company_revisions order by run_id, company_id, revision desc) rv
      on rv.run_id = cr.run_id and rv.company_id = cr.company_id);--> statement-breakpoint
CREATE VIEW "public"."effective_project_results" AS (
  select pr.run_id, pr.project_id,
         coalesce(rv.assessed, pr.assessed) as assessed,
         case when rv.project_id is null then pr.total else rv.total end as total,
         case when rv.project_id is null then pr.stars else rv.stars end as stars,
         coalesce(rv.outcome, pr.outcome) as outcome,
         coalesce(rv.revision, 0)::smallint as revision
    from project_results pr
    left join (select distinct on (run_id, project_id) run_id, project_id, assessed, total, stars, outcome, revision
                 from project_revisions order by run_id, project_id, revision desc) rv
      on rv.run_id = pr.run_id and rv.project_id = pr.project_id);