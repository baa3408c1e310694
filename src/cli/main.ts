import { Command, InvalidArgumentError } from 'commander';
import { AssessmentService } from '../assessment/assessment.service.js';
import { DatabaseAdminService } from '../db/database-admin.service.js';
import { DemoService } from '../demo/demo.service.js';
import { RECORD_LABELS } from '../intake/records.js';
import { SEED_SCALES, SeedService } from '../seeding/seed.service.js';
import { join } from 'node:path';
import { BenchService } from '../bench/bench.service.js';
import { createHttpApp } from '../api/http-app.js';
import { loadConfig } from '../config/app-config.js';
import { runInApp } from './cli-context.js';
import { reportCliError } from './cli-errors.js';
import { formatBenchReport, formatCounts, formatRunReport, formatTableCounts } from './cli-format.js';

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
  .description('the main job: migrate, seed the demo data (replacing what is stored), assess and publish 2025')
  .action(() =>
    runInApp(program.opts(), async (app) => {
      const outcome = await app.get(DemoService).run();
      console.log(`demo data seeded in ${outcome.seeded.seconds.toFixed(1)} s`);
      console.log(formatCounts(outcome.seeded.counts));
      console.log(formatRunReport(outcome.assessed));
    }),
  );

program
  .command('assess')
  .description('assess a period: metrics, rules, points, stars, grades, list decisions; stored as an immutable run')
  .requiredOption('--period <period>', 'e.g. 2025, 2025-H1, 2025-Q3, 2025-07')
  .option('--street <code>', 'one street only (default: all streets)')
  .option('--rules <dir>', 'rule set directory (default: rules/default)')
  .option('--publish', 'publish the run (lists and credit ledger follow)', false)
  .action((options: { period: string; street?: string; rules?: string; publish: boolean }) =>
    runInApp(program.opts(), async (app) => {
      const report = await app.get(AssessmentService).run({
        period: options.period,
        streetCode: options.street ?? null,
        rulesDir: options.rules,
        publish: options.publish,
      });
      console.log(formatRunReport(report));
    }),
  );

program
  .command('publish')
  .description('publish a stored run; the published run of its period and scope is superseded atomically')
  .argument('<runId>', 'run id', wholeNumber)
  .action((runId: number) =>
    runInApp(program.opts(), async (app) => {
      const service = app.get(AssessmentService);
      await service.publish(runId);
      console.log(`run #${runId} published`);
    }),
  );

program
  .command('explain')
  .description('explain a company\'s result (or one project\'s) for a period, rule by rule, in Chinese')
  .requiredOption('--period <period>', 'the period')
  .requiredOption('--company <uscc>', '统一社会信用代码')
  .option('--project <code>', 'one project of the company')
  .action((options: { period: string; company: string; project?: string }) =>
    runInApp(program.opts(), async (app) => {
      console.log(await app.get(AssessmentService).explain(options.period, options.company, options.project));
    }),
  );

program
  .command('serve')
  .description('start the HTTP service on the configured PORT')
  .action(async () => {
    try {
      const config = loadConfig(process.env);
      const app = await createHttpApp({ config });
      await app.listen(config.httpPort);
      console.log(`redprop listening on http://127.0.0.1:${config.httpPort}`);
    } catch (error) {
      process.exitCode = reportCliError(error);
    }
  });

program
  .command('bench')
  .description('measure the assessment at a seed scale: wall time and peak RSS per stage, rule evaluations per second')
  .option('--scale <scale>', 'city or province (demo for a quick look)', 'city')
  .option('--period <period>', 'the period to assess', '2025')
  .action((options: { scale: string; period: string }) =>
    runInApp(
      {
        ...program.opts(),
        // On embedded PGlite the benchmark keeps its own directory per scale, never the demo's.
        adjustConfig: (config) =>
          config.database.kind === 'pglite' && config.database.dataDir?.endsWith(join('.data', 'pglite'))
            ? { ...config, database: { kind: 'pglite', dataDir: `${config.database.dataDir}-bench-${options.scale}` } }
            : config,
      },
      async (app) => {
        if (!SEED_SCALES.includes(options.scale as never)) throw new InvalidArgumentError(`--scale must be one of ${SEED_SCALES.join(', ')}`);
        console.log(formatBenchReport(await app.get(BenchService).run(options.scale as never, options.period)));
      },
    ),
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
