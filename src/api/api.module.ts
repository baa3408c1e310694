import { Module } from '@nestjs/common';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { RunsController } from './runs.controller.js';

@Module({ imports: [AssessmentModule], controllers: [RunsController] })
export class ApiModule {}
