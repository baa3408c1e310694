import { Inject, Injectable } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../domain/errors.js';
import type { RuleSetSource } from '../rules/rule-set.js';
import { comparisonSheets } from '../reports/comparison.content.js';
import { writeSheets } from '../reports/write-sheets.js';
import { AssessmentRepository, type RunRow } from './assessment.repository.js';
import { AssessmentService, type RunReport } from './assessment.service.js';
import { compareOutcomes, type ComparisonSummary } from './comparison.js';

export interface WhatIfRequest {
  period: string;
  streetCode: string | null;
  /** the draft rule set: a directory or its files */
  draft: { dir: string } | { source: RuleSetSource };
  compareRunId: number;
}

export interface WhatIfReport {
  draft: RunReport;
  baseRunId: number;
  summary: ComparisonSummary;
  path: string;
}

/** Runs a draft rule set without publishing and compares it with a stored run in a workbook. */
@Injectable()
export class WhatIfService {
  constructor(
    private readonly assessments: AssessmentService,
    private readonly runs: AssessmentRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Everything that can refuse a what-if before any work is queued: the run compared with, the period and street, the draft. */
  async check(request: WhatIfRequest): Promise<RunRow> {
    const base = await this.assessments.getRun(request.compareRunId);
    if (base.periodCode !== request.period || base.streetCode !== request.streetCode) {
      throw new DomainError(
        'COMPARE_SCOPE_MISMATCH',
        `run ${base.id} is for ${base.periodCode}/${base.streetCode ?? 'all'}, not ${request.period}/${request.streetCode ?? 'all'}`,
        `对比的考核运行 #${base.id} 属于 ${base.periodCode}（${base.streetCode ?? '全部街道'}），与本次测算的周期或范围不同`,
      );
    }
    await this.assessments.check({ period: request.period, streetCode: request.streetCode, publish: false, ...this.draftOf(request) });
    return base;
  }

  private draftOf(request: WhatIfRequest) {
    return 'dir' in request.draft ? { rulesDir: request.draft.dir } : { ruleSet: request.draft.source };
  }

  async compare(request: WhatIfRequest): Promise<WhatIfReport> {
    const base = await this.check(request);
    const draft = await this.assessments.run({
      period: request.period,
      streetCode: request.streetCode,
      ...this.draftOf(request),
      publish: false,
    });
    const [before, after] = await Promise.all([this.runs.comparable(base.id), this.runs.comparable(draft.runId)]);
    const grades = this.assessments.ruleSetOf(base).manifest.grades;
    const comparison = compareOutcomes(before, after, grades);
    const path = join(this.config.reportsDir, request.period, `规则测算-运行${draft.runId}-对比运行${base.id}.xlsx`);
    await writeSheets(
      path,
      comparisonSheets(comparison, {
        period: request.period,
        baseRun: base.id,
        baseRules: `${base.ruleSetName} ${base.ruleSetVersion}`,
        draftRun: draft.runId,
        draftRules: `${draft.ruleSet.name} ${draft.ruleSet.version}`,
      }),
    );
    return { draft, baseRunId: base.id, summary: comparison.summary, path };
  }
}
