CREATE INDEX "input_digest_buckets_project_idx" ON "input_digest_buckets" USING btree ("project_id","table_name","bucket");--> statement-breakpoint
-- Stored outcomes compress with lz4 where the server has it (PostgreSQL 14+ built with lz4, as
-- Debian's is): several times faster to write than the default pglz. PGlite has no lz4 and keeps pglz.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE "project_results" ALTER COLUMN "outcome" SET COMPRESSION lz4;
    ALTER TABLE "company_results" ALTER COLUMN "outcome" SET COMPRESSION lz4;
    ALTER TABLE "project_revisions" ALTER COLUMN "outcome" SET COMPRESSION lz4;
    ALTER TABLE "company_revisions" ALTER COLUMN "outcome" SET COMPRESSION lz4;
  END IF;
END $$;
