import { Injectable } from '@nestjs/common';
import { AssessmentService, type RunReport } from '../assessment/assessment.service.js';
import { DatabaseAdminService } from '../db/database-admin.service.js';
import { ReportsService, type WrittenReport } from '../reports/reports.service.js';
import { SeedService, type SeedOutcome } from '../seeding/seed.service.js';

export interface DemoOutcome {
  seeded: SeedOutcome;
  assessed: RunReport;
  /** every report kind for the demo year, its months and quarters */
  reports: WrittenReport[];
}

export const DEMO_PERIOD = '2025';

export const DEMO_SEED = 1;

/** The main job on a fresh machine: migrate, seed the demo data, assess and publish the year, write its reports. */
@Injectable()
export class DemoService {
  constructor(
    private readonly admin: DatabaseAdminService,
    private readonly seeds: SeedService,
    private readonly assessments: AssessmentService,
    private readonly reports: ReportsService,
  ) {}

  async run(): Promise<DemoOutcome> {
    await this.admin.migrate();
    const seeded = await this.seeds.seed({ scale: 'demo', seed: DEMO_SEED, replace: true });
    const assessed = await this.assessments.run({ period: DEMO_PERIOD, streetCode: null, publish: true });
    const reports = await this.reports.writeYear(Number(DEMO_PERIOD));
    return { seeded, assessed, reports };
  }
}
