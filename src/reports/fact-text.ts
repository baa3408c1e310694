/** A fact's value in words, as the explanation, the notes and the sheets show it. Pure. */
import { isRateFact } from '../assessment/facts.js';

export function formatFact(fact: string, value: unknown): string {
  if (value === null || value === undefined) return '无数据';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') {
    // Up to four decimals: enough to show why a value just off a band edge missed it.
    const trimmed = (x: number) => String(Number(x.toFixed(4)));
    return isRateFact(fact) ? `${trimmed(value * 100)}%` : trimmed(value);
  }
  if (Array.isArray(value)) return value.join('、');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A rate as a percentage with two decimals (82.00%). */
export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}
