import { Module } from '@nestjs/common';
import { AssessmentRepository } from './assessment.repository.js';
import { AssessmentService } from './assessment.service.js';
import { MetricsRepository } from './metrics.repository.js';
import { WhatIfService } from './what-if.service.js';
import { RunRetentionRepository } from './run-retention.repository.js';
import { RunRetentionService } from './run-retention.service.js';
import { RulesService } from '../rules/rules.service.js';

@Module({
  providers: [MetricsRepository, AssessmentRepository, AssessmentService, WhatIfService, RulesService, RunRetentionRepository, RunRetentionService],
  exports: [AssessmentService, WhatIfService, RulesService, MetricsRepository, AssessmentRepository, RunRetentionService],
})
export class AssessmentModule {}
