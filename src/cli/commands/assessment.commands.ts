import { runInApp, withoutApp } from '../cli-context.js';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AssessmentService } from '../../assessment/assessment.service.js';
import { WhatIfService } from '../../assessment/what-if.service.js';
import { RunRetentionService } from '../../assessment/run-retention.service.js';
import { RulesService } from '../../rules/rules.service.js';
import { BENCH_STAGES, BenchService, type BenchStage } from '../../bench/bench.service.js';
import { BENCH_RESULT_PREFIX, measureInChildProcesses } from '../../bench/bench-runner.js';
import type { SeedScale } from '../../../seeds/generator/index.js';
import { SEED_SCALES } from '../../seeding/seed.service.js';
import { checkRuleSetDirectory, DEFAULT_RULES_DIR, testRuleSetDirectory } from '../../rules/rule-set.loader.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL } from '../cli-errors.js';
import { globalOptions, positiveWholeNumber, wholeNumber } from '../cli-options.js';
import {
  formatBenchMeasurement,
  formatBenchPreparation,
  formatImportBench,
  formatComparison,
  formatDraftPruning,
  formatRuleCheck,
  formatRuleTests,
  formatRunReport,
} from '../cli-format.js';

/** rules:check, rules:test, assess, publish, rules:describe, runs:verify, runs:prune, explain, bench */
export function registerAssessmentCommands(program: Command): void {
  program
    .command('rules:check')
    .description(
      'check a rule set: format, facts, operators, stages, gaps and overlaps of band tables, unreachable rules, points and totals, bonus cap, list durations',
    )
    .argument('[dir]', 'rule set directory', DEFAULT_RULES_DIR)
    .action((dir: string) =>
      withoutApp(() => {
        const report = checkRuleSetDirectory(dir);
        console.log(formatRuleCheck(report, dir));
        return report.errors === 0;
      }),
    );

  program
    .command('rules:test')
    .description("run a rule set's own test cases (tests/*.json: facts in, points, stars, grade and lists out)")
    .argument('[dir]', 'rule set directory', DEFAULT_RULES_DIR)
    .action((dir: string) =>
      withoutApp(() => {
        const report = testRuleSetDirectory(dir);
        console.log(formatRuleTests(report));
        return report.failed === 0;
      }),
    );

  program
    .command('assess')
    .description('assess a period: metrics, rules, points, stars, grades, list decisions; stored as an immutable run')
    .requiredOption('--period <period>', 'e.g. 2025, 2025-H1, 2025-Q3, 2025-07')
    .option('--street <code>', 'one street only (default: all streets)')
    .option('--rules <dir>', 'rule set directory (default: the set in rules/ in force for the period)')
    .option('--publish', 'publish the run (lists and credit ledger follow)', false)
    .option('--compare <runId>', 'what-if: run the --rules draft unpublished and write a comparison workbook against this run', wholeNumber)
    .action((options: { period: string; street?: string; rules?: string; publish: boolean; compare?: number }) =>
      runInApp(globalOptions(program), async (app) => {
        if (options.compare !== undefined) {
          if (!options.rules || options.publish) throw new InvalidArgumentError('--compare needs --rules DRAFT and cannot be combined with --publish');
          const whatIf = await app
            .get(WhatIfService)
            .compare({ period: options.period, streetCode: options.street ?? null, draft: { dir: options.rules }, compareRunId: options.compare });
          console.log(formatRunReport(whatIf.draft));
          console.log(formatComparison(whatIf.summary, whatIf.baseRunId));
          console.log(`对比工作簿：${whatIf.path}`);
          return;
        }
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
      runInApp(globalOptions(program), async (app) => {
        const service = app.get(AssessmentService);
        await service.publish(runId);
        console.log(`run #${runId} published`);
      }),
    );

  program
    .command('rules:describe')
    .description('write a rule set as the readable 考核细则 workbook a bureau publishes')
    .argument('[dir]', 'rule set directory', DEFAULT_RULES_DIR)
    .option('--out <file>', 'where to write it (default: reports/rules/)')
    .action((dir: string, options: { out?: string }) =>
      runInApp(globalOptions(program), async (app) => {
        console.log(await app.get(RulesService).describe(dir, options.out));
      }),
    );

  program
    .command('runs:verify')
    .description('reproduce a stored run with the rules stored on it and compare fingerprint and outcomes')
    .argument('<runId>', 'run id', wholeNumber)
    .action((runId: number) =>
      runInApp(globalOptions(program), async (app) => {
        const result = await app.get(AssessmentService).verify(runId);
        const mark = (ok: boolean | null) =>
          ok === null ? `不可比较（该运行由 ${result.engineVersion} 生成，其结果摘要按旧格式计算）` : ok ? '一致' : '不一致';
        console.log(`考核运行 #${runId}：输入摘要${mark(result.inputDigest)}，运行指纹${mark(result.fingerprint)}，考核结果${mark(result.outcomes)}`);
        if (!(result.fingerprint && result.outcomes !== false)) process.exitCode = EXIT_BAD_INPUT;
      }),
    );

  program
    .command('runs:prune')
    .description('remove draft runs older than the retention, with their results; published and superseded runs, and drafts anything refers to, stay')
    .option('--older-than <days>', 'age in days, at least 1 (default: REDPROP_DRAFT_RETENTION_DAYS)', positiveWholeNumber)
    .option('--dry-run', 'list what would be removed, remove nothing', false)
    .action((options: { olderThan?: number; dryRun: boolean }) =>
      runInApp(globalOptions(program), async (app) => {
        console.log(formatDraftPruning(await app.get(RunRetentionService).pruneDrafts({ olderThanDays: options.olderThan, dryRun: options.dryRun })));
      }),
    );

  program
    .command('explain')
    .description("explain a company's result (or one project's) for a period, rule by rule, in Chinese")
    .requiredOption('--period <period>', 'the period')
    .requiredOption('--company <uscc>', '统一社会信用代码')
    .option('--project <code>', 'one project of the company')
    .action((options: { period: string; company: string; project?: string }) =>
      runInApp(globalOptions(program), async (app) => {
        console.log(await app.get(AssessmentService).explain(options.period, options.company, options.project));
      }),
    );

  program
    .command('bench')
    .description(
      'measure at a seed scale, each in a process of its own and each twice: the assessment (wall time and peak RSS per stage, input digest, compiled rules against json-rules-engine), the street annual, and a 50-project street assessed, published and reported',
    )
    .option('--scale <scale>', 'city or province (demo for a quick look)', 'city')
    .option('--period <period>', 'the period to assess', '2025')
    .option('--rounds <n>', 'how many times to measure each stage', wholeNumber, 2)
    .option(
      '--import [answers]',
      "measure instead a street office's survey import: dry run and import of a workbook of this many answers (default 50000) on the demo data",
      wholeNumber,
    )
    .addOption(new Option('--stage <stage>', 'make one measurement in this process and print it as JSON').choices(BENCH_STAGES).hideHelp())
    .action(async (options: { scale: string; period: string; rounds: number; import?: number | true; stage?: BenchStage }) => {
      if (options.import === undefined && !SEED_SCALES.includes(options.scale as never)) {
        throw new InvalidArgumentError(`--scale must be one of ${SEED_SCALES.join(', ')}`);
      }
      const inBenchApp = (command: (bench: BenchService) => Promise<void>) =>
        runInApp(
          {
            ...globalOptions(program),
            migratesSchema: true,
            // On embedded PGlite the benchmark keeps its own directory per scale, never the demo's.
            adjustConfig: (config) =>
              config.database.kind === 'pglite' && config.database.dataDir?.endsWith(join('.data', 'pglite'))
                ? {
                    ...config,
                    database: { kind: 'pglite', dataDir: `${config.database.dataDir}-bench-${options.import !== undefined ? 'import' : options.scale}` },
                  }
                : config,
          },
          (app) => command(app.get(BenchService)),
        );
      if (options.import !== undefined) {
        const answers = options.import === true ? 50_000 : options.import;
        return inBenchApp(async (bench) => console.log(formatImportBench(await bench.runImport(answers))));
      }
      if (options.stage !== undefined) {
        const stage = options.stage;
        return inBenchApp(async (bench) => console.log(`${BENCH_RESULT_PREFIX}${JSON.stringify(await bench.measure(stage, options.period))}`));
      }
      await inBenchApp(async (bench) => console.log(formatBenchPreparation(await bench.prepare(options.scale as SeedScale), options.period)));
      if (process.exitCode) return;
      try {
        for await (const { round, measurement } of measureInChildProcesses(options.rounds)) console.log(formatBenchMeasurement(round, measurement));
      } catch (error) {
        console.error((error as Error).message);
        process.exitCode = EXIT_INTERNAL;
      }
    });
}
