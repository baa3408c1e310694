import { Injectable } from '@nestjs/common';
import type { Principal } from '../domain/access.js';
import type { TaskHandler, TaskRequests, TaskWork } from '../tasks/task-handler.js';
import { ReportsService } from './reports.service.js';

/** A report workbook as a task: POST /reports. Planned (and refused) while the caller waits; written in the caller's scope. */
@Injectable()
export class ReportTask implements TaskHandler<'report'> {
  readonly kind = 'report';

  constructor(private readonly reports: ReportsService) {}

  async accept(request: TaskRequests['report'], principal: Principal) {
    const { kind, period, streetCode, companyUscc } = (await this.reports.prepare(request, principal.scope)).request;
    return { params: { kind, period: period.code, streetCode, companyUscc } };
  }

  async run(task: TaskWork) {
    const params = task.params as TaskRequests['report'];
    task.progress(`生成 ${params.kind} ${params.period}`);
    const written = await this.reports.writePrepared(await this.reports.prepare(params, task.scope), task.id);
    return { path: written.path, kind: written.kind, period: written.period, sheets: written.sheets, seconds: written.seconds };
  }
}
