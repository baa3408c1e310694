import { userInfo } from 'node:os';
import { EVERYTHING } from '../../domain/access.js';
import { InvalidArgumentError, type Command } from 'commander';
import { AppealSheetService } from '../../appeals/appeal-sheet.service.js';
import { AppealsService, STATE_LABELS } from '../../appeals/appeals.service.js';
import type { AppealLineState } from '../../appeals/appeals.repository.js';
import { CreditRepairService, REPAIR_STATE_LABELS } from '../../appeals/credit-repair.service.js';
import { runInApp } from '../cli-context.js';
import { formatDecision } from '../cli-format.js';
import { globalOptions, wholeNumber } from '../cli-options.js';

const APPEAL_STATES: AppealLineState[] = ['submitted', 'bureau_review', 'accepted', 'rejected', 'replaced'];

function defaultActor(): string {
  return `cli:${userInfo().username}`;
}

/** appeal:export, appeal:import, appeal:list, appeal:decide, appeal:close, appeal:history, appeal:notice, repair:apply, repair:decide, repair:list */
export function registerAppealCommands(program: Command): void {
  program
    .command('appeal:export')
    .description("write a company's appeal sheet for a published period: score sheet with appeal columns, notice (告知单), signed and protected")
    .requiredOption('--period <period>', 'e.g. 2025')
    .requiredOption('--company <uscc>', '统一社会信用代码')
    .option('--by <name>', 'who exports it (recorded)', defaultActor())
    .action((options: { period: string; company: string; by: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const sheet = await app.get(AppealSheetService).exportSheet({ period: options.period, uscc: options.company, actor: options.by }, EVERYTHING);
        console.log(`申诉评分表 #${sheet.exportId}：${sheet.path}`);
        console.log(
          `  考核运行 #${sheet.runId}，${sheet.revision === 0 ? '发布版' : `第 ${sheet.revision} 版`}，${sheet.lines} 行；申诉期限 ${sheet.appealDeadline}`,
        );
      }),
    );

  program
    .command('appeal:import')
    .description('take an appeal sheet filled by a company: signature checked, deadline checked, each filled line recorded as submitted')
    .argument('<file>', 'the .xlsx file as the company sent it back')
    .option('--company <uscc>', 'refuse the sheet unless it is this company’s')
    .option('--period <period>', 'refuse the sheet unless it is of this period')
    .option('--by <name>', 'who submits it (recorded)', defaultActor())
    .action((file: string, options: { company?: string; period?: string; by: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const appeal = await app
          .get(AppealSheetService)
          .importSheet({ path: file, actor: options.by, expectCompany: options.company, expectPeriod: options.period }, EVERYTHING);
        console.log(`申诉 #${appeal.appealId}（${appeal.uscc}，${appeal.period}）已登记 ${appeal.lines.length} 行：`);
        for (const l of appeal.lines) {
          console.log(
            `  #${l.appealLineId}  第 ${l.row} 行  ${l.lineId}${l.round === 2 ? '  （驳回后再次申诉）' : ''}${l.replaced !== null ? `  （替换 #${l.replaced}）` : ''}`,
          );
        }
      }),
    );

  program
    .command('appeal:list')
    .description('appeal lines with their state and decisions')
    .option('--company <uscc>', 'one company')
    .option('--period <period>', 'one period')
    .option('--state <state...>', `states: ${APPEAL_STATES.join(', ')}`)
    .action((options: { company?: string; period?: string; state?: string[] }) =>
      runInApp(globalOptions(program), async (app) => {
        for (const s of options.state ?? [])
          if (!APPEAL_STATES.includes(s as AppealLineState)) throw new InvalidArgumentError(`unknown state ${s} (${APPEAL_STATES.join(', ')})`);
        const rows = await app
          .get(AppealsService)
          .listLines({ uscc: options.company, period: options.period, states: options.state as AppealLineState[] | undefined }, EVERYTHING);
        if (rows.length === 0) console.log('（没有申诉行）');
        for (const { line, uscc, companyName, periodCode, decisions } of rows) {
          console.log(
            `#${line.id}  ${periodCode}  ${companyName}（${uscc}）  ${line.lineId}  ${STATE_LABELS[line.state]}${line.round === 2 ? '  第 2 轮' : ''}`,
          );
          console.log(`     主张值 ${line.claimedText ?? '（未填）'}；理由：${line.reason}${line.evidence ? `；证据：${line.evidence}` : ''}`);
          for (const d of decisions) {
            console.log(
              `     ${d.decidedAt.toISOString()}  ${d.level === 'street' ? '街道初审' : '住建局复核'}${d.outcome === 'accept' ? '同意' : '不同意'}（${d.reviewer}）：${d.reason}`,
            );
          }
        }
      }),
    );

  program
    .command('appeal:decide')
    .description('decide an appeal line at its level: street review (submitted lines), then bureau review; a written reason is required')
    .argument('<appealLineId>', 'the appeal line number (#, see appeal:list)', wholeNumber)
    .option('--accept', 'accept the line (street: forward to the bureau; bureau: the fact is corrected and the result revised)')
    .option('--reject', 'reject the line')
    .requiredOption('--reason <text>', 'the written reason')
    .option('--level <level>', 'street or bureau: refuse if the line awaits the other level')
    .option('--value <value>', 'bureau only: the corrected value when it differs from the claim')
    .option('--reviewer <name>', 'who decides (recorded)', defaultActor())
    .action((appealLineId: number, options: { accept?: boolean; reject?: boolean; reason: string; level?: string; value?: string; reviewer: string }) =>
      runInApp(globalOptions(program), async (app) => {
        if (Boolean(options.accept) === Boolean(options.reject)) throw new InvalidArgumentError('give exactly one of --accept and --reject');
        if (options.level !== undefined && options.level !== 'street' && options.level !== 'bureau')
          throw new InvalidArgumentError('--level must be street or bureau');
        const report = await app.get(AppealsService).decide(
          {
            appealLineId,
            outcome: options.accept ? 'accept' : 'reject',
            reason: options.reason,
            reviewer: options.reviewer,
            level: options.level,
            value: options.value,
          },
          EVERYTHING,
        );
        console.log(formatDecision(report));
      }),
    );

  program
    .command('appeal:close')
    .description('close the appeal windows that have passed: results with no open appeal become final (also run daily by the scheduler)')
    .option('--by <name>', 'recorded as the actor', defaultActor())
    .action((options: { by: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const closed = await app.get(AppealsService).closeWindows(options.by);
        if (closed.length === 0) console.log('没有需要结案的申诉期');
        for (const c of closed)
          console.log(`${c.period}（考核运行 #${c.runId}，申诉期限 ${c.deadline}）：${c.finalised} 家企业结果成为最终结果，${c.waiting} 家仍有未结申诉`);
      }),
    );

  program
    .command('appeal:history')
    .description("a company's appeals, decisions, corrections, revisions, finality and credit repair, in order, with who and when")
    .requiredOption('--company <uscc>', '统一社会信用代码')
    .action((options: { company: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const { company, entries } = await app.get(AppealsService).history(options.company, EVERYTHING);
        console.log(`${company.name}（${company.uscc}）申诉与信用修复记录，共 ${entries.length} 条`);
        for (const e of entries) {
          const summary = typeof e.details.summaryZh === 'string' ? e.details.summaryZh : JSON.stringify(e.details);
          console.log(`${e.at.toISOString()}  ${e.actor}  ${e.action}  ${summary}`);
        }
      }),
    );

  program
    .command('appeal:notice')
    .description('write the notice (告知单) of a company for a published period as its own workbook')
    .requiredOption('--period <period>', 'e.g. 2025')
    .requiredOption('--company <uscc>', '统一社会信用代码')
    .action((options: { period: string; company: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const notice = await app.get(AppealSheetService).noticeWorkbook({ period: options.period, uscc: options.company }, EVERYTHING);
        console.log(`告知单：${notice.path}（${notice.findings} 行）`);
      }),
    );

  program
    .command('repair:apply')
    .description('apply for credit repair (信用修复) of a black-list entry after its minimum duration, with rectification and evidence')
    .requiredOption('--company <uscc>', '统一社会信用代码')
    .option('--entry <id>', 'the black-list entry (needed when the company has several)', wholeNumber)
    .requiredOption('--rectification <text>', 'what was rectified')
    .requiredOption('--evidence <text>', 'rectification evidence: file names or links')
    .option('--by <name>', 'who applies (recorded)', defaultActor())
    .action((options: { company: string; entry?: number; rectification: string; evidence: string; by: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const r = await app
          .get(CreditRepairService)
          .apply(
            { uscc: options.company, entryId: options.entry, rectification: options.rectification, evidence: options.evidence, applicant: options.by },
            EVERYTHING,
          );
        console.log(`信用修复申请 #${r.repairId}（黑榜记录 #${r.entryId}）已登记，待住建局决定`);
      }),
    );

  program
    .command('repair:decide')
    .description('decide a credit repair application: --approve ends the black-list entry early, --refuse keeps it')
    .argument('<repairId>', 'the application number', wholeNumber)
    .option('--approve', 'approve')
    .option('--refuse', 'refuse')
    .requiredOption('--reason <text>', 'the written reason')
    .option('--reviewer <name>', 'who decides (recorded)', defaultActor())
    .action((repairId: number, options: { approve?: boolean; refuse?: boolean; reason: string; reviewer: string }) =>
      runInApp(globalOptions(program), async (app) => {
        if (Boolean(options.approve) === Boolean(options.refuse)) throw new InvalidArgumentError('give exactly one of --approve and --refuse');
        const r = await app
          .get(CreditRepairService)
          .decide({ repairId, approve: Boolean(options.approve), reason: options.reason, reviewer: options.reviewer }, EVERYTHING);
        console.log(`信用修复申请 #${r.repairId}：${REPAIR_STATE_LABELS[r.state]}${r.state === 'approved' ? `，黑榜记录 #${r.entryId} 已提前移出` : ''}`);
      }),
    );

  program
    .command('repair:list')
    .description('credit repair applications')
    .option('--company <uscc>', 'one company')
    .action((options: { company?: string }) =>
      runInApp(globalOptions(program), async (app) => {
        const rows = await app.get(CreditRepairService).list(options.company, EVERYTHING);
        if (rows.length === 0) console.log('（没有信用修复申请）');
        for (const { repair, uscc, companyName } of rows) {
          console.log(
            `#${repair.id}  ${companyName}（${uscc}）  黑榜记录 #${repair.entryId}  ${REPAIR_STATE_LABELS[repair.state]}  申请 ${repair.appliedAt.toISOString()}`,
          );
          console.log(
            `     整改：${repair.rectification}；证据：${repair.evidence}${repair.decisionReason ? `；决定理由：${repair.decisionReason}（${repair.decidedBy}）` : ''}`,
          );
        }
      }),
    );
}
