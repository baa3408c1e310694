import { Body, Controller, Get, Param, Post, Query, UploadedFile, type StreamableFile } from '@nestjs/common';
import { AppealSheetService } from '../appeals/appeal-sheet.service.js';
import { AppealsService } from '../appeals/appeals.service.js';
import { CreditRepairService } from '../appeals/credit-repair.service.js';
import { APPEAL_SHEET_LIMITS } from '../appeals/sheet/appeal-workbook.reader.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../domain/access.js';
import { badInput } from '../domain/errors.js';
import {
  AppealHistory,
  AppealLineIdParam,
  AppealLines,
  AppealsQuery,
  APPEAL_STATES,
  ClosedWindows,
  CreditRepairs,
  DecisionBody,
  DecisionReport,
  HistoryQuery,
  ImportedAppeal,
  RepairApplicationBody,
  RepairApplied,
  RepairDecided,
  RepairDecisionBody,
  RepairIdParam,
  RepairsQuery,
  Revisions,
  SheetQuery,
  SubmitQuery,
} from './appeals.dto.js';
import { download, withUploadedFile, type UploadedFileBody } from './files.js';
import { Endpoint } from './openapi/endpoint.decorator.js';
import { CompanyParam, RunIdParam } from './runs.dto.js';
import type { z } from 'zod';

/** The recorded actor is always the key; a person's name given in the body is kept beside it. */
function actorName(principal: Principal, person: string | null | undefined): string {
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
    status: 200,
    response: 'xlsx',
    responseDescription: 'the .xlsx',
    errors: [404, 409],
  })
  async sheet(@Query({ schema: SheetQuery }) query: z.infer<typeof SheetQuery>, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    return download((await this.sheets.exportSheet({ period: query.period, uscc: query.company, actor: principal.name }, principal.scope)).path);
  }

  @Get('appeals/notice')
  @Endpoint({
    tag: 'appeals',
    summary: 'the 告知单 (notice) as its own workbook (all the company’s projects: for the company itself and the bureau)',
    roles: ['company', 'bureau'],
    status: 200,
    response: 'xlsx',
    responseDescription: 'the .xlsx',
    errors: [404, 409],
  })
  async notice(@Query({ schema: SheetQuery }) query: z.infer<typeof SheetQuery>, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    return download((await this.sheets.noticeWorkbook({ period: query.period, uscc: query.company }, principal.scope)).path);
  }

  @Post('appeals')
  @Endpoint({
    tag: 'appeals',
    summary: 'upload a filled appeal sheet (multipart field file); a company key submits only its own',
    roles: ['company', 'bureau'],
    status: 201,
    response: ImportedAppeal,
    responseDescription: 'the appeal and its lines, state submitted',
    upload: { maxBytes: APPEAL_SHEET_LIMITS.maxBytes, description: 'the filled appeal sheet (.xlsx)' },
    errors: [404, 409, 413, 429],
  })
  submit(
    @UploadedFile() file: UploadedFileBody | undefined,
    @Query({ schema: SubmitQuery }) query: z.infer<typeof SubmitQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportedAppeal> {
    return withUploadedFile(file, (path) =>
      this.sheets.importSheet(
        { path, actor: principal.name, expectCompany: query.company?.trim() || undefined, expectPeriod: query.period?.trim() || undefined },
        principal.scope,
      ),
    );
  }

  @Get('appeals')
  @Endpoint({
    tag: 'appeals',
    summary: 'appeal lines in scope with their decisions',
    status: 200,
    response: AppealLines,
    responseDescription: 'lines',
  })
  list(@Query({ schema: AppealsQuery }) query: z.infer<typeof AppealsQuery>, @CurrentPrincipal() principal: Principal): Promise<AppealLines> {
    const states = query.state === undefined ? undefined : query.state.split(',').map((s) => s.trim());
    for (const s of states ?? [])
      if (!(APPEAL_STATES as readonly string[]).includes(s))
        throw badInput('QUERY_INVALID', `unknown state ${s}`, `未知的申诉状态 ${s}（${APPEAL_STATES.join('、')}）`);
    return this.appeals.listLines(
      { uscc: query.company, period: query.period, states: states as (typeof APPEAL_STATES)[number][] | undefined },
      principal.scope,
    );
  }

  @Post('appeals/lines/:id/decision')
  @Endpoint({
    tag: 'appeals',
    summary: 'decide an appeal line: a street key at street level (its street’s lines), the bureau at either level',
    roles: ['street', 'bureau'],
    status: 201,
    response: DecisionReport,
    responseDescription: 'the new state, and the revision an accepting bureau decision made',
    errors: [404, 409],
  })
  decide(
    @Param('id', { schema: AppealLineIdParam }) id: number,
    @Body({ schema: DecisionBody }) body: DecisionBody,
    @CurrentPrincipal() principal: Principal,
  ): Promise<DecisionReport> {
    // over HTTP the bureau decides at bureau level unless it says it takes the street review itself
    const level = body.level ?? (principal.scope.kind === 'all' ? 'bureau' : undefined);
    return this.appeals.decide(
      { appealLineId: id, outcome: body.outcome, reason: body.reason, reviewer: actorName(principal, body.reviewer), level, value: body.value ?? undefined },
      principal.scope,
    );
  }

  @Post('appeals/close')
  @Endpoint({
    tag: 'appeals',
    summary: 'close the appeal windows that have passed (also run daily by the scheduler)',
    roles: ['bureau'],
    status: 200,
    response: ClosedWindows,
    responseDescription: 'per run: results made final, companies still waiting',
  })
  close(@CurrentPrincipal() principal: Principal): Promise<ClosedWindows> {
    return this.appeals.closeWindows(principal.name);
  }

  @Get('appeals/history')
  @Endpoint({
    tag: 'appeals',
    summary: 'a company’s appeal, decision, correction, revision, finality and credit-repair history (the company itself and the bureau)',
    roles: ['company', 'bureau'],
    status: 200,
    response: AppealHistory,
    responseDescription: 'audit entries in order',
    errors: [404],
  })
  history(@Query({ schema: HistoryQuery }) query: z.infer<typeof HistoryQuery>, @CurrentPrincipal() principal: Principal): Promise<AppealHistory> {
    return this.appeals.history(query.company, principal.scope);
  }

  @Get('runs/:runId/companies/:uscc/revisions')
  @Endpoint({
    tag: 'results',
    summary: 'the published result (revision 0) and every revision since',
    status: 200,
    response: Revisions,
    responseDescription: 'revisions',
    errors: [404, 409],
  })
  revisions(
    @Param('runId', { schema: RunIdParam }) runId: number,
    @Param('uscc', { schema: CompanyParam }) uscc: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Revisions> {
    return this.appeals.revisions(runId, uscc, principal.scope);
  }

  @Post('credit-repairs')
  @Endpoint({
    tag: 'credit repair',
    summary: 'apply for credit repair (信用修复) of a black-list entry after its minimum duration',
    roles: ['company', 'bureau'],
    status: 201,
    response: RepairApplied,
    responseDescription: 'the application',
    errors: [404, 409],
  })
  applyRepair(@Body({ schema: RepairApplicationBody }) body: RepairApplicationBody, @CurrentPrincipal() principal: Principal): Promise<RepairApplied> {
    return this.repairs.apply(
      {
        uscc: body.company,
        entryId: body.entryId ?? undefined,
        rectification: body.rectification,
        evidence: body.evidence,
        applicant: actorName(principal, body.applicant),
      },
      principal.scope,
    );
  }

  @Post('credit-repairs/:id/decision')
  @Endpoint({
    tag: 'credit repair',
    summary: 'decide a credit repair application',
    roles: ['bureau'],
    status: 201,
    response: RepairDecided,
    responseDescription: 'the decision',
    errors: [404, 409],
  })
  decideRepair(
    @Param('id', { schema: RepairIdParam }) id: number,
    @Body({ schema: RepairDecisionBody }) body: RepairDecisionBody,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RepairDecided> {
    return this.repairs.decide({ repairId: id, approve: body.approve, reason: body.reason, reviewer: actorName(principal, body.reviewer) }, principal.scope);
  }

  @Get('credit-repairs')
  @Endpoint({
    tag: 'credit repair',
    summary: 'credit repair applications in scope',
    status: 200,
    response: CreditRepairs,
    responseDescription: 'applications',
  })
  listRepairs(@Query({ schema: RepairsQuery }) query: z.infer<typeof RepairsQuery>, @CurrentPrincipal() principal: Principal): Promise<CreditRepairs> {
    return this.repairs.list(query.company || undefined, principal.scope);
  }
}
