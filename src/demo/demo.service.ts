import { Injectable } from '@nestjs/common';
import { EVERYTHING } from '../domain/access.js';
import { AppealSheetService, type ExportedSheet } from '../appeals/appeal-sheet.service.js';
import { AssessmentService, type RunReport } from '../assessment/assessment.service.js';
import { DatabaseAdminService } from '../db/database-admin.service.js';
import { ReportsService, type WrittenReport } from '../reports/reports.service.js';
import { SeedService, type SeedOutcome } from '../seeding/seed.service.js';

export interface DemoOutcome {
  seeded: SeedOutcome;
  assessed: RunReport;
  /** every report kind for the demo year, its months and quarters */
  reports: WrittenReport[];
  /** each company's signed appeal sheet (score sheet with appeal columns and its 告知单) */
  appealSheets: ExportedSheet[];
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
    private readonly appealSheets: AppealSheetService,
  ) {}

  async run(): Promise<DemoOutcome> {
    await this.admin.migrate();
    const seeded = await this.seeds.seed({ scale: 'demo', seed: DEMO_SEED, replace: true });
    const assessed = await this.assessments.run({ period: DEMO_PERIOD, streetCode: null, publish: true });
    const reports = await this.reports.writeYear(Number(DEMO_PERIOD));
    const companies = [...new Set(reports.map((r) => r.companyUscc).filter((u): u is string => u !== null))];
    const appealSheets: ExportedSheet[] = [];
    for (const uscc of companies) appealSheets.push(await this.appealSheets.exportSheet({ period: DEMO_PERIOD, uscc, actor: 'demo' }, EVERYTHING));
    return { seeded, assessed, reports, appealSheets };
  }
}
