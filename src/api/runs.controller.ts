import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { AssessmentService } from '../assessment/assessment.service.js';
import { explainCompany, explainProject } from '../assessment/explain.js';
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
  async companies(@Param('runId', ParseIntPipe) runId: number) {
    const rows = await this.assessments.companyResults(runId);
    return rows.map(({ outcome, ...row }) => ({ ...row, lists: (outcome as { lists: unknown }).lists }));
  }

  @Get(':runId/companies/:uscc')
  async company(@Param('runId', ParseIntPipe) runId: number, @Param('uscc') uscc: string) {
    const run = await this.assessments.getRun(runId);
    const ruleSet = this.assessments.ruleSetOf(run);
    const { company, projects } = await this.assessments.companyResult(runId, uscc);
    return {
      run: { id: run.id, period: run.periodCode, street: run.streetCode, status: run.status, fingerprint: run.fingerprint, ruleSet: `${run.ruleSetName} ${run.ruleSetVersion}` },
      company: { ...company.outcome, explanation: explainCompany(company.outcome, ruleSet) },
      projects: projects.map((p) => ({ ...p.outcome, explanation: explainProject(p.outcome, ruleSet) })),
    };
  }
}
