import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { AssessmentService } from '../assessment/assessment.service.js';
import { explainCompany, explainProject } from '../assessment/explain.js';

/** Read-only access to assessment runs and their results. */
@Controller('runs')
export class RunsController {
  constructor(private readonly assessments: AssessmentService) {}

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
