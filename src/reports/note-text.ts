/**
 * The one renderer of the core's notes: a note code and its parameters → the Chinese sentence
 * the workbooks, the explanation, the 告知单 and the API show. Nothing stored is ever this text.
 * Pure.
 */
import { FACT_LABELS, isRateFact } from '../assessment/facts.js';
import type { Note, NoteChange, NoteCode, NoteParamsByCode } from '../assessment/notes.js';
import type { FactValue } from '../rules/rule-json.js';
import { formatFact, formatPercent } from './fact-text.js';

type NoteTexts = { [C in NoteCode]: (params: NoteParamsByCode[C]) => string };

const label = (fact: string) => FACT_LABELS[fact] ?? fact;

const sampleSize = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** A corrected value in words: rates as percentages with at least two decimals (82.00%). */
export function correctionValueText(fact: string, value: FactValue): string {
  if (typeof value === 'number' && isRateFact(fact)) {
    const percent = String(Number((value * 100).toFixed(4)));
    const decimals = percent.split('.')[1]?.length ?? 0;
    return `${decimals <= 2 ? Number(percent).toFixed(2) : percent}%`;
  }
  return formatFact(fact, value);
}

/**
 * A revision's change. The company's note names no project (a street office reads the company's
 * result, not its projects in other streets): a project's correction is told there without its code
 * or 行号, which the project's own note gives.
 */
function changeText(c: NoteChange, subject: 'project' | 'company'): string {
  const change = `“${label(c.fact)}”由 ${correctionValueText(c.fact, c.from)} 更正为 ${correctionValueText(c.fact, c.to)}`;
  if (c.level === 'project' && subject === 'company') return `申诉成立，所属项目${change}（详见该项目说明）`;
  return `申诉成立（行号 ${c.line ?? ''}），${c.level === 'company' && subject === 'project' ? '企业' : ''}${change}`;
}

const causePrefix = (cause: Note | null) => (cause ? `${noteText(cause)}，` : '');

/** The catalogue: one sentence per code (a spec checks that every code has one and every one a code). */
export const NOTE_TEXTS: NoteTexts = {
  'project.notAssessed': () => '考核期内无满意度调查和物业费收缴数据，本期不参评（不计为 0 分，不计入企业加权平均）',
  'project.smallSample': (p) =>
    `有效问卷 ${p.respondents} 份，少于最低样本量 ${sampleSize(p.minimumSample)} 份，` +
    `满意率按威尔逊下限（z = ${p.wilsonZ}）${formatPercent(p.wilsonBound)} 计分，原始满意率为 ${formatPercent(p.rawRate)}`,
  'project.noSurvey': () => '考核期内无满意度调查数据，满意度不得分',
  'project.noFees': () => '考核期内无物业费收缴数据，收缴率不得分',
  'correction.applied': (p) => `申诉更正（行号 ${p.line}）：${p.fact} 由 ${String(p.from)} 更正为 ${String(p.to)}`,
  'veto.noStars': (p) => `一票否决（${p.reasons.join('、')}），不评星`,
  'veto.companyNoStars': (p) => `企业一票否决（${p.reason}），不评星`,
  'company.projectsNotAssessed': (p) => `${p.count} 个项目本期不参评，未计入加权平均`,
  'company.noGradeRule': () => '没有信用等级规则适用于该得分，请检查规则集',
  'company.noAssessedProjects': () => '无参评项目，本期不评定信用等级',
  'company.vetoGrade': (p) => `${p.unscored ? '无参评项目，但' : ''}一票否决（${p.reasons.join('、')}），信用等级为 ${p.grade}`,
  'line.partCapped': (p) => `本项各条合计 ${p.sum} 分，按满分 ${p.max} 分封顶`,
  'line.bonusCapped': (p) => `${p.company ? '企业' : ''}加分合计 ${p.raw} 分，按上限计 ${p.capped} 分`,
  'line.noBand': () => '未达到任何得分档次',
  'cause.republication': (p) => `重新发布（考核运行 #${p.runId} 替代 #${p.previousRunId}）`,
  'cause.appealAccepted': (p) => `申诉成立（appeal accepted；申诉行 #${p.appealLineId}）`,
  'list.entered': (p) => p.reasons.join('；') + (p.cause ? `（${noteText(p.cause)}）` : ''),
  'list.held': (p) => `${causePrefix(p.cause)}仍符合列入条件（${p.rule}）`,
  'list.cleared': (p) =>
    `${causePrefix(p.cause)}本期不再符合列入条件（第 ${p.streak} 期），` +
    (p.minEndOn !== null ? `未满最短期限（${p.minEndOn}）` : `须连续 ${p.exitAfterPeriods} 期不再符合条件`),
  'list.exited': (p) => `${causePrefix(p.cause)}连续 ${p.streak} 期不再符合列入条件且已满最短期限，移出`,
  'list.expired': () => '达到最长期限，自动移出',
  'list.withdrawn': (p) => `${noteText(p.cause)}，撤销本期列入`,
  'list.repaired': (p) => `信用修复（credit repair）准予，提前移出：${p.reason}（申请 #${p.repairId}）`,
  'ledger.event': (p) => `${p.eventNo}（${p.projectCode ? `项目 ${p.projectCode}` : '企业'}，${p.occurredOn}，${p.source}）：${p.description}。依据：${p.clause}`,
  'ledger.reversal': (p) => `冲销第 ${p.entryId} 号记录：${noteText(p.cause)}`,
  revision: (p) => `第 ${p.revision} 次修订：${p.changes.map((c) => changeText(c, p.subject)).join('；')}`,
  legacyText: (p) => p.text,
};

/** A note in Chinese. A stored sentence (outcomes of redprop-scoring/2) is shown as it is. */
export function noteText(note: Note | string): string {
  if (typeof note === 'string') return note;
  const text = NOTE_TEXTS[note.code] as (params: unknown) => string;
  return text(note.params);
}

/** Notes in Chinese, joined (by default one per line). */
export function notesText(notes: readonly (Note | string)[], separator = '\n'): string {
  return notes.map(noteText).join(separator);
}
