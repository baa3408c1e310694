import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { AssessmentService } from '../assessment/assessment.service.js';
import { WhatIfService } from '../assessment/what-if.service.js';
import { parseWhatIfBody } from './what-if.dto.js';

/** Read-only access to assessment runs and their results. */
@Controller('runs')
export class RunsController {
  constructor(
    private readonly assessments: AssessmentService,
    private readonly whatIf: WhatIfService,
  ) {}

  /** Runs a draft rule set unpublished against a stored run; answers with the summary and the workbook's path. */
  @Post('what-if')
  @HttpCode(201)
  async compare(@Body() body: unknown) {
    const request = parseWhatIfBody(body);
    const result = await this.whatIf.compare({
      period: request.period,
      streetCode: request.streetCode,
      compareRunId: request.compareRunId,
      draft: { source: { location: 'request body', files: request.ruleSetFiles } },
    });
    return { draftRunId: result.draft.runId, baseRunId: result.baseRunId, fingerprint: result.draft.fingerprint, summary: result.summary, workbook: result.path };
  }

  @Get()
  listRuns() {
    return this.assessments.listRuns();
  }

  @Get(':runId/companies')
  companies(@Param('runId', ParseIntPipe) runId: number) {
    return this.assessments.companyListing(runId);
  }

  @Get(':runId/companies/:uscc')
  company(@Param('runId', ParseIntPipe) runId: number, @Param('uscc') uscc: string) {
    return this.assessments.explainedResult(runId, uscc);
  }

}
