import { eventOfFact } from '../assessment/facts.js';
import type { Note } from '../assessment/notes.js';
import type { EventKind, HonourLevel } from '../domain/vocabulary.js';
import { reversalOf, type LedgerEntryDraft } from './ledger.js';

/** A stored ledger entry with what choosing it for a reversal needs. */
export interface LedgeredEntry extends Omit<LedgerEntryDraft, 'reason'> {
  /** the stored sentence */
  reason: string;
  entryId: number;
  /** the credit event's number, kind and honour level; null for an entry without an event */
  eventNo: string | null;
  eventKind: EventKind | null;
  honourLevel: HonourLevel | null;
  /** the event's project, null for a company-level event */
  projectCode: string | null;
  /** whether a reversal of this entry is stored already */
  reversed: boolean;
}

/** An accepted correction of an event-count fact. */
export interface EventCorrection {
  /** null: a company-level event count */
  projectCode: string | null;
  fact: string;
  from: number;
  to: number;
  /** text in which the appellant may name event numbers (reason + evidence) */
  mentions: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether the text names the event number on its own (E2025-000001 is not named by E2025-0000012). */
const names = (text: string, eventNo: string) => new RegExp(`(?<![A-Za-z0-9])${escape(eventNo)}(?![A-Za-z0-9])`).test(text);

/**
 * The reversing entries for corrections that lower an event count by k: k events of that subject
 * and kind (honours: level) that are still in the ledger unreversed are chosen — those the
 * appellant names first, then the newest — and every entry of each chosen event (one per rule
 * that gave it) is reversed. Other facts and raised counts give nothing; nothing is ever edited.
 */
export function reversalsForCorrections(
  corrections: readonly EventCorrection[],
  entries: readonly LedgeredEntry[],
  on: string,
  cause: Note,
): LedgerEntryDraft[] {
  const drafts: LedgerEntryDraft[] = [];
  const chosen = new Set<number>();
  for (const correction of corrections) {
    const wanted = eventOfFact(correction.fact);
    const count = Math.round(correction.from - correction.to);
    if (!wanted || !(count > 0)) continue;

    const byEvent = new Map<number, LedgeredEntry[]>();
    for (const e of entries) {
      if (e.eventId === null || chosen.has(e.eventId) || e.reversesEntryId !== null || e.reversed) continue;
      if (e.projectCode !== correction.projectCode || e.eventKind !== wanted.kind || (wanted.level !== null && e.honourLevel !== wanted.level)) continue;
      const list = byEvent.get(e.eventId) ?? [];
      list.push(e);
      byEvent.set(e.eventId, list);
    }
    const events = [...byEvent.entries()].map(([eventId, list]) => {
      const newest = list.reduce((a, b) => (b.entryDate > a.entryDate || (b.entryDate === a.entryDate && b.entryId > a.entryId) ? b : a));
      const eventNo = list.find((e) => e.eventNo !== null)?.eventNo ?? null;
      return { eventId, list, newest, named: eventNo !== null && names(correction.mentions, eventNo) };
    });
    events.sort((a, b) => Number(b.named) - Number(a.named) || b.newest.entryDate.localeCompare(a.newest.entryDate) || b.newest.entryId - a.newest.entryId);
    for (const event of events.slice(0, count)) {
      chosen.add(event.eventId);
      for (const entry of [...event.list].sort((a, b) => a.entryId - b.entryId)) drafts.push(reversalOf(entry, on, cause));
    }
  }
  return drafts;
}
