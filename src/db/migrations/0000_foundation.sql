CREATE TYPE "public"."event_kind" AS ENUM('administrative_penalty', 'public_criticism', 'safety_incident', 'finding', 'honour', 'tech_innovation', 'demonstration_site', 'maintenance_fund_misuse', 'major_safety_accident', 'refusing_inspection', 'serious_dishonesty');--> statement-breakpoint
CREATE TYPE "public"."honour_level" AS ENUM('district', 'city', 'province');--> statement-breakpoint
CREATE TYPE "public"."party_scope" AS ENUM('project', 'company');--> statement-breakpoint
CREATE TYPE "public"."period_kind" AS ENUM('year', 'half', 'quarter', 'month');--> statement-breakpoint
CREATE TYPE "public"."rater_role" AS ENUM('community_party_org', 'owners_committee');--> statement-breakpoint
CREATE TYPE "public"."revisit_verdict" AS ENUM('satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable');--> statement-breakpoint
CREATE TYPE "public"."survey_channel" AS ENUM('door_to_door', 'online', 'phone_proxy');--> statement-breakpoint
CREATE TABLE "assessment_periods" (
	"code" text PRIMARY KEY NOT NULL,
	"kind" "period_kind" NOT NULL,
	"year" smallint NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communities" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"street_id" integer NOT NULL,
	CONSTRAINT "communities_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "companies" (
	"id" serial PRIMARY KEY NOT NULL,
	"uscc" char(18) NOT NULL,
	"name" text NOT NULL,
	"has_party_org" boolean NOT NULL,
	CONSTRAINT "companies_uscc_unique" UNIQUE("uscc")
);
--> statement-breakpoint
CREATE TABLE "complaint_tickets" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_no" text NOT NULL,
	"project_id" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"category" text NOT NULL,
	"resolved" boolean NOT NULL,
	"revisit_verdict" "revisit_verdict",
	CONSTRAINT "complaint_tickets_ticket_no_unique" UNIQUE("ticket_no"),
	CONSTRAINT "complaint_tickets_responded_after_received" CHECK ("complaint_tickets"."responded_at" is null or "complaint_tickets"."responded_at" >= "complaint_tickets"."received_at"),
	CONSTRAINT "complaint_tickets_resolved_after_received" CHECK ("complaint_tickets"."resolved_at" is null or "complaint_tickets"."resolved_at" >= "complaint_tickets"."received_at"),
	CONSTRAINT "complaint_tickets_resolved_has_time" CHECK (not "complaint_tickets"."resolved" or "complaint_tickets"."resolved_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "credit_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"event_no" text NOT NULL,
	"kind" "event_kind" NOT NULL,
	"company_id" integer NOT NULL,
	"project_id" integer,
	"occurred_on" date NOT NULL,
	"honour_level" "honour_level",
	"source" text NOT NULL,
	"description" text NOT NULL,
	"evidence" text,
	CONSTRAINT "credit_events_event_no_unique" UNIQUE("event_no"),
	CONSTRAINT "credit_events_honour_level" CHECK (("credit_events"."kind" = 'honour') = ("credit_events"."honour_level" is not null))
);
--> statement-breakpoint
CREATE TABLE "fee_records" (
	"project_id" integer NOT NULL,
	"month" date NOT NULL,
	"billed_amount" numeric(14, 2) NOT NULL,
	"collected_amount" numeric(14, 2) NOT NULL,
	"households_billed" integer NOT NULL,
	"households_paid" integer NOT NULL,
	CONSTRAINT "fee_records_project_id_month_pk" PRIMARY KEY("project_id","month"),
	CONSTRAINT "fee_records_collected_range" CHECK ("fee_records"."collected_amount" between 0 and "fee_records"."billed_amount"),
	CONSTRAINT "fee_records_paid_range" CHECK ("fee_records"."households_paid" between 0 and "fee_records"."households_billed"),
	CONSTRAINT "fee_records_month_first_day" CHECK (extract(day from "fee_records"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "party_checks" (
	"id" serial PRIMARY KEY NOT NULL,
	"scope" "party_scope" NOT NULL,
	"project_id" integer,
	"company_id" integer,
	"period_code" text NOT NULL,
	"indicator_code" text NOT NULL,
	"value" numeric(10, 2) NOT NULL,
	"evidence" text,
	CONSTRAINT "party_checks_subject_key" UNIQUE NULLS NOT DISTINCT("project_id","company_id","period_code","indicator_code"),
	CONSTRAINT "party_checks_subject_matches_scope" CHECK (("party_checks"."scope" = 'project' and "party_checks"."project_id" is not null and "party_checks"."company_id" is null)
       or ("party_checks"."scope" = 'company' and "party_checks"."company_id" is not null and "party_checks"."project_id" is null)),
	CONSTRAINT "party_checks_value_non_negative" CHECK ("party_checks"."value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"street_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"households" integer NOT NULL,
	"occupied_households" integer NOT NULL,
	"floor_area_m2" numeric(14, 2) NOT NULL,
	"has_party_branch" boolean NOT NULL,
	CONSTRAINT "projects_code_unique" UNIQUE("code"),
	CONSTRAINT "projects_households_positive" CHECK ("projects"."households" > 0),
	CONSTRAINT "projects_occupied_range" CHECK ("projects"."occupied_households" between 0 and "projects"."households"),
	CONSTRAINT "projects_floor_area_positive" CHECK ("projects"."floor_area_m2" > 0)
);
--> statement-breakpoint
CREATE TABLE "streets" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "streets_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "survey_answers" (
	"project_id" integer NOT NULL,
	"month" date NOT NULL,
	"respondent_no" integer NOT NULL,
	"question_no" smallint NOT NULL,
	"answer" smallint NOT NULL,
	"channel" "survey_channel" NOT NULL,
	CONSTRAINT "survey_answers_project_id_month_respondent_no_question_no_pk" PRIMARY KEY("project_id","month","respondent_no","question_no"),
	CONSTRAINT "survey_answers_answer_range" CHECK ("survey_answers"."answer" between 1 and 5),
	CONSTRAINT "survey_answers_month_first_day" CHECK (extract(day from "survey_answers"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "three_party_ratings" (
	"project_id" integer NOT NULL,
	"period_code" text NOT NULL,
	"rater_role" "rater_role" NOT NULL,
	"rating" numeric(3, 2) NOT NULL,
	CONSTRAINT "three_party_ratings_project_id_period_code_rater_role_pk" PRIMARY KEY("project_id","period_code","rater_role"),
	CONSTRAINT "three_party_ratings_range" CHECK ("three_party_ratings"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "communities" ADD CONSTRAINT "communities_street_id_streets_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."streets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_tickets" ADD CONSTRAINT "complaint_tickets_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_events" ADD CONSTRAINT "credit_events_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_events" ADD CONSTRAINT "credit_events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_records" ADD CONSTRAINT "fee_records_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_checks" ADD CONSTRAINT "party_checks_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "party_checks" ADD CONSTRAINT "party_checks_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_street_id_streets_id_fk" FOREIGN KEY ("street_id") REFERENCES "public"."streets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "three_party_ratings" ADD CONSTRAINT "three_party_ratings_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "communities_street_idx" ON "communities" USING btree ("street_id");--> statement-breakpoint
CREATE INDEX "complaint_tickets_project_received_idx" ON "complaint_tickets" USING btree ("project_id","received_at");--> statement-breakpoint
CREATE INDEX "credit_events_company_date_idx" ON "credit_events" USING btree ("company_id","occurred_on");--> statement-breakpoint
CREATE INDEX "credit_events_project_date_idx" ON "credit_events" USING btree ("project_id","occurred_on");--> statement-breakpoint
CREATE INDEX "projects_company_idx" ON "projects" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "projects_street_idx" ON "projects" USING btree ("street_id");