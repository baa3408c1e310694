import { note } from '../assessment/notes.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AccessScope } from '../domain/access.js';
import { AccessService, outOfScope } from '../access/access.service.js';
import { AssessmentRepository } from '../assessment/assessment.repository.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CLOCK, localDate, type Clock } from '../domain/clock.js';
import { DomainError, badInput, companyUnknown } from '../domain/errors.js';
import { AppealsRepository } from './appeals.repository.js';

export interface RepairApplication {
  uscc: string;
  /** the black-list entry; may be left out when the company has exactly one open */
  entryId?: number;
  rectification: string;
  evidence: string;
  applicant: string;
}

export interface RepairDecision {
  repairId: number;
  approve: boolean;
  reason: string;
  reviewer: string;
}

export const REPAIR_STATE_LABELS = { applied: '已申请，待住建局决定', approved: '准予修复', refused: '不予修复' } as const;

/**
 * 信用修复: a black-listed company applies, after its entry's minimum duration, with its
 * rectification and evidence; the bureau decides. Approval ends the entry early (a transition,
 * cause credit_repair); refusal keeps it.
 */
@Injectable()
export class CreditRepairService {
  private readonly logger = new Logger(CreditRepairService.name);

  constructor(
    private readonly appeals: AppealsRepository,
    private readonly runs: AssessmentRepository,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async apply(application: RepairApplication, scope: AccessScope): Promise<{ repairId: number; entryId: number }> {
    if (scope.kind === 'street') throw outOfScope(scope, 'a credit repair application', '信用修复申请');
    await this.access.assertCompany(scope, application.uscc);
    const rectification = application.rectification.trim();
    const evidence = application.evidence.trim();
    if (rectification === '')
      throw badInput('CREDIT_REPAIR_RECTIFICATION_REQUIRED', 'rectification is required', '信用修复申请须说明整改情况（--rectification）');
    if (evidence === '')
      throw badInput('CREDIT_REPAIR_EVIDENCE_REQUIRED', 'rectification evidence is required', '信用修复申请须附整改证据（--evidence：文件名或链接）');
    const company = await this.appeals.companyByUscc(application.uscc);
    if (!company) throw companyUnknown(application.uscc);
    const now = this.clock.now();
    const today = localDate(now, this.config.timeZone);
    const result = await this.appeals.transaction(async (unit) => {
      const black = (await this.runs.openListEntriesOf(unit, company.id)).filter((e) => e.list === 'black');
      if (black.length === 0)
        throw new DomainError('CREDIT_REPAIR_NOT_LISTED', `${company.uscc} is not on the black list`, `企业 ${company.uscc} 目前不在黑榜上，无需信用修复`);
      let entry = black.find((e) => e.entryId === application.entryId);
      if (application.entryId === undefined) {
        if (black.length > 1) {
          throw badInput(
            'CREDIT_REPAIR_ENTRY_REQUIRED',
            'several black-list entries are open',
            `企业 ${company.uscc} 有 ${black.length} 条黑榜记录（${black.map((e) => `#${e.entryId}`).join('、')}），请用 --entry 指定`,
          );
        }
        entry = black[0];
      }
      if (!entry)
        throw new DomainError(
          'CREDIT_REPAIR_ENTRY_UNKNOWN',
          `no open black-list entry ${application.entryId} of ${company.uscc}`,
          `企业 ${company.uscc} 没有在榜的黑榜记录 #${application.entryId}`,
        );
      if (today < entry.minEndOn) {
        throw new DomainError(
          'CREDIT_REPAIR_TOO_EARLY',
          `entry ${entry.entryId} may not end before ${entry.minEndOn}`,
          `黑榜记录 #${entry.entryId} 自 ${entry.startedOn} 起列入，最短期限至 ${entry.minEndOn}，期满后方可申请信用修复`,
        );
      }
      if (await this.appeals.openRepairOf(entry.entryId, unit)) {
        throw new DomainError(
          'CREDIT_REPAIR_PENDING',
          `entry ${entry.entryId} has an application pending`,
          `黑榜记录 #${entry.entryId} 已有待决定的信用修复申请`,
        );
      }
      const repairId = await this.appeals.insertRepair(unit, {
        entryId: entry.entryId,
        companyId: company.id,
        rectification,
        evidence,
        applicant: application.applicant,
        appliedAt: now,
      });
      await this.appeals.audit(unit, {
        at: now,
        actor: application.applicant,
        action: 'credit_repair.applied',
        companyId: company.id,
        runId: null,
        subject: `credit_repair:${repairId}`,
        details: {
          entryId: entry.entryId,
          rectification,
          evidence,
          summaryZh: `申请信用修复 #${repairId}（黑榜记录 #${entry.entryId}）：${rectification}；证据：${evidence}`,
        },
      });
      return { repairId, entryId: entry.entryId };
    });
    this.logger.log(`credit repair ${result.repairId} applied for entry ${result.entryId}`);
    return result;
  }

  /** The bureau decides. */
  async decide(decision: RepairDecision, scope: AccessScope): Promise<{ repairId: number; state: 'approved' | 'refused'; entryId: number }> {
    if (scope.kind !== 'all') throw outOfScope(scope, 'a credit repair decision', '信用修复决定');
    const reason = decision.reason.trim();
    if (reason === '') throw badInput('CREDIT_REPAIR_REASON_REQUIRED', 'a decision needs a written reason', '信用修复决定须写明理由（--reason）');
    const now = this.clock.now();
    return this.appeals.transaction(async (unit) => {
      const repair = await this.appeals.findRepair(decision.repairId, unit);
      if (!repair)
        throw new DomainError('CREDIT_REPAIR_NOT_FOUND', `credit repair ${decision.repairId} not found`, `信用修复申请 #${decision.repairId} 不存在`);
      if (repair.state !== 'applied') {
        throw new DomainError(
          'CREDIT_REPAIR_DECIDED',
          `credit repair ${repair.id} is ${repair.state}`,
          `信用修复申请 #${repair.id} 已决定（${REPAIR_STATE_LABELS[repair.state]}）`,
        );
      }
      const open = (await this.runs.openListEntriesOf(unit, repair.companyId)).find((e) => e.entryId === repair.entryId);
      const state = decision.approve ? 'approved' : 'refused';
      if (decision.approve) {
        if (!open)
          throw new DomainError(
            'CREDIT_REPAIR_ENTRY_CLOSED',
            `entry ${repair.entryId} is no longer open`,
            `黑榜记录 #${repair.entryId} 已不在榜，无需修复；请以不予修复结案`,
          );
        await this.runs.recordListTransitions(
          unit,
          null,
          [
            {
              kind: 'exited',
              entryId: open.entryId,
              companyId: open.companyId,
              list: 'black',
              on: localDate(now, this.config.timeZone),
              note: note('list.repaired', { repairId: repair.id, reason }),
            },
          ],
          'credit_repair',
        );
      }
      await this.appeals.decideRepair(unit, repair.id, { state, decidedBy: decision.reviewer, decisionReason: reason, decidedAt: now });
      await this.appeals.audit(unit, {
        at: now,
        actor: decision.reviewer,
        action: `credit_repair.${state}`,
        companyId: repair.companyId,
        runId: null,
        subject: `credit_repair:${repair.id}`,
        details: {
          entryId: repair.entryId,
          reason,
          summaryZh: `信用修复申请 #${repair.id}${decision.approve ? '准予修复，黑榜记录提前移出' : '不予修复，黑榜记录保持'}：${reason}`,
        },
      });
      return { repairId: repair.id, state, entryId: repair.entryId };
    });
  }

  /** Applications of companies in scope. */
  async list(uscc: string | undefined, scope: AccessScope) {
    let companyId: number | undefined;
    if (uscc !== undefined) {
      await this.access.assertCompany(scope, uscc);
      const company = await this.appeals.companyByUscc(uscc);
      if (!company) throw companyUnknown(uscc);
      companyId = company.id;
    }
    return this.appeals.repairsOf(scope, companyId);
  }
}
