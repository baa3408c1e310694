import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { AccessModule } from './access/access.module.js';
import { ApiModule } from './api/api.module.js';
import { AppealsModule } from './appeals/appeals.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BenchModule } from './bench/bench.module.js';
import { AssessmentModule } from './assessment/assessment.module.js';
import { ConfigModule } from './config/config.module.js';
import type { Database } from './db/database.js';
import type { Clock } from './domain/clock.js';
import { DatabaseAdminModule } from './db/database-admin.module.js';
import { DatabaseModule } from './db/database.module.js';
import { DemoModule } from './demo/demo.module.js';
import { IntakeModule } from './intake/intake.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { ScheduledJobsModule } from './schedule/scheduled-jobs.module.js';
import { SchedulerModule } from './schedule/scheduler.module.js';
import { SeedingModule } from './seeding/seeding.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  /** an already open database (tests share one); otherwise it is opened from the configuration */
  database?: Database;
  /** add the HTTP controllers */
  http?: boolean;
  /** a fixed clock (tests of deadlines) */
  clock?: Clock;
  /** register the cron jobs and catch up missed firings at start (`serve` passes `config.schedulerEnabled`) */
  scheduler?: boolean;
  /** the command migrates the database itself (db:migrate, demo, bench): do not refuse one without the schema */
  migratesSchema?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(options.config, options.clock),
        options.database ? DatabaseModule.withDatabase(options.database) : DatabaseModule.fromConfig(!options.migratesSchema),
        DatabaseAdminModule,
        AccessModule,
        IntakeModule,
        SeedingModule,
        AssessmentModule,
        ReportsModule,
        AppealsModule,
        AuthModule,
        DemoModule,
        BenchModule,
        ScheduledJobsModule,
        ...(options.scheduler ? [SchedulerModule] : []),
        ...(options.http ? [ApiModule] : []),
      ],
    };
  }
}
