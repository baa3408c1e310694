import type { Command } from 'commander';
import { runInApp } from '../cli-context.js';
import { DatabaseAdminService } from '../../db/database-admin.service.js';
import { DemoService } from '../../demo/demo.service.js';
import { RECORD_LABELS } from '../../intake/records.js';
import { SEED_SCALES, SeedService } from '../../seeding/seed.service.js';
import { globalOptions, wholeNumber } from '../cli-options.js';
import { formatCounts, formatRunReport, formatTableCounts } from '../cli-format.js';

/** db:migrate, seed, demo, status */
export function registerDataCommands(program: Command): void {
  program
    .command('db:migrate')
    .description('apply the committed migrations to the configured database')
    .action(() =>
      runInApp({ ...globalOptions(program), migratesSchema: true }, async (app) => {
        const admin = app.get(DatabaseAdminService);
        await admin.migrate();
        console.log(`migrations applied (${admin.backend})`);
      }),
    );

  program
    .command('seed')
    .description('generate deterministic sample data and load it (replaces all data)')
    .requiredOption('--scale <scale>', `one of ${SEED_SCALES.join(', ')}`)
    .option('--seed <n>', 'random seed; the same seed gives identical data', wholeNumber, 1)
    .option('--replace', 'clear data that is already stored', false)
    .action((options: { scale: string; seed: number; replace: boolean }) =>
      runInApp(globalOptions(program), async (app) => {
        const outcome = await app.get(SeedService).seed({
          scale: options.scale as never,
          seed: options.seed,
          replace: options.replace,
          onProgress: (kind, count) => console.log(`  ${RECORD_LABELS[kind]}: ${count.toLocaleString('en')} …`),
        });
        console.log(`seeded scale ${options.scale} with seed ${options.seed} in ${outcome.seconds.toFixed(1)} s`);
        console.log(formatCounts(outcome.counts));
      }),
    );

  program
    .command('demo')
    .description('the main job: migrate, seed the demo data (replacing what is stored), assess and publish 2025')
    .action(() =>
      runInApp({ ...globalOptions(program), migratesSchema: true }, async (app) => {
        const outcome = await app.get(DemoService).run();
        console.log(`demo data seeded in ${outcome.seeded.seconds.toFixed(1)} s`);
        console.log(formatCounts(outcome.seeded.counts));
        console.log(formatRunReport(outcome.assessed));
        console.log(`reports (${outcome.reports.length}):`);
        for (const report of outcome.reports) console.log(`  ${report.path}`);
        console.log(`appeal sheets (${outcome.appealSheets.length}, appeal deadline ${outcome.appealSheets[0]?.appealDeadline ?? '—'}):`);
        for (const sheet of outcome.appealSheets) console.log(`  ${sheet.path}`);
      }),
    );

  program
    .command('status')
    .description('print row counts per table')
    .action(() =>
      runInApp(globalOptions(program), async (app) => {
        const admin = app.get(DatabaseAdminService);
        console.log(`database: ${admin.backend}`);
        console.log(formatTableCounts(await admin.countRows()));
      }),
    );
}
