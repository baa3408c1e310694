import { Module } from '@nestjs/common';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { AssessmentTask, WhatIfTask } from '../assessment/assessment.tasks.js';
import { ReportTask } from '../reports/report.task.js';
import { ReportsModule } from '../reports/reports.module.js';
import { ScheduledJobTask } from '../schedule/scheduled-job.task.js';
import { ScheduledJobsModule } from '../schedule/scheduled-jobs.module.js';
import { TASK_HANDLERS, type TaskHandler } from './task-handler.js';
import { TasksRepository } from './tasks.repository.js';
import { TasksService } from './tasks.service.js';

/** The task queue and its workers, with a handler per kind of task (loaded by `serve`: the API and the scheduler). */
@Module({
  imports: [AssessmentModule, ReportsModule, ScheduledJobsModule],
  providers: [
    TasksRepository,
    TasksService,
    AssessmentTask,
    WhatIfTask,
    ReportTask,
    ScheduledJobTask,
    {
      provide: TASK_HANDLERS,
      useFactory: (...handlers: TaskHandler[]) => handlers,
      inject: [AssessmentTask, WhatIfTask, ReportTask, ScheduledJobTask],
    },
  ],
  exports: [TasksService],
})
export class TasksModule {}
