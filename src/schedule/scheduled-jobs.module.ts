import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module.js';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { FiringsRepository } from './firings.repository.js';
import { ScheduledJobsService } from './scheduled-jobs.service.js';

/** The scheduled jobs and their firing records, always loaded: `redprop job:run` needs no cron. */
@Module({
  imports: [AssessmentModule, ReportsModule, AppealsModule],
  providers: [FiringsRepository, ScheduledJobsService],
  exports: [ScheduledJobsService, FiringsRepository],
})
export class ScheduledJobsModule {}
