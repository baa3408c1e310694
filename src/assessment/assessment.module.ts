import { Module } from '@nestjs/common';
import { AssessmentRepository } from './assessment.repository.js';
import { AssessmentService } from './assessment.service.js';
import { MetricsRepository } from './metrics.repository.js';

@Module({ providers: [MetricsRepository, AssessmentRepository, AssessmentService], exports: [AssessmentService] })
export class AssessmentModule {}
