import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module.js';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { AppealsController } from './appeals.controller.js';
import { RunsController } from './runs.controller.js';

@Module({ imports: [AssessmentModule, AppealsModule], controllers: [RunsController, AppealsController] })
export class ApiModule {}
