import { Controller, Get, Param, type StreamableFile } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../domain/access.js';
import { TasksService, type TaskView } from '../tasks/tasks.service.js';
import { download } from './files.js';
import { Endpoint } from './openapi/endpoint.decorator.js';
import { Task, TaskIdParam } from './tasks.dto.js';

/** Tasks: the long operations asked for over HTTP (assessments, reports, what-if runs, scheduled jobs run by hand). */
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get(':id')
  @Endpoint({
    tag: 'tasks',
    summary: 'a task’s status, progress, result or coded error (the bureau sees all; others their own)',
    status: 200,
    response: Task,
    responseDescription: 'the task',
    errors: [404],
  })
  get(@Param('id', { schema: TaskIdParam }) id: number, @CurrentPrincipal() principal: Principal): Promise<TaskView> {
    return this.tasks.get(id, principal);
  }

  @Get(':id/file')
  @Endpoint({
    tag: 'tasks',
    summary: 'the workbook a finished report, what-if or scheduled-job task wrote',
    status: 200,
    response: 'xlsx',
    responseDescription: 'the .xlsx',
    errors: [404, 409],
  })
  async file(@Param('id', { schema: TaskIdParam }) id: number, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    return download(await this.tasks.file(id, principal));
  }
}

/** `/jobs/{id}`: the old name of `/tasks/{id}`, kept for the clients written against it. */
@Controller('jobs')
export class JobsAliasController {
  constructor(private readonly tasks: TasksService) {}

  @Get(':id')
  @ApiOperation({ deprecated: true })
  @Endpoint({ tag: 'tasks', summary: 'deprecated: GET /tasks/{id}', status: 200, response: Task, responseDescription: 'the task', errors: [404] })
  get(@Param('id', { schema: TaskIdParam }) id: number, @CurrentPrincipal() principal: Principal): Promise<TaskView> {
    return this.tasks.get(id, principal);
  }

  @Get(':id/file')
  @ApiOperation({ deprecated: true })
  @Endpoint({ tag: 'tasks', summary: 'deprecated: GET /tasks/{id}/file', status: 200, response: 'xlsx', responseDescription: 'the .xlsx', errors: [404, 409] })
  async file(@Param('id', { schema: TaskIdParam }) id: number, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    return download(await this.tasks.file(id, principal));
  }
}
