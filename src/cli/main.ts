import { Command, InvalidArgumentError } from 'commander';
import { DatabaseAdminService } from '../db/database-admin.service.js';
import { DemoService } from '../demo/demo.service.js';
import { RECORD_LABELS } from '../intake/records.js';
import { SEED_SCALES, SeedService } from '../seeding/seed.service.js';
import { runInApp } from './cli-context.js';
import { formatCounts, formatTableCounts } from './cli-format.js';

const program = new Command('redprop')
  .description('红色物业 property company evaluation / 红色物业服务企业考核评价')
  .option('-v, --verbose', 'log progress of the application')
  .showHelpAfterError();

const wholeNumber = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number >= 0');
  return Number(value);
};

program
  .command('db:migrate')
  .description('apply the committed migrations to the configured database')
  .action(() =>
    runInApp(program.opts(), async (app) => {
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
    runInApp(program.opts(), async (app) => {
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
  .description('the main job: migrate, seed the demo data (replacing what is stored)')
  .action(() =>
    runInApp(program.opts(), async (app) => {
      const outcome = await app.get(DemoService).run();
      console.log(`demo data seeded in ${outcome.seeded.seconds.toFixed(1)} s`);
      console.log(formatCounts(outcome.seeded.counts));
    }),
  );

program
  .command('status')
  .description('print row counts per table')
  .action(() =>
    runInApp(program.opts(), async (app) => {
      const admin = app.get(DatabaseAdminService);
      console.log(`database: ${admin.backend}`);
      console.log(formatTableCounts(await admin.countRows()));
    }),
  );

await program.parseAsync(process.argv);
