import { Module } from '@nestjs/common';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { DatabaseAdminModule } from '../db/database-admin.module.js';
import { SeedingModule } from '../seeding/seeding.module.js';
import { DemoService } from './demo.service.js';

@Module({ imports: [DatabaseAdminModule, SeedingModule, AssessmentModule], providers: [DemoService] })
export class DemoModule {}
