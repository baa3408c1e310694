import { addMonths } from '../domain/dates.js';
import type { EventKind, HonourLevel } from '../domain/vocabulary.js';
import { note, type Note } from '../assessment/notes.js';
import { eventFacts } from '../assessment/project-facts.js';
import { eventOnlyFacts } from '../assessment/scoring.js';
import type { CompiledRuleSet, StageId } from '../rules/rule-set.js';

/** A credit event as the ledger needs it. */
export interface LedgerEvent {
  eventId: number;
  eventNo: string;
  kind: EventKind;
  companyId: number;
  projectCode: string | null;
  occurredOn: string;
  honourLevel: HonourLevel | null;
  source: string;
  description: string;
  evidence: string | null;
}

/** An entry of the 诚信台账 before it is stored. Entries are only ever appended. */
export interface LedgerEntryDraft {
  companyId: number;
  eventId: number | null;
  entryDate: string;
  /** signed: a bonus is positive, a deduction negative, a veto 0 */
  points: number;
  /** stored as the sentence the renderer gives (ledger_entries.reason) */
  reason: Note;
  ruleId: string;
  evidence: string | null;
  validFrom: string;
  validTo: string;
  reversesEntryId: number | null;
}

/**
 * The entries the credit events give under a rule set: each event is put through the
 * adjustment and veto rules on its own, so an entry carries exactly the points its rule gives
 * for one occurrence (caps apply to scores, not to the record). Events already in the ledger
 * (`ledgered`) are skipped, so publishing overlapping periods never records an event twice.
 */
export function ledgerEntriesFor(events: readonly LedgerEvent[], ruleSet: CompiledRuleSet, ledgered: ReadonlySet<number>): LedgerEntryDraft[] {
  const validityMonths = ruleSet.manifest.parameters.ledger.validityMonths;
  const entries: LedgerEntryDraft[] = [];
  for (const event of [...events].sort((a, b) => a.occurredOn.localeCompare(b.occurredOn) || a.eventId - b.eventId)) {
    if (ledgered.has(event.eventId)) continue;
    const counts = event.kind === 'honour' ? { honourByLevel: { [event.honourLevel!]: 1 } } : { [event.kind]: 1 };
    const single = eventFacts(counts);
    const base = {
      companyId: event.companyId,
      eventId: event.eventId,
      entryDate: event.occurredOn,
      evidence: event.evidence,
      validFrom: event.occurredOn,
      validTo: addMonths(event.occurredOn, validityMonths),
      reversesEntryId: null,
    };
    for (const stage of ['adjustments', 'vetoes'] as StageId[]) {
      const facts = eventOnlyFacts(single, stage, ruleSet);
      for (const rule of ruleSet.stages[stage]) {
        if (!rule.compiled.evaluate(facts).fired) continue;
        const points = rule.type === 'deduction' ? -rule.points(facts) : rule.type === 'bonus' ? rule.points(facts) : 0;
        entries.push({
          ...base,
          points,
          ruleId: rule.id,
          reason: note('ledger.event', {
            eventNo: event.eventNo,
            projectCode: event.projectCode,
            occurredOn: event.occurredOn,
            source: event.source,
            description: event.description,
            clause: rule.clause,
          }),
        });
      }
    }
  }
  return entries;
}

/** A correction: an entry that cancels another, never an edit of it. */
export function reversalOf(entry: Omit<LedgerEntryDraft, 'reason'> & { entryId: number }, on: string, cause: Note): LedgerEntryDraft {
  return {
    companyId: entry.companyId,
    eventId: entry.eventId,
    entryDate: on,
    points: -entry.points,
    reason: note('ledger.reversal', { entryId: entry.entryId, cause }),
    ruleId: entry.ruleId,
    evidence: entry.evidence,
    validFrom: entry.validFrom,
    validTo: entry.validTo,
    reversesEntryId: entry.entryId,
  };
}

/** The sum of the entries valid on a date, reversals included. */
export function validBalance(entries: readonly Pick<LedgerEntryDraft, 'points' | 'validFrom' | 'validTo'>[], on: string): number {
  return entries.filter((e) => e.validFrom <= on && on < e.validTo).reduce((sum, e) => sum + Math.round(e.points * 100), 0) / 100;
}
