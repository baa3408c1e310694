import type { Type } from '@nestjs/common';
import { AppealsController } from './appeals.controller.js';
import { HealthController } from './health.controller.js';
import { IntakeController } from './intake.controller.js';
import { RecordsController } from './records.controller.js';
import { ReportsController } from './reports.controller.js';
import { RunsController } from './runs.controller.js';
import { ScheduleController } from './schedule.controller.js';
import { JobsAliasController, TasksController } from './tasks.controller.js';

/** Every HTTP controller. */
export const API_CONTROLLERS = (): Type[] => [
  HealthController,
  RunsController,
  AppealsController,
  ReportsController,
  TasksController,
  JobsAliasController,
  RecordsController,
  IntakeController,
  ScheduleController,
];
