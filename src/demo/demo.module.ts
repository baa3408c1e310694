import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module.js';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { DatabaseAdminModule } from '../db/database-admin.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { SeedingModule } from '../seeding/seeding.module.js';
import { DemoService } from './demo.service.js';

@Module({ imports: [DatabaseAdminModule, SeedingModule, AssessmentModule, ReportsModule, AppealsModule], providers: [DemoService] })
export class DemoModule {}
