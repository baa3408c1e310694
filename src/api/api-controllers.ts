import type { Type } from '@nestjs/common';
import { AppealsController } from './appeals.controller.js';
import { DocsController } from './docs.controller.js';
import { RunsController } from './runs.controller.js';
import { HealthController, IntakeController, JobsController, RecordsController, ReportsController, ScheduleController } from './service.controllers.js';

/** Every HTTP controller (a function: the docs controller is among them). */
export const API_CONTROLLERS = (): Type[] => [
  HealthController,
  DocsController,
  RunsController,
  AppealsController,
  ReportsController,
  JobsController,
  RecordsController,
  IntakeController,
  ScheduleController,
];
