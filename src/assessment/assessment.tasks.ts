import { Injectable } from '@nestjs/common';
import type { TaskHandler, TaskRequests, TaskWork } from '../tasks/task-handler.js';
import { AssessmentService } from './assessment.service.js';
import { WhatIfService } from './what-if.service.js';

/** An assessment run as a task: POST /runs. */
@Injectable()
export class AssessmentTask implements TaskHandler<'assessment'> {
  readonly kind = 'assessment';

  constructor(private readonly assessments: AssessmentService) {}

  async accept(request: TaskRequests['assessment']) {
    await this.assessments.check(request);
    return { params: { period: request.period, streetCode: request.streetCode, publish: request.publish } };
  }

  async run(task: TaskWork) {
    const request = task.params as TaskRequests['assessment'];
    task.progress(`考核 ${request.period}：计算指标、规则计分${request.publish ? '并发布' : ''}`);
    const report = await this.assessments.run(request);
    return { runId: report.runId, status: report.status, fingerprint: report.fingerprint, summary: report.summary };
  }
}

/** A draft rule set run unpublished and compared with a stored run: POST /runs/what-if. The draft's files are the task's input, not shown. */
@Injectable()
export class WhatIfTask implements TaskHandler<'what-if'> {
  readonly kind = 'what-if';

  constructor(private readonly whatIf: WhatIfService) {}

  private request(params: { period: string; streetCode: string | null; compareRunId: number }, ruleSetFiles: Record<string, string>) {
    return {
      period: params.period,
      streetCode: params.streetCode,
      compareRunId: params.compareRunId,
      draft: { source: { location: 'request body', files: ruleSetFiles } },
    };
  }

  async accept(request: TaskRequests['what-if']) {
    const params = { period: request.period, streetCode: request.streetCode, compareRunId: request.compareRunId };
    await this.whatIf.check(this.request(params, request.ruleSetFiles));
    return { params, input: { ruleSetFiles: request.ruleSetFiles } };
  }

  async run(task: TaskWork) {
    const params = task.params as { period: string; streetCode: string | null; compareRunId: number };
    task.progress(`以规则草案试算 ${params.period} 并与考核运行 #${params.compareRunId} 对比`);
    const result = await this.whatIf.compare(this.request(params, (task.input?.ruleSetFiles ?? {}) as Record<string, string>));
    return {
      draftRunId: result.draft.runId,
      baseRunId: result.baseRunId,
      fingerprint: result.draft.fingerprint,
      summary: { ...result.summary },
      path: result.path,
    };
  }
}
