import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { AssessmentService } from '../assessment/assessment.service.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../domain/access.js';
import { TasksService, type TaskView } from '../tasks/tasks.service.js';
import { Endpoint } from './openapi/endpoint.decorator.js';
import { AssessBody, CompanyListing, CompanyParam, ExplainedResult, RunIdParam, RunList, RunSummary, WhatIfBody } from './runs.dto.js';
import { Task } from './tasks.dto.js';
import { noteText } from '../reports/note-text.js';
import { storedNote, type StoredNote } from '../assessment/stored-outcome.js';

/** Assessment runs: start (as a task), publish, and results with explanation, as far as the key's scope reaches. */
@Controller('runs')
export class RunsController {
  constructor(
    private readonly assessments: AssessmentService,
    private readonly tasks: TasksService,
  ) {}

  @Post()
  @Endpoint({
    tag: 'runs',
    summary: 'start an assessment run (a task: poll GET /tasks/{id})',
    roles: ['bureau'],
    status: 202,
    response: Task,
    responseDescription: 'the task, queued',
    errors: [404, 409, 429],
  })
  start(@Body({ schema: AssessBody }) body: AssessBody, @CurrentPrincipal() principal: Principal): Promise<TaskView> {
    return this.tasks.submit(
      { kind: 'assessment', request: { period: body.period, streetCode: body.streetCode ?? null, publish: body.publish ?? false } },
      principal,
    );
  }

  @Post(':runId/publish')
  @Endpoint({
    tag: 'runs',
    summary: 'publish a stored run (supersedes the published run of its period and scope atomically)',
    roles: ['bureau'],
    status: 200,
    response: RunSummary,
    responseDescription: 'the run’s summary with its list changes and ledger entries',
    errors: [404, 409],
  })
  publish(@Param('runId', { schema: RunIdParam }) runId: number): Promise<RunSummary> {
    return this.assessments.publish(runId);
  }

  @Post('what-if')
  @Endpoint({
    tag: 'runs',
    summary:
      'what-if: run a draft rule set unpublished and compare with a stored run (a task: GET /tasks/{id}, then GET /tasks/{id}/file for the comparison workbook)',
    roles: ['bureau'],
    status: 202,
    response: Task,
    responseDescription: 'the task, queued',
    errors: [404, 409, 429],
  })
  compare(@Body({ schema: WhatIfBody }) body: WhatIfBody, @CurrentPrincipal() principal: Principal): Promise<TaskView> {
    return this.tasks.submit(
      {
        kind: 'what-if',
        request: { period: body.period, streetCode: body.streetCode ?? null, compareRunId: body.compareRunId, ruleSetFiles: body.ruleSetFiles },
      },
      principal,
    );
  }

  @Get()
  @Endpoint({
    tag: 'runs',
    summary: 'assessment runs with period, rule set, fingerprint and status (newest first); the province-wide summary counts for the bureau only',
    status: 200,
    response: RunList,
    responseDescription: 'runs',
  })
  listRuns(@CurrentPrincipal() principal: Principal): Promise<RunList> {
    return this.assessments.listRuns(principal.scope);
  }

  @Get(':runId/companies')
  @Endpoint({
    tag: 'results',
    summary: 'the companies of a run in scope, with score, grade, list decisions and revision',
    status: 200,
    response: CompanyListing,
    responseDescription: 'companies',
    errors: [404],
  })
  companies(@Param('runId', { schema: RunIdParam }) runId: number, @CurrentPrincipal() principal: Principal): Promise<CompanyListing> {
    return this.assessments.companyListing(runId, principal.scope);
  }

  @Get(':runId/companies/:uscc')
  @Endpoint({
    tag: 'results',
    summary: 'one company’s current result with its projects in scope and the Chinese explanation',
    status: 200,
    response: ExplainedResult,
    responseDescription: 'the result',
    errors: [404],
  })
  async company(
    @Param('runId', { schema: RunIdParam }) runId: number,
    @Param('uscc', { schema: CompanyParam }) uscc: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ExplainedResult> {
    const result = await this.assessments.explainedResult(runId, uscc, principal.scope);
    return { ...result, company: withNoteTexts(result.company), projects: result.projects.map(withNoteTexts) };
  }
}

/** A result's notes as codes with parameters, each with its sentence in Chinese. */
function withNoteTexts<T extends { notes: StoredNote[] }>(outcome: T) {
  return { ...outcome, notes: outcome.notes.map((n) => ({ ...storedNote(n), text: noteText(n) })) };
}
