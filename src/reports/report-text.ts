/** Chinese wording shared by the report sheets. Pure. */
import { FACT_LABELS } from '../assessment/facts.js';
import { formatFact } from '../assessment/explain.js';
import { isRateFact } from '../assessment/facts.js';
import type { FactValue } from '../rules/rule-json.js';
import type { Period } from '../domain/period.js';
import type { ListName, ListSeverity } from '../rules/rule-set.js';
import type { CellFormat } from './sheet-model.js';

export const LIST_LABELS: Record<ListName, string> = { red: '红榜', black: '黑榜' };
export const SEVERITY_LABELS: Record<ListSeverity, string> = { general: '一般', serious: '严重', safety: '安全类' };
export const TRANSITION_LABELS: Record<string, string> = {
  entered: '列入',
  held: '继续符合条件',
  cleared: '条件不再满足',
  exited: '移出',
  expired: '期满移出',
};
export const RUN_STATUS_LABELS: Record<string, string> = { draft: '草稿', published: '已发布', superseded: '已被替代' };

/** ★ per star; 不评星 for 0 (a veto, or below every band), 不参评 when the project was not assessed. */
export { starsText } from '../assessment/explain.js';

/** 2025年 · 2025年上半年 · 2025年第3季度 · 2025年7月 */
export function periodLabel(period: Period): string {
  switch (period.kind) {
    case 'year':
      return `${period.year}年`;
    case 'half':
      return `${period.year}年${period.firstMonth === 1 ? '上' : '下'}半年`;
    case 'quarter':
      return `${period.year}年第${(period.firstMonth + 2) / 3}季度`;
    case 'month':
      return `${period.year}年${period.firstMonth}月`;
  }
}

/** `YYYY-MM-DD HH:mm:ss` in the given time zone, with the zone named. */
export function dateTimeText(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}（${timeZone}）`;
}

export const factLabel = (fact: string): string => FACT_LABELS[fact] ?? fact;

/** A fact's value in words: a rate as a percentage with up to four decimals, flags as 是/否. */
export function factWords(fact: string, value: FactValue | undefined): string {
  return formatFact(fact, value ?? null);
}

/** A fact's value as a cell: numbers stay numbers (a rate as a percent), the rest becomes text. */
export function factCell(fact: string, value: FactValue | undefined): { value: number | string | null; format: CellFormat } {
  if (value === null || value === undefined) return { value: null, format: 'text' };
  if (typeof value === 'number') {
    if (isRateFact(fact)) return { value, format: 'percent' };
    return { value, format: Number.isInteger(value) ? 'integer' : 'decimal2' };
  }
  return { value: factWords(fact, value), format: 'text' };
}

/** `label value；label value` for the facts a rule read. */
export function factsText(facts: Readonly<Record<string, FactValue>>, order?: readonly string[]): string {
  const names = order ?? Object.keys(facts);
  return names
    .filter((name) => Object.hasOwn(facts, name))
    .map((name) => `${factLabel(name)} ${factWords(name, facts[name])}`)
    .join('；');
}

/** Share of a count in a total, or null when the total is 0. */
export function shareOf(count: number, total: number): number | null {
  return total > 0 ? count / total : null;
}
