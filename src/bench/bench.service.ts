import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { Engine } from 'json-rules-engine';
import { AssessmentService, type RunReport } from '../assessment/assessment.service.js';
import { projectFacts } from '../assessment/project-facts.js';
import { aProjectMetrics } from '../assessment/metrics.factory.js';
import { DatabaseStatusRepository } from '../db/database-status.repository.js';
import { parsePeriod } from '../domain/period.js';
import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from '../rules/rule-set.loader.js';
import { SeedService } from '../seeding/seed.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SpreadsheetImportService } from '../intake/excel/spreadsheet-import.service.js';
import type { SeedScale } from '../../seeds/generator/index.js';
import { buildWorld } from '../../seeds/generator/world.js';
import { writeSurveyWorkbook } from './survey-workbook.js';

const PROJECTS_AT_SCALE: Record<SeedScale, number> = { demo: 40, city: 5000, province: 49000 };

export interface BenchReport {
  scale: SeedScale;
  backend: string;
  seeded: { reused: boolean; seconds: number | null; peakRssMb: number };
  run: RunReport;
  wallSeconds: number;
  compiledEvaluationsPerSecond: number;
  jsonRulesEngineEvaluationsPerSecond: number;
}

export interface ImportBenchReport {
  backend: string;
  file: string;
  answers: number;
  projects: number;
  fileBytes: number;
  /** seconds and peak RSS (MB, of the process so far) after each step */
  write: { seconds: number };
  dryRun: { seconds: number; peakRssMb: number };
  import: { seconds: number; peakRssMb: number };
}

/** Measures (never asserts) the assessment at a seed scale. */
@Injectable()
export class BenchService {
  constructor(
    private readonly seeds: SeedService,
    private readonly assessments: AssessmentService,
    private readonly status: DatabaseStatusRepository,
    private readonly imports: SpreadsheetImportService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A street office's survey import: a workbook of `answers` answers for the projects of the
   * demo's largest street (seeded when missing), a dry run, then the import.
   */
  async runImport(answers: number): Promise<ImportBenchReport> {
    await this.status.migrate();
    const projects = (await this.status.countRows()).find((c) => c.table === 'projects')!.rows;
    if (projects !== PROJECTS_AT_SCALE.demo) await this.seeds.seed({ scale: 'demo', seed: 1, replace: true });
    const world = buildWorld('demo', 1, 2025);
    const byStreet = new Map<string, string[]>();
    for (const p of world.projects) byStreet.set(p.streetCode, [...(byStreet.get(p.streetCode) ?? []), p.code]);
    const street = [...byStreet.values()].sort((a, b) => b.length - a.length)[0];
    const dir = join(this.config.reportsDir, 'bench');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `surveys-${answers}.xlsx`);
    let started = performance.now();
    await writeSurveyWorkbook(file, street, '2026-03', answers);
    const write = { seconds: (performance.now() - started) / 1000 };
    const { size } = await stat(file);
    const peak = () => Math.round(process.resourceUsage().maxRSS / 1024);
    started = performance.now();
    await this.imports.importFile(file, { dryRun: true });
    const dryRun = { seconds: (performance.now() - started) / 1000, peakRssMb: peak() };
    started = performance.now();
    await this.imports.importFile(file);
    const imported = { seconds: (performance.now() - started) / 1000, peakRssMb: peak() };
    return { backend: this.status.backend, file, answers, projects: street.length, fileBytes: size, write, dryRun, import: imported };
  }

  async run(scale: SeedScale, period: string): Promise<BenchReport> {
    await this.status.migrate();
    const projects = (await this.status.countRows()).find((c) => c.table === 'projects')!.rows;
    const reused = projects === PROJECTS_AT_SCALE[scale];
    const seeded = reused ? null : await this.seeds.seed({ scale, seed: 1, replace: true });
    const seedRss = Math.round(process.resourceUsage().maxRSS / 1024);
    const started = performance.now();
    const run = await this.assessments.run({ period, streetCode: null, publish: false });
    const wallSeconds = (performance.now() - started) / 1000;
    return {
      scale,
      backend: this.status.backend,
      seeded: { reused, seconds: seeded?.seconds ?? null, peakRssMb: seedRss },
      run,
      wallSeconds,
      compiledEvaluationsPerSecond: compiledRate(),
      jsonRulesEngineEvaluationsPerSecond: await engineRate(),
    };
  }
}

/** One evaluation = one project's facts through every rule of the indicators, adjustments, vetoes and stars stages. */
function benchmarkInput() {
  const ruleSet = loadRuleSet(readRuleSetDirectory(DEFAULT_RULES_DIR));
  const rules = [...ruleSet.stages.indicators, ...ruleSet.stages.adjustments, ...ruleSet.stages.vetoes, ...ruleSet.stages.stars];
  const facts = Array.from({ length: 200 }, (_, i) => {
    const metrics = aProjectMetrics({ survey: { respondents: 40 + (i % 30), answers: 320, positiveAnswers: 220 + i / 2, phoneProxyRespondents: 0 } });
    return {
      ...projectFacts(metrics, parsePeriod('2025')!, ruleSet.manifest.parameters).facts,
      projectTotal: 60 + (i % 40),
      bonusPoints: 0,
      deductionPoints: 0,
    };
  });
  return { rules, facts };
}

function compiledRate(): number {
  const { rules, facts } = benchmarkInput();
  let evaluations = 0;
  const started = performance.now();
  while (performance.now() - started < 1000) {
    for (const f of facts) {
      for (const rule of rules) rule.compiled.evaluate(f);
      evaluations++;
    }
  }
  return evaluations / ((performance.now() - started) / 1000);
}

async function engineRate(): Promise<number> {
  const { rules, facts } = benchmarkInput();
  const engine = new Engine(
    rules.map((r) => r.compiled.json as never),
    { allowUndefinedFacts: true },
  );
  let evaluations = 0;
  const started = performance.now();
  while (performance.now() - started < 2000) {
    await engine.run(facts[evaluations % facts.length] as never);
    evaluations++;
  }
  return evaluations / ((performance.now() - started) / 1000);
}
