import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AccessModule } from '../access/access.module.js';
import { AppealsModule } from '../appeals/appeals.module.js';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { AuthGuard } from '../auth/auth.guard.js';
import { AuthModule } from '../auth/auth.module.js';
import { DatabaseAdminModule } from '../db/database-admin.module.js';
import { IntakeModule } from '../intake/intake.module.js';
import { ListsService } from '../lists/lists.service.js';
import { ReportsModule } from '../reports/reports.module.js';
import { ScheduledJobsModule } from '../schedule/scheduled-jobs.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { API_CONTROLLERS } from './api-controllers.js';
import { UploadSlots } from './files.js';
import { ResponseSchemaInterceptor } from './validation/response-schema.interceptor.js';
import { SchemaValidationPipe } from './validation/schema-validation.pipe.js';
import { UndeclaredInputInterceptor } from './validation/undeclared-input.interceptor.js';

@Module({
  imports: [AssessmentModule, AppealsModule, ReportsModule, IntakeModule, DatabaseAdminModule, AccessModule, TasksModule, AuthModule, ScheduledJobsModule],
  controllers: API_CONTROLLERS(),
  providers: [
    ListsService,
    UploadSlots,
    { provide: APP_GUARD, useExisting: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: UndeclaredInputInterceptor },
    { provide: APP_INTERCEPTOR, useClass: ResponseSchemaInterceptor },
    { provide: APP_PIPE, useClass: SchemaValidationPipe },
  ],
})
export class ApiModule {}
