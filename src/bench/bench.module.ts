import { Module } from '@nestjs/common';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { IntakeModule } from '../intake/intake.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { SeedingModule } from '../seeding/seeding.module.js';
import { BenchRepository } from './bench.repository.js';
import { BenchService } from './bench.service.js';

@Module({ imports: [SeedingModule, AssessmentModule, IntakeModule, ReportsModule], providers: [BenchRepository, BenchService] })
export class BenchModule {}
