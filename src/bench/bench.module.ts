import { Module } from '@nestjs/common';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { SeedingModule } from '../seeding/seeding.module.js';
import { BenchService } from './bench.service.js';

@Module({ imports: [SeedingModule, AssessmentModule], providers: [BenchService] })
export class BenchModule {}
