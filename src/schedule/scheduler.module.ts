import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TasksModule } from '../tasks/tasks.module.js';
import { ScheduledJobsModule } from './scheduled-jobs.module.js';
import { SchedulerService } from './scheduler.service.js';

/** The cron registrations and the catch-up at start (`serve` with the scheduler on); the work goes through the task queue. */
@Module({
  imports: [ScheduleModule.forRoot(), ScheduledJobsModule, TasksModule],
  providers: [SchedulerService],
  exports: [SchedulerService, ScheduledJobsModule],
})
export class SchedulerModule {}
