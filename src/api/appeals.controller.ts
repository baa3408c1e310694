import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, UploadedFile } from '@nestjs/common';
import { AppealSheetService } from '../appeals/appeal-sheet.service.js';
import type { AppealLineState } from '../appeals/appeals.repository.js';
import { AppealsService } from '../appeals/appeals.service.js';
import { CreditRepairService } from '../appeals/credit-repair.service.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../domain/access.js';
import { badInput } from '../domain/errors.js';
import {
  DECISION_BODY,
  REPAIR_APPLICATION_BODY,
  REPAIR_DECISION_BODY,
  type DecisionBody,
  type RepairApplicationBody,
  type RepairDecisionBody,
} from './appeals.dto.js';
import { parseBody } from './body.js';
import { APPEAL_SHEET_LIMITS } from '../appeals/sheet/appeal-workbook.reader.js';
import { download, FileUpload, withUploadedFile, type UploadedFileBody } from './files.js';
import { Endpoint } from './openapi/endpoint.decorator.js';

const APPEAL_STATES: readonly AppealLineState[] = ['submitted', 'bureau_review', 'accepted', 'rejected', 'replaced'];
const PERIOD = { description: 'e.g. 2025', required: true };
const COMPANY = { description: '统一社会信用代码', required: true };

/** The recorded actor is always the key; a person's name given in the body is kept beside it. */
function actorName(principal: Principal, person: string | undefined): string {
  return person && person.trim() !== '' && person.trim() !== principal.name ? `${principal.name}（${person.trim()}）` : principal.name;
}

/** Appeals through the score sheet, their review, finality, and credit repair. Who does what is the key's: the actor recorded is the key's name. */
@Controller()
export class AppealsController {
  constructor(
    private readonly sheets: AppealSheetService,
    private readonly appeals: AppealsService,
    private readonly repairs: CreditRepairService,
  ) {}

  @Get('appeals/sheet')
  @Endpoint({
    tag: 'appeals',
    summary: 'the company’s signed appeal sheet for a published period (all its projects: for the company itself and the bureau)',
    roles: ['company', 'bureau'],
    query: { period: PERIOD, company: COMPANY },
    returns: { status: 200, description: 'the .xlsx', content: 'xlsx' },
  })
  async sheet(@Query('period') period: string, @Query('company') company: string, @CurrentPrincipal() principal: Principal) {
    return download((await this.sheets.exportSheet({ period, uscc: company, actor: principal.name }, principal.scope)).path);
  }

  @Get('appeals/notice')
  @Endpoint({
    tag: 'appeals',
    summary: 'the 告知单 (notice) as its own workbook (all the company’s projects: for the company itself and the bureau)',
    roles: ['company', 'bureau'],
    query: { period: PERIOD, company: COMPANY },
    returns: { status: 200, description: 'the .xlsx', content: 'xlsx' },
  })
  async notice(@Query('period') period: string, @Query('company') company: string, @CurrentPrincipal() principal: Principal) {
    return download((await this.sheets.noticeWorkbook({ period, uscc: company }, principal.scope)).path);
  }

  @Post('appeals')
  @HttpCode(201)
  @FileUpload(APPEAL_SHEET_LIMITS.maxBytes)
  @Endpoint({
    tag: 'appeals',
    summary: 'upload a filled appeal sheet (multipart field file); a company key submits only its own',
    roles: ['company', 'bureau'],
    body: 'xlsx-upload',
    query: {
      company: { description: 'refuse unless the sheet is this company’s (a company key: always its own)' },
      period: { description: 'refuse unless the sheet is of this period' },
    },
    returns: { status: 201, description: 'the appeal and its lines, state submitted' },
  })
  submit(
    @UploadedFile() file: UploadedFileBody | undefined,
    @Query('company') company: string | undefined,
    @Query('period') period: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return withUploadedFile(file, (path) =>
      this.sheets.importSheet(
        { path, actor: principal.name, expectCompany: company?.trim() || undefined, expectPeriod: period?.trim() || undefined },
        principal.scope,
      ),
    );
  }

  @Get('appeals')
  @Endpoint({
    tag: 'appeals',
    summary: 'appeal lines in scope with their decisions',
    query: {
      company: { description: '统一社会信用代码' },
      period: { description: 'e.g. 2025' },
      state: { description: `comma-separated: ${APPEAL_STATES.join(', ')}` },
    },
    returns: { status: 200, description: 'lines' },
  })
  async list(
    @Query('company') company: string | undefined,
    @Query('period') period: string | undefined,
    @Query('state') state: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    const states = state === undefined ? undefined : state.split(',').map((s) => s.trim());
    for (const s of states ?? [])
      if (!APPEAL_STATES.includes(s as AppealLineState))
        throw badInput('QUERY_INVALID', `unknown state ${s}`, `未知的申诉状态 ${s}（${APPEAL_STATES.join('、')}）`);
    return this.appeals.listLines({ uscc: company, period, states: states as AppealLineState[] | undefined }, principal.scope);
  }

  @Post('appeals/lines/:id/decision')
  @HttpCode(201)
  @Endpoint({
    tag: 'appeals',
    summary: 'decide an appeal line: a street key at street level (its street’s lines), the bureau at either level',
    roles: ['street', 'bureau'],
    params: { id: { description: 'appeal line number', type: 'integer' } },
    body: DECISION_BODY,
    returns: { status: 201, description: 'the new state, and the revision an accepting bureau decision made' },
  })
  decide(@Param('id', ParseIntPipe) id: number, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseBody<DecisionBody>(body, DECISION_BODY);
    // over HTTP the bureau decides at bureau level unless it says it takes the street review itself
    const level = b.level ?? (principal.scope.kind === 'all' ? 'bureau' : undefined);
    return this.appeals.decide(
      { appealLineId: id, outcome: b.outcome, reason: b.reason, reviewer: actorName(principal, b.reviewer), level, value: b.value },
      principal.scope,
    );
  }

  @Post('appeals/close')
  @HttpCode(200)
  @Endpoint({
    tag: 'appeals',
    summary: 'close the appeal windows that have passed (also run daily by the scheduler)',
    roles: ['bureau'],
    returns: { status: 200, description: 'per run: results made final, companies still waiting' },
  })
  close(@CurrentPrincipal() principal: Principal) {
    return this.appeals.closeWindows(principal.name);
  }

  @Get('appeals/history')
  @Endpoint({
    tag: 'appeals',
    summary: 'a company’s appeal, decision, correction, revision, finality and credit-repair history (the company itself and the bureau)',
    roles: ['company', 'bureau'],
    query: { company: COMPANY },
    returns: { status: 200, description: 'audit entries in order' },
  })
  history(@Query('company') company: string, @CurrentPrincipal() principal: Principal) {
    return this.appeals.history(company, principal.scope);
  }

  @Get('runs/:runId/companies/:uscc/revisions')
  @Endpoint({
    tag: 'results',
    summary: 'the published result (revision 0) and every revision since',
    params: { runId: { description: 'run id', type: 'integer' }, uscc: { description: '统一社会信用代码' } },
    returns: { status: 200, description: 'revisions' },
  })
  revisions(@Param('runId', ParseIntPipe) runId: number, @Param('uscc') uscc: string, @CurrentPrincipal() principal: Principal) {
    return this.appeals.revisions(runId, uscc, principal.scope);
  }

  @Post('credit-repairs')
  @HttpCode(201)
  @Endpoint({
    tag: 'credit repair',
    summary: 'apply for credit repair (信用修复) of a black-list entry after its minimum duration',
    roles: ['company', 'bureau'],
    body: REPAIR_APPLICATION_BODY,
    returns: { status: 201, description: 'the application' },
  })
  applyRepair(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseBody<RepairApplicationBody>(body, REPAIR_APPLICATION_BODY);
    return this.repairs.apply(
      { uscc: b.company, entryId: b.entryId, rectification: b.rectification, evidence: b.evidence, applicant: actorName(principal, b.applicant) },
      principal.scope,
    );
  }

  @Post('credit-repairs/:id/decision')
  @HttpCode(201)
  @Endpoint({
    tag: 'credit repair',
    summary: 'decide a credit repair application',
    roles: ['bureau'],
    params: { id: { description: 'application number', type: 'integer' } },
    body: REPAIR_DECISION_BODY,
    returns: { status: 201, description: 'the decision' },
  })
  decideRepair(@Param('id', ParseIntPipe) id: number, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const b = parseBody<RepairDecisionBody>(body, REPAIR_DECISION_BODY);
    return this.repairs.decide({ repairId: id, approve: b.approve, reason: b.reason, reviewer: actorName(principal, b.reviewer) }, principal.scope);
  }

  @Get('credit-repairs')
  @Endpoint({
    tag: 'credit repair',
    summary: 'credit repair applications in scope',
    query: { company: { description: '统一社会信用代码' } },
    returns: { status: 200, description: 'applications' },
  })
  listRepairs(@Query('company') company: string | undefined, @CurrentPrincipal() principal: Principal) {
    return this.repairs.list(company || undefined, principal.scope);
  }
}
