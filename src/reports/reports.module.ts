import { Module } from '@nestjs/common';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

/** The report workbooks. */
@Module({ imports: [AssessmentModule], providers: [ReportsRepository, ReportsService], exports: [ReportsService, ReportsRepository] })
export class ReportsModule {}
