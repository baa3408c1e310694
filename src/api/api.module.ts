import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AccessModule } from '../access/access.module.js';
import { AppealsModule } from '../appeals/appeals.module.js';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { AuthModule } from '../auth/auth.module.js';
import { packageVersion } from '../config/paths.js';
import { DatabaseAdminModule } from '../db/database-admin.module.js';
import { IntakeModule } from '../intake/intake.module.js';
import { ListsService } from '../lists/lists.service.js';
import { ReportsModule } from '../reports/reports.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { JobsModule } from '../schedule/jobs.module.js';
import { API_CONTROLLERS } from './api-controllers.js';
import { UploadSlots } from './files.js';
import { QueryCheckInterceptor } from './openapi/query-check.interceptor.js';

@Module({
  imports: [AssessmentModule, AppealsModule, ReportsModule, IntakeModule, DatabaseAdminModule, AccessModule, TasksModule, AuthModule, JobsModule],
  controllers: API_CONTROLLERS(),
  providers: [
    ListsService,
    UploadSlots,
    { provide: 'PACKAGE_VERSION', useFactory: packageVersion },
    { provide: APP_GUARD, useExisting: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: QueryCheckInterceptor },
  ],
})
export class ApiModule {}
