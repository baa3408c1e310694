import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { AppealSheetService } from '../appeals/appeal-sheet.service.js';
import type { AppealLineState } from '../appeals/appeals.repository.js';
import { AppealsService } from '../appeals/appeals.service.js';
import { CreditRepairService } from '../appeals/credit-repair.service.js';
import { badInput } from '../domain/errors.js';
import { DECISION_BODY, REPAIR_APPLICATION_BODY, REPAIR_DECISION_BODY, type DecisionBody, type RepairApplicationBody, type RepairDecisionBody } from './appeals.dto.js';
import { parseBody } from './body.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const APPEAL_STATES: readonly AppealLineState[] = ['submitted', 'bureau_review', 'accepted', 'rejected', 'replaced'];

interface UploadedXlsx {
  originalname: string;
  buffer: Buffer;
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value.trim() === '') throw badInput('QUERY_INVALID', `query parameter "${name}" is required`, `缺少查询参数 ${name}`);
  return value.trim();
}

function download(path: string): StreamableFile {
  return new StreamableFile(createReadStream(path), { type: XLSX, disposition: `attachment; filename="${basename(path)}"` });
}

/** Appeals through the score sheet, their review, finality, and credit repair. */
@Controller()
export class AppealsController {
  constructor(
    private readonly sheets: AppealSheetService,
    private readonly appeals: AppealsService,
    private readonly repairs: CreditRepairService,
  ) {}

  /** The company's signed appeal sheet for a published period (a download). */
  @Get('appeals/sheet')
  async sheet(@Query('period') period: string | undefined, @Query('company') company: string | undefined, @Query('by') by: string | undefined) {
    const exported = await this.sheets.exportSheet({ period: required(period, 'period'), uscc: required(company, 'company'), actor: by?.trim() || 'api' });
    return download(exported.path);
  }

  /** The 告知单 as its own workbook (a download). */
  @Get('appeals/notice')
  async notice(@Query('period') period: string | undefined, @Query('company') company: string | undefined) {
    const notice = await this.sheets.noticeWorkbook({ period: required(period, 'period'), uscc: required(company, 'company') });
    return download(notice.path);
  }

  /** Uploads a filled appeal sheet (multipart field `file`). */
  @Post('appeals')
  @HttpCode(201)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 20 * 1024 * 1024, files: 1 } }))
  async submit(@UploadedFile() file: UploadedXlsx | undefined, @Query('company') company: string | undefined, @Query('period') period: string | undefined, @Query('by') by: string | undefined) {
    if (!file) throw badInput('UPLOAD_MISSING', 'upload the sheet as multipart field "file"', '请以 multipart 字段 file 上传申诉评分表');
    const dir = await mkdtemp(join(tmpdir(), 'redprop-appeal-'));
    try {
      const name = basename(Buffer.from(file.originalname, 'latin1').toString('utf8')) || 'appeal.xlsx';
      const path = join(dir, name);
      await writeFile(path, file.buffer);
      return await this.sheets.importSheet({ path, actor: by?.trim() || 'api', expectCompany: company?.trim() || undefined, expectPeriod: period?.trim() || undefined });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  @Get('appeals')
  async list(@Query('company') company: string | undefined, @Query('period') period: string | undefined, @Query('state') state: string | undefined) {
    const states = state === undefined ? undefined : state.split(',').map((s) => s.trim());
    for (const s of states ?? []) if (!APPEAL_STATES.includes(s as AppealLineState)) throw badInput('QUERY_INVALID', `unknown state ${s}`, `未知的申诉状态 ${s}（${APPEAL_STATES.join('、')}）`);
    return this.appeals.listLines({ uscc: company, period, states: states as AppealLineState[] | undefined });
  }

  @Post('appeals/lines/:id/decision')
  @HttpCode(201)
  decide(@Param('id', ParseIntPipe) id: number, @Body() body: unknown) {
    const b = parseBody<DecisionBody>(body, DECISION_BODY);
    return this.appeals.decide({ appealLineId: id, outcome: b.outcome, reason: b.reason, reviewer: b.reviewer, level: b.level, value: b.value });
  }

  /** Closes the appeal windows that have passed (also run daily). */
  @Post('appeals/close')
  @HttpCode(200)
  close() {
    return this.appeals.closeWindows('api');
  }

  @Get('appeals/history')
  history(@Query('company') company: string | undefined) {
    return this.appeals.history(required(company, 'company'));
  }

  @Get('runs/:runId/companies/:uscc/revisions')
  revisions(@Param('runId', ParseIntPipe) runId: number, @Param('uscc') uscc: string) {
    return this.appeals.revisions(runId, uscc);
  }

  @Post('credit-repairs')
  @HttpCode(201)
  applyRepair(@Body() body: unknown) {
    const b = parseBody<RepairApplicationBody>(body, REPAIR_APPLICATION_BODY);
    return this.repairs.apply({ uscc: b.company, entryId: b.entryId, rectification: b.rectification, evidence: b.evidence, applicant: b.applicant });
  }

  @Post('credit-repairs/:id/decision')
  @HttpCode(201)
  decideRepair(@Param('id', ParseIntPipe) id: number, @Body() body: unknown) {
    const b = parseBody<RepairDecisionBody>(body, REPAIR_DECISION_BODY);
    return this.repairs.decide({ repairId: id, approve: b.approve, reason: b.reason, reviewer: b.reviewer });
  }

  @Get('credit-repairs')
  listRepairs(@Query('company') company: string | undefined) {
    return this.repairs.list(company);
  }
}
