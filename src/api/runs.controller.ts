import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { AssessmentService } from '../assessment/assessment.service.js';
import { WhatIfService } from '../assessment/what-if.service.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../domain/access.js';
import { TasksService } from '../tasks/tasks.service.js';
import { parseBody, type BodySchema } from './body.js';
import { Endpoint } from './openapi/endpoint.decorator.js';
import { WHAT_IF_BODY, parseWhatIfBody } from './what-if.dto.js';

interface AssessBody {
  period: string;
  streetCode?: string;
  publish?: boolean;
}

const ASSESS_BODY: BodySchema = {
  period: { type: 'string', required: true, description: 'e.g. 2025, 2025-H1, 2025-Q3, 2025-07' },
  streetCode: { type: 'string', description: 'one street only (default: every street)' },
  publish: { type: 'boolean', description: 'publish the run: lists and credit ledger follow (default false)' },
};

const RUN_ID = { runId: { description: 'run id', type: 'integer' as const } };
const USCC = { uscc: { description: '统一社会信用代码' } };

/** Assessment runs: start (as a task), publish, and results with explanation, as far as the key's scope reaches. */
@Controller('runs')
export class RunsController {
  constructor(
    private readonly assessments: AssessmentService,
    private readonly whatIf: WhatIfService,
    private readonly tasks: TasksService,
  ) {}

  @Post()
  @HttpCode(202)
  @Endpoint({
    tag: 'runs',
    summary: 'start an assessment run (a task: poll GET /jobs/{id})',
    roles: ['bureau'],
    body: ASSESS_BODY,
    returns: { status: 202, description: 'the task, queued' },
  })
  async start(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseBody<AssessBody>(body, ASSESS_BODY);
    const request = { period: b.period, streetCode: b.streetCode ?? null, publish: b.publish ?? false };
    await this.assessments.check(request);
    return this.tasks.start('assessment', request, principal, async (progress) => {
      progress(`考核 ${request.period}：计算指标、规则计分${request.publish ? '并发布' : ''}`);
      const report = await this.assessments.run(request);
      return { runId: report.runId, status: report.status, fingerprint: report.fingerprint, summary: report.summary };
    });
  }

  @Post(':runId/publish')
  @HttpCode(200)
  @Endpoint({
    tag: 'runs',
    summary: 'publish a stored run (supersedes the published run of its period and scope atomically)',
    roles: ['bureau'],
    params: RUN_ID,
    returns: { status: 200, description: 'list changes and ledger entries' },
  })
  publish(@Param('runId', ParseIntPipe) runId: number) {
    return this.assessments.publish(runId);
  }

  /** Runs a draft rule set unpublished against a stored run; answers with the summary and the workbook's path. */
  @Post('what-if')
  @HttpCode(202)
  @Endpoint({
    tag: 'runs',
    summary:
      'what-if: run a draft rule set unpublished and compare with a stored run (a task: GET /jobs/{id}, then GET /jobs/{id}/file for the comparison workbook)',
    roles: ['bureau'],
    body: WHAT_IF_BODY,
    returns: { status: 202, description: 'the task, queued' },
  })
  async compare(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const request = parseWhatIfBody(body);
    await this.whatIf.check({
      period: request.period,
      streetCode: request.streetCode,
      compareRunId: request.compareRunId,
      draft: { source: { location: 'request body', files: request.ruleSetFiles } },
    });
    return this.tasks.start(
      'what-if',
      { period: request.period, streetCode: request.streetCode, compareRunId: request.compareRunId },
      principal,
      async (progress) => {
        progress(`以规则草案试算 ${request.period} 并与考核运行 #${request.compareRunId} 对比`);
        const result = await this.whatIf.compare({
          period: request.period,
          streetCode: request.streetCode,
          compareRunId: request.compareRunId,
          draft: { source: { location: 'request body', files: request.ruleSetFiles } },
        });
        return {
          draftRunId: result.draft.runId,
          baseRunId: result.baseRunId,
          fingerprint: result.draft.fingerprint,
          summary: result.summary as unknown as Record<string, unknown>,
          path: result.path,
        };
      },
    );
  }

  @Get()
  @Endpoint({
    tag: 'runs',
    summary: 'assessment runs with period, rule set, fingerprint and status (newest first); the province-wide summary counts for the bureau only',
    returns: { status: 200, description: 'runs' },
  })
  listRuns(@CurrentPrincipal() principal: Principal) {
    return this.assessments.listRuns(principal.scope);
  }

  @Get(':runId/companies')
  @Endpoint({
    tag: 'results',
    summary: 'the companies of a run in scope, with score, grade, list decisions and revision',
    params: RUN_ID,
    returns: { status: 200, description: 'companies' },
  })
  companies(@Param('runId', ParseIntPipe) runId: number, @CurrentPrincipal() principal: Principal) {
    return this.assessments.companyListing(runId, principal.scope);
  }

  @Get(':runId/companies/:uscc')
  @Endpoint({
    tag: 'results',
    summary: 'one company’s current result with its projects in scope and the Chinese explanation',
    params: { ...RUN_ID, ...USCC },
    returns: { status: 200, description: 'the result' },
  })
  company(@Param('runId', ParseIntPipe) runId: number, @Param('uscc') uscc: string, @CurrentPrincipal() principal: Principal) {
    return this.assessments.explainedResult(runId, uscc, principal.scope);
  }
}
