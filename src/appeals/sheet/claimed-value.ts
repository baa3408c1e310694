/**
 * The value a company claims for a line's main fact, read from what it typed in the 申诉主张值
 * cell (a number, text, or a boolean, as the spreadsheet app stored it). Pure.
 *
 * How a fact is read depends on its kind (as the rules in rules/default/*.json compare it):
 * - rate (satisfactionRate, feeCollectionRateByHousehold, …: `isRateFact`): a share of 1. A number
 *   up to 1 is taken as it is (0.96; 1 is 100 %), a number above 1 and up to 100 as a percentage
 *   (96 → 0.96); text "96%", "96.5 %", "0.96" or "96" likewise. The result must lie in [0, 1].
 * - boolean (hasPartyBranch, hasCompanyPartyOrg, …: rules compare with true/false): 是/否, 有/无,
 *   TRUE/FALSE, 1/0.
 * - flag (sixHaves*, crossAppointment, partyInstructor, membersShowIdentity: rules compare with
 *   1): 1/0 or 是/否 (有/无, TRUE/FALSE), stored as the number 1 or 0.
 * - count (event counts, honours, months with a joint meeting, households, tickets, …): a whole
 *   number ≥ 0; "3次" is read as 3.
 * - any other number (threePartyMean, complaintsPer100HouseholdsYear, …): a finite number ≥ 0.
 * Full-width characters (９６％) are read as their ASCII forms.
 */
import { EVENT_COUNT_FACTS, FACT_LABELS, isEventCountFact, isRateFact } from '../../assessment/facts.js';
import type { ErrorCode } from '../../domain/error-catalogue.js';

export type ClaimKind = 'rate' | 'boolean' | 'flag' | 'count' | 'number';

const BOOLEAN_FACTS = new Set(['hasCompanyPartyOrg', 'hasPartyBranch', 'smallSample', 'vetoed', 'complaintRateImproved']);
const FLAG_FACTS = new Set(['crossAppointment', 'partyInstructor', 'membersShowIdentity']);
const COUNT_FACTS = new Set<string>([
  ...EVENT_COUNT_FACTS,
  'jointMeetingMonths',
  'periodMonths',
  'feeMonths',
  'households',
  'occupiedHouseholds',
  'surveyRespondents',
  'surveyAnswers',
  'surveyPositiveAnswers',
  'complaintTickets',
  'badRecords',
  'assessedProjects',
  'complaintWorstShareQuarters',
]);

export function claimKind(fact: string): ClaimKind {
  if (isRateFact(fact)) return 'rate';
  if (BOOLEAN_FACTS.has(fact)) return 'boolean';
  if (FLAG_FACTS.has(fact) || fact.startsWith('sixHaves')) return 'flag';
  if (COUNT_FACTS.has(fact)) return 'count';
  return 'number';
}

/** How a claim for the fact is written, for the instructions and messages. */
export function claimHint(fact: string): string {
  switch (claimKind(fact)) {
    case 'rate':
      return '百分比，如 96% 或 0.96';
    case 'boolean':
      return '是 或 否';
    case 'flag':
      return '是 或 否（或 1、0）';
    case 'count':
      return '不小于 0 的整数，如 0、3';
    case 'number':
      return '不小于 0 的数值';
  }
}

/** Why a claimed value was refused: a fault of a sheet line, or the refusal of a review decision's value. */
export type ClaimRefusalCode = Extract<ErrorCode, 'APPEAL_CLAIM_EMPTY' | 'APPEAL_CLAIM_INVALID' | 'APPEAL_CLAIM_OUT_OF_RANGE'>;

export type ClaimedValue = { ok: true; value: number | boolean } | { ok: false; code: ClaimRefusalCode; message: string };

const YES = new Set(['是', '有', 'true', '1', 'y', 'yes', '√']);
const NO = new Set(['否', '无', '没有', 'false', '0', 'n', 'no', '×']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const COUNT_UNITS = /(?:个月|次|个|月|户|件|份|项|处)$/;

/** Reads a claimed value for `fact` from a cell's content. */
export function parseClaimedValue(fact: string, raw: unknown): ClaimedValue {
  const label = FACT_LABELS[fact] ?? fact;
  const kind = claimKind(fact);
  const invalid = (detail: string): ClaimedValue => ({
    ok: false,
    code: 'APPEAL_CLAIM_INVALID',
    message: `主张值“${shown(raw)}”无法识别为${label}${detail}：请填写${claimHint(fact)}`,
  });
  const outOfRange = (detail: string): ClaimedValue => ({
    ok: false,
    code: 'APPEAL_CLAIM_OUT_OF_RANGE',
    message: `主张值“${shown(raw)}”超出${label}的取值范围（${detail}）`,
  });

  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
    return { ok: false, code: 'APPEAL_CLAIM_EMPTY', message: `未填写主张值：请填写${claimHint(fact)}` };
  }
  if (typeof raw !== 'number' && typeof raw !== 'string' && typeof raw !== 'boolean') return invalid('');
  const text = typeof raw === 'string' ? raw.normalize('NFKC').trim().replace(/\s+/g, ' ') : null;

  if (kind === 'boolean' || kind === 'flag') {
    const word = typeof raw === 'boolean' ? String(raw) : typeof raw === 'number' ? String(raw) : text!.toLowerCase();
    const yes = YES.has(word);
    if (!yes && !NO.has(word)) return invalid('');
    return { ok: true, value: kind === 'boolean' ? yes : yes ? 1 : 0 };
  }
  if (typeof raw === 'boolean') return invalid('');

  if (kind === 'rate') {
    let value: number;
    if (typeof raw === 'number') {
      value = raw;
      if (!Number.isFinite(value)) return invalid('');
      if (value > 1) value /= 100;
    } else {
      const percent = /^(.*?)\s*%$/.exec(text!);
      const digits = (percent ? percent[1] : text!).replace(/\s/g, '');
      if (!NUMBER.test(digits)) return invalid('');
      value = Number(digits);
      if (percent || value > 1) value /= 100;
    }
    value = Number(value.toPrecision(12)) + 0;
    if (value < 0 || value > 1) return outOfRange('0% 至 100%');
    return { ok: true, value };
  }

  let value: number;
  if (typeof raw === 'number') {
    value = raw;
  } else {
    const digits = (kind === 'count' ? text!.replace(COUNT_UNITS, '') : text!).replace(/\s/g, '');
    if (!NUMBER.test(digits)) return invalid('');
    value = Number(digits);
  }
  if (!Number.isFinite(value)) return invalid('');
  if (value < 0) return outOfRange('不能小于 0');
  if (kind === 'count') {
    const whole = Math.round(value);
    if (Math.abs(value - whole) > 1e-9) return invalid('（须为整数）');
    return { ok: true, value: whole + 0 };
  }
  return { ok: true, value: Number(value.toPrecision(12)) + 0 };
}

function shown(raw: unknown): string {
  const text = raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * An appeal may lower an event count (an event annulled), never raise it: a new event (an honour,
 * a certification) needs its own record and evidence, entered as an event and assessed again.
 */
export function raisesEventCount(fact: string | null, original: unknown, claimed: unknown): boolean {
  return fact !== null && isEventCountFact(fact) && typeof original === 'number' && typeof claimed === 'number' && claimed > original;
}

export const EVENT_CLAIM_INCREASE_ZH =
  '申诉只能更正已登记事件的次数（减少）；新增加分事项（荣誉、认证、示范点等）须作为事件连同证据登记（redprop template events）后重新考核';
