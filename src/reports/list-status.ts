/** Where a red/black list entry stood on a day, and what happened to it in a period. Pure. */
import type { ListEntryRow, ListTransitionRow } from './report-data.js';
import { LIST_LABELS, TRANSITION_LABELS } from './report-text.js';

export type EntryState = 'not_started' | 'open' | 'exited' | 'expired';

/**
 * An entry is open on `day` from its start until it is exited or expires: an exit or expiry
 * recorded on or before the day ends it, and so does reaching its maximum end (the lifecycle
 * expires an entry on the first applied period ending on or after that date).
 */
export function entryStateOn(entry: ListEntryRow, day: string): EntryState {
  if (entry.startedOn > day) return 'not_started';
  const end = entry.transitions.find((t) => (t.kind === 'exited' || t.kind === 'expired') && t.on <= day);
  if (end) return end.kind as 'exited' | 'expired';
  if (entry.maxEndOn <= day) return 'expired';
  return 'open';
}

export const ENTRY_STATE_LABELS: Record<EntryState, string> = { not_started: '尚未列入', open: '在榜', exited: '已移出', expired: '期满移出' };

/** The entry's transitions dated within `[from, to]`. */
export function transitionsIn(entry: ListEntryRow, from: string, to: string): ListTransitionRow[] {
  return entry.transitions.filter((t) => t.on >= from && t.on <= to);
}

/** Entries that matter for a period: open at its end, or moved during it. Red first, then by company. */
export function entriesOfPeriod(entries: readonly ListEntryRow[], from: string, to: string): ListEntryRow[] {
  return entries
    .filter((e) => entryStateOn(e, to) === 'open' || transitionsIn(e, from, to).length > 0 || (e.startedOn >= from && e.startedOn <= to))
    .sort(byListThenCompany);
}

/** Entries open at the end of the day `day` (the publication of the lists). */
export function openEntriesOn(entries: readonly ListEntryRow[], day: string): ListEntryRow[] {
  return entries.filter((e) => entryStateOn(e, day) === 'open').sort(byListThenCompany);
}

/** Entries that left the list within `[from, to]`. */
export function entriesLeftIn(entries: readonly ListEntryRow[], from: string, to: string): ListEntryRow[] {
  return entries.filter((e) => e.transitions.some((t) => (t.kind === 'exited' || t.kind === 'expired') && t.on >= from && t.on <= to)).sort(byListThenCompany);
}

function byListThenCompany(a: ListEntryRow, b: ListEntryRow): number {
  if (a.list !== b.list) return a.list === 'red' ? -1 : 1;
  if (a.uscc !== b.uscc) return a.uscc < b.uscc ? -1 : 1;
  return a.entryId - b.entryId;
}

/** `2025-12-31 列入：reason` lines for the transitions in a period. */
export function movementText(transitions: readonly ListTransitionRow[]): string {
  return transitions.map((t) => `${t.on} ${TRANSITION_LABELS[t.kind] ?? t.kind}${t.note ? `：${t.note}` : ''}`).join('\n');
}

export interface ListCounts {
  open: Record<'red' | 'black', number>;
  entered: Record<'red' | 'black', number>;
  left: Record<'red' | 'black', number>;
}

export function listCounts(entries: readonly ListEntryRow[], from: string, to: string): ListCounts {
  const counts: ListCounts = { open: { red: 0, black: 0 }, entered: { red: 0, black: 0 }, left: { red: 0, black: 0 } };
  for (const e of entries) {
    if (entryStateOn(e, to) === 'open') counts.open[e.list]++;
    const moved = transitionsIn(e, from, to);
    if (moved.some((t) => t.kind === 'entered')) counts.entered[e.list]++;
    if (moved.some((t) => t.kind === 'exited' || t.kind === 'expired')) counts.left[e.list]++;
  }
  return counts;
}

export const listLabel = (list: 'red' | 'black'): string => LIST_LABELS[list];
