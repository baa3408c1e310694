import { Module } from '@nestjs/common';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { IntakeModule } from '../intake/intake.module.js';
import { SeedingModule } from '../seeding/seeding.module.js';
import { BenchService } from './bench.service.js';

@Module({ imports: [SeedingModule, AssessmentModule, IntakeModule], providers: [BenchService] })
export class BenchModule {}
