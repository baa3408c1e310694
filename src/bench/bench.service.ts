import { mkdir, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { AssessmentService, type RunReport } from '../assessment/assessment.service.js';
import { starFactsOf } from '../assessment/scoring.js';
import { DatabaseStatusRepository } from '../db/database-status.repository.js';
import { EVERYTHING } from '../domain/access.js';
import { SeedService } from '../seeding/seed.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SpreadsheetImportService } from '../intake/excel/spreadsheet-import.service.js';
import { ReportsService } from '../reports/reports.service.js';
import type { SeedScale } from '../../seeds/generator/index.js';
import { buildWorld } from '../../seeds/generator/world.js';
import { BenchRepository } from './bench.repository.js';
import { measureRuleRatio, type RuleRatio } from './rules-ratio.js';
import { writeSurveyWorkbook } from './survey-workbook.js';

const PROJECTS_AT_SCALE: Record<SeedScale, number> = { demo: 40, city: 5000, province: 49000 };

/** One of the measurements `bench` makes, each in a process of its own so that its peak RSS is its own. */
export const BENCH_STAGES = ['assessment', 'street-annual', 'street'] as const;
export type BenchStage = (typeof BENCH_STAGES)[number];

/** The 1, 5 and 15 minute load averages when a measurement ended: the machine may be shared. */
export type LoadAverage = [number, number, number];

export interface BenchPreparation {
  scale: SeedScale;
  backend: string;
  seeded: { reused: boolean; seconds: number | null };
}

export interface AssessmentMeasurement {
  stage: 'assessment';
  run: RunReport;
  wallSeconds: number;
  /** of the process, up to the end of the run (before the rule comparison) */
  peakRssMb: number;
  loadAverage: LoadAverage;
  /** the longest and the 99th percentile stall of the event loop during the run (ms): what a request such as /health waits at most */
  eventLoopDelayMs: { max: number; p99: number };
  /** compiled rules against json-rules-engine, side by side on the run's project facts */
  rules: RuleRatio;
}

export interface StreetAnnualMeasurement {
  stage: 'street-annual';
  runId: number | null;
  seconds: number;
  peakRssMb: number;
  loadAverage: LoadAverage;
  sheets: { name: string; rows: number }[];
}

export interface StreetFlowTimes {
  assessSeconds: number;
  publishSeconds: number;
  reportSeconds: number;
  totalSeconds: number;
}

export interface StreetMeasurement {
  stage: 'street';
  streetCode: string;
  projects: number;
  /** the first pass warms the process (code, caches, connections); the second is the figure */
  cold: StreetFlowTimes;
  warm: StreetFlowTimes;
  peakRssMb: number;
  loadAverage: LoadAverage;
}

export type BenchMeasurement = AssessmentMeasurement | StreetAnnualMeasurement | StreetMeasurement;

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
    private readonly reports: ReportsService,
    private readonly status: DatabaseStatusRepository,
    private readonly bench: BenchRepository,
    private readonly imports: SpreadsheetImportService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Migrates and seeds the scale unless the database holds it already. */
  async prepare(scale: SeedScale): Promise<BenchPreparation> {
    await this.status.migrate();
    const projects = (await this.status.countRows()).find((c) => c.table === 'projects')!.rows;
    const reused = projects === PROJECTS_AT_SCALE[scale];
    const seeded = reused ? null : await this.seeds.seed({ scale, seed: 1, replace: true });
    return { scale, backend: this.status.backend, seeded: { reused, seconds: seeded?.seconds ?? null } };
  }

  measure(stage: BenchStage, period: string): Promise<BenchMeasurement> {
    switch (stage) {
      case 'assessment':
        return this.measureAssessment(period);
      case 'street-annual':
        return this.measureStreetAnnual(period);
      case 'street':
        return this.measureStreet(period);
    }
  }

  /** A draft run of the whole area, then its rules against json-rules-engine on its own project facts. */
  private async measureAssessment(period: string): Promise<AssessmentMeasurement> {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    const run = await this.assessments.run({ period, streetCode: null, publish: false });
    const wallSeconds = (performance.now() - started) / 1000;
    loop.disable();
    const eventLoopDelayMs = { max: loop.max / 1e6, p99: loop.percentile(99) / 1e6 };
    const peakRssMb = peakRss();
    const loadAverage = load();
    const ruleSet = this.assessments.ruleSetOf(await this.assessments.getRun(run.runId));
    const stages = ruleSet.stages;
    const rules = [...stages.indicators, ...stages.adjustments, ...stages.vetoes, ...stages.stars];
    const facts = (await this.bench.assessedProjectFacts(run.runId)).map((p) =>
      starFactsOf(p.facts, { total: p.total, bonus: { capped: p.bonusCapped }, deductions: { total: p.deductionsTotal } }),
    );
    return { stage: 'assessment', run, wallSeconds, peakRssMb, loadAverage, eventLoopDelayMs, rules: await measureRuleRatio(rules, facts) };
  }

  /** The street annual of the whole area from the period's run. */
  private async measureStreetAnnual(period: string): Promise<StreetAnnualMeasurement> {
    const started = performance.now();
    const written = await this.reports.write({ kind: 'street-annual', period }, EVERYTHING);
    return {
      stage: 'street-annual',
      runId: written.runId,
      seconds: (performance.now() - started) / 1000,
      peakRssMb: peakRss(),
      loadAverage: load(),
      sheets: written.sheets,
    };
  }

  /** A street of about 50 projects assessed, published and reported, twice in one process. */
  private async measureStreet(period: string): Promise<StreetMeasurement> {
    const street = await this.bench.streetOfAbout(50);
    if (!street) throw new Error('no street to measure');
    const flow = async (): Promise<StreetFlowTimes> => {
      let mark = performance.now();
      const lap = () => {
        const now = performance.now();
        const seconds = (now - mark) / 1000;
        mark = now;
        return seconds;
      };
      const first = mark;
      const run = await this.assessments.run({ period, streetCode: street.code, publish: false });
      const assessSeconds = lap();
      await this.assessments.publish(run.runId);
      const publishSeconds = lap();
      await this.reports.write({ kind: 'street-annual', period, streetCode: street.code }, EVERYTHING);
      const reportSeconds = lap();
      return { assessSeconds, publishSeconds, reportSeconds, totalSeconds: (performance.now() - first) / 1000 };
    };
    const cold = await flow();
    const warm = await flow();
    return { stage: 'street', streetCode: street.code, projects: street.projects, cold, warm, peakRssMb: peakRss(), loadAverage: load() };
  }

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
    started = performance.now();
    await this.imports.importFile(file, { dryRun: true });
    const dryRun = { seconds: (performance.now() - started) / 1000, peakRssMb: peakRss() };
    started = performance.now();
    await this.imports.importFile(file);
    const imported = { seconds: (performance.now() - started) / 1000, peakRssMb: peakRss() };
    return { backend: this.status.backend, file, answers, projects: street.length, fileBytes: size, write, dryRun, import: imported };
  }
}

function peakRss(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function load(): LoadAverage {
  const [one, five, fifteen] = loadavg();
  return [one, five, fifteen];
}
