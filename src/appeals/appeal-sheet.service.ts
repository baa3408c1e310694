import { createHash, randomBytes } from 'node:crypto';
import { EVERYTHING, type AccessScope } from '../domain/access.js';
import { AccessService, outOfScope } from '../access/access.service.js';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CLOCK, localDate, type Clock } from '../domain/clock.js';
import { DomainError, badInput, type Fault } from '../domain/errors.js';
import { periodDates, requirePeriod } from '../domain/period.js';
import type { FactValue } from '../rules/rule-json.js';
import { companyLines, projectLines, type IndicatorLine } from '../reports/indicator-lines.js';
import type { RunInfo } from '../reports/report-data.js';
import { ReportsRepository } from '../reports/reports.repository.js';
import { companySummaryRows, companySummarySpec, scoresheetTitle } from '../reports/scoresheet.content.js';
import { XlsxReportWriter } from '../reports/xlsx-writer.js';
import { AppealsRepository, type AppealLineRow, type AuditEntry } from './appeals.repository.js';
import { AppealsService, STATE_LABELS } from './appeals.service.js';
import { answerDeadline, appealTerms, isPast } from './appeal-terms.js';
import { appealInstructionsSheet, appealScoresheetRow, appealScoresheetSpec } from './sheet/appeal-sheet.content.js';
import { contentBudget, openAppealWorkbook, type AppealWorkbookContent, type AppealWorkbookFile } from './sheet/appeal-workbook.reader.js';
import { EVENT_CLAIM_INCREASE_ZH, parseClaimedValue, raisesEventCount } from './sheet/claimed-value.js';
import { noticeSheet } from './sheet/notice.content.js';
import {
  diffCells,
  signatureSheet,
  signedCellsOfSheets,
  signSheet,
  verifySheet,
  type MaterialSheet,
  type SignatureHeader,
  type SignedCell,
} from './sheet/signature.js';

const SECRET_NAME = 'appeal-sheet-hmac';

export interface ExportedSheet {
  path: string;
  exportId: number;
  runId: number;
  period: string;
  uscc: string;
  revision: number;
  appealDeadline: string;
  lines: number;
}

export interface ImportRequest {
  path: string;
  /** who uploads it */
  actor: string;
  /** refuse a sheet of another company (a company user uploads only its own) */
  expectCompany?: string;
  /** refuse a sheet of another period */
  expectPeriod?: string;
}

export interface ImportedAppeal {
  appealId: number;
  runId: number;
  period: string;
  uscc: string;
  lines: { appealLineId: number; lineId: string; row: number; round: number; replaced: number | null }[];
}

/** The appeal sheet: exported signed and protected, uploaded back, verified and turned into appeal lines. */
@Injectable()
export class AppealSheetService {
  private readonly logger = new Logger(AppealSheetService.name);

  constructor(
    private readonly appeals: AppealsRepository,
    private readonly reports: ReportsRepository,
    private readonly workflow: AppealsService,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async secret(): Promise<string> {
    return this.config.appealSecret ?? this.appeals.secret(SECRET_NAME, () => randomBytes(32).toString('hex'));
  }

  /** The published run of a period, the company's current result in it, its lines and deadlines. */
  private async subject(periodCode: string, uscc: string) {
    const period = requirePeriod(periodCode);
    const run = await this.appeals.publishedRun(period.code);
    if (!run) {
      throw new DomainError(
        'RUN_NOT_PUBLISHED',
        `no published run for ${period.code}`,
        `考核周期 ${period.code} 尚无已发布的考核结果，发布后才能导出申诉评分表`,
      );
    }
    const company = await this.workflow.company(uscc);
    const current = await this.appeals.currentResult(run.id, company.id);
    if (!current) throw new DomainError('COMPANY_NOT_IN_RUN', `company ${uscc} is not in run ${run.id}`, `企业 ${uscc} 不在考核运行 #${run.id} 中`);
    const dates = this.workflow.datesOf(run);
    const { startsOn, endsOn } = periodDates(period);
    const events = await this.reports.creditEvents(company.id, startsOn, endsOn, EVERYTHING);
    const lines = [
      ...companyLines(run.id, current.company, dates.ruleSet, events),
      ...current.projects.flatMap((p) => projectLines(run.id, p, dates.ruleSet, events)),
    ];
    return { period, run, company, current, dates, lines };
  }

  /** Writes the company's appeal sheet (signed, protected) and records what it holds. */
  async exportSheet(request: { period: string; uscc: string; actor: string }, scope: AccessScope): Promise<ExportedSheet> {
    if (scope.kind === 'street') throw outOfScope(scope, 'an appeal sheet', `企业 ${request.uscc} 的申诉评分表`);
    await this.access.assertCompany(scope, request.uscc);
    const { period, run, company, current, dates, lines } = await this.subject(request.period, request.uscc);
    const [row] = await this.reports.companiesByIds(run.id, [company.id], null, null);
    const runInfo = (await this.reports.runsOfPeriod(period.code)).find((r) => r.id === run.id) as RunInfo;
    const now = this.clock.now();
    const title = scoresheetTitle(company, period);
    const secret = await this.secret();
    const noticeInput = { company, period, runId: run.id, revision: current.revision, ...dates, lines };

    return this.appeals.transaction(async (unit) => {
      const exportId = await this.appeals.nextExportId(unit);
      const path = join(this.config.reportsDir, period.code, 'appeals', `appeal-sheet-${period.code}-${company.uscc}-${exportId}.xlsx`);
      const sheets: MaterialSheet[] = [
        appealInstructionsSheet({ title: `${title} · 填写说明`, appealDeadline: dates.appealDeadline, revision: current.revision }),
        {
          spec: { ...companySummarySpec(`${title} · 企业汇总`), protection: { unlockedColumns: [] } },
          rows: companySummaryRows(row, runInfo, period, '企业全部项目', row.projectsInScope),
        },
        { spec: appealScoresheetSpec(`${title} · 评分明细（可在黄色列填写申诉）`), rows: lines.map((line) => appealScoresheetRow(line)) },
        noticeSheet(noticeInput),
      ];
      const header: SignatureHeader = {
        version: 1,
        exportId,
        runId: run.id,
        periodCode: period.code,
        uscc: company.uscc,
        revision: current.revision,
        issuedAt: now.toISOString(),
      };
      const cells = signedCellsOfSheets(sheets);
      const signature = signSheet(secret, header, cells);
      await this.appeals.insertExport(unit, {
        id: exportId,
        runId: run.id,
        companyId: company.id,
        revision: current.revision,
        issuedAt: now,
        issuedBy: request.actor,
        signature,
        cells,
      });
      await this.appeals.audit(unit, {
        at: now,
        actor: request.actor,
        action: 'appeal_sheet.exported',
        companyId: company.id,
        runId: run.id,
        subject: `appeal_sheet:${exportId}`,
        details: {
          revision: current.revision,
          lines: lines.length,
          summaryZh: `导出申诉评分表 #${exportId}（${period.code}，${current.revision === 0 ? '发布版' : `第 ${current.revision} 版`}，${lines.length} 行，申诉期限 ${dates.appealDeadline}）`,
        },
      });
      await writeWorkbook(path, [...sheets, signatureSheet(header, signature)], now);
      this.logger.log(`appeal sheet ${exportId} for ${company.uscc} ${period.code}: ${path}`);
      return {
        path,
        exportId,
        runId: run.id,
        period: period.code,
        uscc: company.uscc,
        revision: current.revision,
        appealDeadline: dates.appealDeadline,
        lines: lines.length,
      };
    });
  }

  /** The 告知单 as its own workbook. */
  async noticeWorkbook(request: { period: string; uscc: string }, scope: AccessScope): Promise<{ path: string; findings: number }> {
    if (scope.kind === 'street') throw outOfScope(scope, 'a notice', `企业 ${request.uscc} 的告知单`);
    await this.access.assertCompany(scope, request.uscc);
    const { period, run, company, current, dates, lines } = await this.subject(request.period, request.uscc);
    const sheet = noticeSheet({ company, period, runId: run.id, revision: current.revision, ...dates, lines });
    const path = join(this.config.reportsDir, period.code, 'appeals', `notice-${period.code}-${company.uscc}.xlsx`);
    await writeWorkbook(path, [sheet], this.clock.now());
    return { path, findings: sheet.findings };
  }

  /**
   * Takes an uploaded appeal sheet. Refused whole, with every reason, when: the signature does
   * not verify (each changed cell named), it is another company's or period's, the run was
   * superseded or the result revised since, the window is closed, or a line lacks a reason or
   * has an unreadable claim. Otherwise each filled line becomes an appeal line `submitted`.
   */
  async importSheet(request: ImportRequest, scope: AccessScope): Promise<ImportedAppeal> {
    if (scope.kind === 'street') throw outOfScope(scope, 'an appeal', '申诉提交');
    if (scope.kind === 'company') {
      // a company submits only its own sheet
      if (request.expectCompany !== undefined && request.expectCompany !== scope.uscc)
        throw outOfScope(scope, `company ${request.expectCompany}`, `企业 ${request.expectCompany} `);
      request = { ...request, expectCompany: scope.uscc };
    }
    const file = await openAppealWorkbook(request.path);
    try {
      return await this.importOpenedSheet(file, request);
    } finally {
      file.close();
    }
  }

  private async importOpenedSheet(file: AppealWorkbookFile, request: ImportRequest): Promise<ImportedAppeal> {
    const fileName = file.fileName;
    const header = file.signature;
    // Whose sheet it is comes first, before anything of the file or of an export is compared: a
    // refusal must not show what another company's sheet holds. The sheet's own header decides it
    // (no lookup, so the answer tells nothing about exports of others) ...
    if (request.expectCompany !== undefined && request.expectCompany !== header.uscc) {
      throw new DomainError(
        'APPEAL_SHEET_FOREIGN',
        `${fileName} is not a sheet of ${request.expectCompany}`,
        `文件 ${fileName} 不是企业 ${request.expectCompany} 的申诉评分表（或其签名页已被改动），未受理：请下载本企业的申诉评分表，只在黄色的申诉列填写`,
      );
    }
    // ... then the export it names must be that company's, of that run and revision
    const exported = await this.appeals.findExport(header.exportId);
    const company = exported ? await this.appeals.companyById(exported.companyId) : undefined;
    if (!exported || !company || exported.runId !== header.runId || exported.revision !== header.revision || company.uscc !== header.uscc) {
      throw badInput(
        'APPEAL_SHEET_SIGNATURE_INVALID',
        `${fileName}: unknown or altered sheet`,
        `文件 ${fileName} 不是本系统导出的申诉评分表，或其签名页已被改动，请重新下载`,
      );
    }
    const workbook = await file.readContent(contentBudget(exported.cells), new Set(exported.cells.map((c) => c.sheet)));
    const secret = await this.secret();
    if (!verifySheet(secret, header, workbook.cells, header.signature)) {
      const changes = diffCells(exported.cells, workbook.cells);
      if (changes.length === 0) {
        throw badInput(
          'APPEAL_SHEET_SIGNATURE_INVALID',
          `${fileName}: signature does not verify`,
          `文件 ${fileName} 的签名校验未通过（签名页被改动或不是本系统签发），请重新下载申诉评分表`,
        );
      }
      const headerOf = columnHeaders(exported.cells);
      throw badInput(
        'APPEAL_SHEET_MODIFIED',
        `${fileName}: ${changes.length} cell(s) outside the appeal columns were changed`,
        `文件 ${fileName} 中申诉列以外的 ${changes.length} 个单元格被改动，申诉未受理；请在新下载的评分表中只填写黄色的申诉列`,
        changes.slice(0, 200).map((c) => {
          const column = headerOf.get(`${c.sheet}!${c.address.replace(/\d+$/, '')}`);
          return `工作表 ${c.sheet} 单元格 ${c.address}${column ? `（${column}）` : ''}：原为 ${quoted(c.expected)}，现为 ${quoted(c.actual)}`;
        }),
      );
    }
    const run = await this.appeals.run(header.runId);
    if (!run) throw badInput('APPEAL_SHEET_SIGNATURE_INVALID', `${fileName}: unknown run`, `文件 ${fileName} 所属的考核运行不存在`);
    if (request.expectPeriod !== undefined && request.expectPeriod !== run.periodCode) {
      throw badInput(
        'APPEAL_SHEET_WRONG_PERIOD',
        `${fileName} is the sheet of ${run.periodCode}, not ${request.expectPeriod}`,
        `文件 ${fileName} 是 ${run.periodCode} 考核周期的评分表，不是 ${request.expectPeriod} 的`,
      );
    }
    if (run.status !== 'published') {
      throw new DomainError(
        'APPEAL_RUN_NOT_CURRENT',
        `run ${run.id} was superseded`,
        `文件 ${fileName} 对应的考核运行 #${run.id} 已被重新发布的结果替代，请下载新的评分表`,
      );
    }
    const final = await this.appeals.finalOf(run.id, company.id);
    if (final)
      throw new DomainError(
        'APPEAL_RESULT_FINAL',
        `the result of ${company.uscc} for ${run.periodCode} is final`,
        `企业 ${company.uscc} ${run.periodCode} 的考核结果已于 ${localDate(final.finalizedAt, this.config.timeZone)} 成为最终结果，不再受理申诉`,
      );

    const { current, dates, lines } = await this.subject(run.periodCode, company.uscc);
    if (current.revision !== header.revision) {
      throw new DomainError(
        'APPEAL_SHEET_OUTDATED',
        `${fileName} shows revision ${header.revision}; the result is at revision ${current.revision}`,
        `文件 ${fileName} 是第 ${header.revision} 版结果的评分表，结果已修订为第 ${current.revision} 版，请重新下载后再申诉`,
      );
    }
    if (workbook.lines.length === 0)
      throw badInput('APPEAL_SHEET_EMPTY', `${fileName}: no appeal line filled`, `文件 ${fileName} 没有填写任何申诉行（申诉主张值、申诉理由、证据材料）`);

    const now = this.clock.now();
    const terms = appealTerms(dates.ruleSet.manifest.parameters, this.config);
    const windowClosed = isPast(dates.appealDeadline, now, this.config.timeZone);
    const byId = new Map(lines.map((l) => [l.lineId, l]));
    const projectIds = await this.appeals.projectIdsByCode(company.id);
    const latest = await this.appeals.latestLines(run.id, company.id);
    const faults: Fault[] = [];
    const accepted: {
      sheetLine: AppealWorkbookContent['lines'][number];
      line: IndicatorLine;
      value: FactValue | null;
      previous: AppealLineRow | undefined;
      round: number;
    }[] = [];
    for (const sheetLine of workbook.lines) {
      const fault = (field: string, code: string, message: string) =>
        faults.push({
          record: `文件 ${fileName} / 工作表 评分明细 / 第 ${sheetLine.row} 行`,
          origin: { file: fileName, sheet: '评分明细', row: sheetLine.row },
          field,
          code,
          message,
        });
      const line = byId.get(sheetLine.lineId);
      if (!line) {
        fault('行号', 'APPEAL_LINE_UNKNOWN', `行号 ${sheetLine.lineId} 不在本评分表中`);
        continue;
      }
      if (sheetLine.reason === null || sheetLine.reason.trim() === '') {
        fault('申诉理由', 'APPEAL_REASON_MISSING', '申诉须写明理由');
        continue;
      }
      if (line.mainFact === null) {
        fault('申诉主张值', 'APPEAL_LINE_NOT_CORRECTABLE', '该行没有可更正的指标值（如本期不参评），请联系所在街道补报数据');
        continue;
      }
      let value: FactValue | null = null;
      if (sheetLine.claimed !== null && sheetLine.claimed !== undefined && claimText(sheetLine.claimed).trim() !== '') {
        const parsed = parseClaimedValue(line.mainFact, sheetLine.claimed);
        if (!parsed.ok) {
          fault('申诉主张值', parsed.code, parsed.message);
          continue;
        }
        value = parsed.value;
        if (raisesEventCount(line.mainFact, line.mainValue, value)) {
          fault('申诉主张值', 'APPEAL_EVENT_CLAIM_INCREASE', EVENT_CLAIM_INCREASE_ZH);
          continue;
        }
      }
      const previous = latest.get(line.lineId);
      // a replacement keeps the round of the line it replaces: answering a rejection once stays once
      let round = previous?.state === 'submitted' ? previous.round : 1;
      if (previous?.state === 'bureau_review') {
        fault('行号', 'APPEAL_LINE_UNDER_REVIEW', `该行的申诉（#${previous.id}）已经街道初审、正待住建局复核，不能替换`);
        continue;
      }
      if (previous?.state === 'accepted') {
        fault('行号', 'APPEAL_LINE_DECIDED', `该行的申诉（#${previous.id}）已认定成立`);
        continue;
      }
      if (previous?.state === 'rejected') {
        if (previous.round >= 2) {
          fault('行号', 'APPEAL_RESUBMISSION_USED', `该行的申诉已被驳回两次（#${previous.id}），不能再次提出`);
          continue;
        }
        const evidence = sheetLine.evidence?.trim() ?? '';
        if (evidence === '' || evidence === (previous.evidence ?? '').trim()) {
          fault('证据材料', 'APPEAL_NEW_EVIDENCE_REQUIRED', `该行的申诉（#${previous.id}）已被驳回，再次申诉须提供新的证据材料`);
          continue;
        }
        const rejection = await this.appeals.lastRejection(previous.id);
        const deadline = answerDeadline(dates.appealDeadline, rejection?.decidedAt ?? now, terms, this.config.timeZone);
        if (isPast(deadline, now, this.config.timeZone)) {
          fault('行号', 'APPEAL_WINDOW_CLOSED', `驳回后再次申诉的期限已于 ${deadline} 届满`);
          continue;
        }
        round = 2;
      } else if (previous?.state === 'submitted' && previous.round === 2 && previous.previousLineId !== null) {
        const rejection = await this.appeals.lastRejection(previous.previousLineId);
        const deadline = answerDeadline(dates.appealDeadline, rejection?.decidedAt ?? now, terms, this.config.timeZone);
        if (isPast(deadline, now, this.config.timeZone)) {
          fault('行号', 'APPEAL_WINDOW_CLOSED', `驳回后再次申诉的期限已于 ${deadline} 届满`);
          continue;
        }
      } else if (windowClosed) {
        fault('行号', 'APPEAL_WINDOW_CLOSED', `申诉期限已于 ${dates.appealDeadline} 届满`);
        continue;
      }
      accepted.push({ sheetLine, line, value, previous, round });
    }
    if (faults.length > 0 && faults.every((f) => f.code === 'APPEAL_WINDOW_CLOSED') && windowClosed) {
      throw new DomainError(
        'APPEAL_WINDOW_CLOSED',
        `the appeal window of ${run.periodCode} closed on ${dates.appealDeadline}`,
        `${run.periodCode} 考核结果于 ${dates.publishedOn} 发布，申诉期限已于 ${dates.appealDeadline} 届满，不再受理申诉`,
      );
    }
    if (faults.length > 0) {
      throw badInput(
        'APPEAL_LINES_INVALID',
        `${fileName}: ${faults.length} appeal line(s) refused; nothing was recorded`,
        `文件 ${fileName} 中有 ${faults.length} 处申诉不能受理，整份申诉未登记`,
        faults.map((f) => `${f.record} · ${f.field}: ${f.message} [${f.code}]`),
      );
    }

    const fileSha256 = await sha256Of(request.path);
    const result = await this.appeals.transaction(async (unit) => {
      const appealId = await this.appeals.insertAppeal(unit, {
        runId: run.id,
        companyId: company.id,
        exportId: exported.id,
        fileName,
        fileSha256,
        submittedBy: request.actor,
        submittedAt: now,
      });
      const recorded: ImportedAppeal['lines'] = [];
      const audit: AuditEntry[] = [];
      for (const { sheetLine, line, value, previous, round } of accepted) {
        let replaced: number | null = null;
        if (previous?.state === 'submitted') {
          // only if nobody reviewed it meanwhile: a decision is never overwritten by a re-submission
          if (!(await this.appeals.replaceIfSubmitted(unit, previous.id))) {
            throw new DomainError(
              'APPEAL_LINE_UNDER_REVIEW',
              `appeal line ${previous.id} was reviewed meanwhile`,
              `行号 ${line.lineId} 的申诉（#${previous.id}）刚刚已被审核，不能替换；请查看审核结果后再提交`,
            );
          }
          replaced = previous.id;
        } else if (previous && (await this.appeals.findLine(previous.id, unit))!.state !== previous.state) {
          throw new DomainError(
            'APPEAL_LINE_UNDER_REVIEW',
            `appeal line ${previous.id} changed meanwhile`,
            `行号 ${line.lineId} 的申诉（#${previous.id}）状态刚刚发生变化，请重新提交`,
          );
        }
        const appealLineId = await this.appeals.insertLine(unit, {
          appealId,
          runId: run.id,
          companyId: company.id,
          lineId: line.lineId,
          sheetRow: sheetLine.row,
          projectId: line.projectCode === null ? null : (projectIds.get(line.projectCode) ?? null),
          section: line.section,
          ruleId: line.rule,
          fact: line.mainFact,
          originalValue: line.mainValue,
          claimedValue: value,
          claimedText: sheetLine.claimed === null || sheetLine.claimed === undefined ? null : claimText(sheetLine.claimed),
          reason: sheetLine.reason!.trim(),
          evidence: sheetLine.evidence?.trim() || null,
          round,
          previousLineId: previous && (previous.state === 'submitted' || previous.state === 'rejected') ? previous.id : null,
          createdAt: now,
        });
        recorded.push({ appealLineId, lineId: line.lineId, row: sheetLine.row, round, replaced });
        audit.push({
          at: now,
          actor: request.actor,
          action: replaced !== null ? 'appeal.replaced' : round === 2 ? 'appeal.resubmitted' : 'appeal.submitted',
          companyId: company.id,
          runId: run.id,
          subject: `appeal_line:${appealLineId}`,
          details: {
            appealId,
            lineId: line.lineId,
            claimed: value,
            reason: sheetLine.reason,
            evidence: sheetLine.evidence,
            summaryZh:
              `${replaced !== null ? `重新提交（替换 #${replaced}）` : round === 2 ? '驳回后再次申诉' : '提交申诉'} #${appealLineId}，行号 ${line.lineId}` +
              `${value !== null ? `，主张值 ${claimText(sheetLine.claimed)}` : ''}：${sheetLine.reason}${sheetLine.evidence ? `（证据：${sheetLine.evidence}）` : ''}；状态：${STATE_LABELS.submitted}`,
          },
        });
      }
      await this.appeals.audit(unit, audit);
      return { appealId, recorded };
    });
    this.logger.log(`appeal ${result.appealId} of ${company.uscc} ${run.periodCode}: ${result.recorded.length} line(s)`);
    return { appealId: result.appealId, runId: run.id, period: run.periodCode, uscc: company.uscc, lines: result.recorded };
  }
}

async function writeWorkbook(path: string, sheets: readonly MaterialSheet[], createdAt: Date): Promise<void> {
  const writer = XlsxReportWriter.open(path, { createdAt });
  try {
    for (const sheet of sheets) await writer.addSheet(sheet.spec, sheet.rows);
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** `sheet!column letter` → the header text in row 2. */
function columnHeaders(cells: readonly SignedCell[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const c of cells) {
    const match = /^([A-Z]+)2$/.exec(c.address);
    if (match) headers.set(`${c.sheet}!${match[1]}`, c.value);
  }
  return headers;
}

/** A claimed value as the sheet showed it (a date as its ISO form). */
function claimText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function quoted(value: string | null): string {
  return value === null ? '（空）' : `“${value.length > 60 ? `${value.slice(0, 59)}…` : value}”`;
}
