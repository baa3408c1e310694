import { Body, Controller, Post } from '@nestjs/common';
import type { z } from 'zod';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../domain/access.js';
import { TasksService, type TaskView } from '../tasks/tasks.service.js';
import { Endpoint } from './openapi/endpoint.decorator.js';
import { ReportBody } from './reports.dto.js';
import { Task } from './tasks.dto.js';

@Controller('reports')
export class ReportsController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @Endpoint({
    tag: 'reports',
    summary: 'write a report workbook (a task: poll GET /tasks/{id}, then GET /tasks/{id}/file)',
    status: 202,
    response: Task,
    responseDescription: 'the task, queued',
    errors: [404, 409, 429],
  })
  start(@Body({ schema: ReportBody }) body: z.infer<typeof ReportBody>, @CurrentPrincipal() principal: Principal): Promise<TaskView> {
    return this.tasks.submit(
      { kind: 'report', request: { kind: body.kind, period: body.period, streetCode: body.streetCode ?? null, companyUscc: body.company ?? null } },
      principal,
    );
  }
}
