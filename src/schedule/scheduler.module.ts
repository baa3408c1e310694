import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobsModule } from './jobs.module.js';
import { SchedulerService } from './scheduler.service.js';

/** The cron registrations and the catch-up at start (`serve` with the scheduler on). */
@Module({
  imports: [ScheduleModule.forRoot(), JobsModule],
  providers: [SchedulerService],
  exports: [SchedulerService, JobsModule],
})
export class SchedulerModule {}
