CREATE TYPE "public"."api_role" AS ENUM('bureau', 'street', 'company');--> statement-breakpoint
CREATE TYPE "public"."firing_status" AS ENUM('running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."job_status" AS ENUM('queued', 'running', 'succeeded', 'failed');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" "api_role" NOT NULL,
	"street_code" text,
	"company_uscc" char(18),
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash"),
	CONSTRAINT "api_keys_binding" CHECK (("api_keys"."role" = 'bureau' and "api_keys"."street_code" is null and "api_keys"."company_uscc" is null)
       or ("api_keys"."role" = 'street' and "api_keys"."street_code" is not null and "api_keys"."company_uscc" is null)
       or ("api_keys"."role" = 'company' and "api_keys"."company_uscc" is not null and "api_keys"."street_code" is null))
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb NOT NULL,
	"status" "job_status" DEFAULT 'queued' NOT NULL,
	"progress" text,
	"result" jsonb,
	"error" jsonb,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "scheduled_firings" (
	"id" serial PRIMARY KEY NOT NULL,
	"job" text NOT NULL,
	"period" text NOT NULL,
	"status" "firing_status" NOT NULL,
	"attempts" smallint DEFAULT 1 NOT NULL,
	"trigger" text NOT NULL,
	"instance" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" jsonb,
	"output_files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	CONSTRAINT "scheduled_firings_job_period" UNIQUE("job","period")
);
