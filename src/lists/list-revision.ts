import type { ListDecision } from '../assessment/scoring.js';
import type { ListName, RuleSetParameters } from '../rules/rule-set.js';
import { note, type Note } from '../assessment/notes.js';
import { clearPeriod, entering, holdingPeriod, type ListTransition, type OpenListEntry } from './list-lifecycle.js';

export interface RevisionListInput {
  /** the runs of the period (the one revised or republished, and those it superseded): an entry one of them made is withdrawn */
  periodRunIds: ReadonlySet<number>;
  companyId: number;
  /** last day of the run's period, YYYY-MM-DD */
  periodEnd: string;
  /** date of the revision, YYYY-MM-DD */
  on: string;
  /** the company's list decisions before and after the revision */
  before: readonly ListDecision[];
  after: readonly ListDecision[];
  /** this company's entries open now, with the run that entered each */
  openEntries: readonly (OpenListEntry & { enteredByRunId: number })[];
  parameters: RuleSetParameters['lists'];
  /** why the result changed (e.g. an accepted appeal, named by its line number: no project named, a street reads these notes) */
  cause: Note;
}

const LISTS: ListName[] = ['red', 'black'];

/**
 * A company the period's result no longer assesses at all (it dropped out of a republished run):
 * what the period's runs put on the lists is withdrawn; nothing is known about its condition, so
 * older entries stay as they are.
 */
export function withdrawPeriodEntries(input: Pick<RevisionListInput, 'periodRunIds' | 'companyId' | 'on' | 'openEntries' | 'cause'>): ListTransition[] {
  return input.openEntries
    .filter((e) => e.companyId === input.companyId && input.periodRunIds.has(e.enteredByRunId))
    .map((e) => ({
      kind: 'exited',
      entryId: e.entryId,
      companyId: e.companyId,
      list: e.list,
      on: input.on,
      note: note('list.withdrawn', { cause: input.cause }),
    }));
}

/**
 * The list records that compensate a changed result of a period (an accepted appeal, a republication)
 * which changed a company's list decisions; the entries themselves are never rewritten. A decision
 * that no longer holds withdraws an entry this period's result made (exited) or counts as a clear
 * period for an older entry (cleared, or exited once
 * the usual exit conditions are met); a new decision holds an open entry or enters the list from
 * the period's end, as publishing would have. Unchanged decisions give nothing.
 */
export function listChangesOnRevision(input: RevisionListInput): ListTransition[] {
  const { periodRunIds, companyId, periodEnd, on, parameters, cause } = input;
  const transitions: ListTransition[] = [];
  for (const list of LISTS) {
    const before = input.before.filter((d) => d.list === list);
    const after = input.after.filter((d) => d.list === list);
    if (before.length > 0 === after.length > 0) continue;
    const entry = input.openEntries.find((e) => e.companyId === companyId && e.list === list);

    if (after.length === 0) {
      if (!entry) continue; // already off the list: nothing to undo
      if (periodRunIds.has(entry.enteredByRunId)) {
        transitions.push({ kind: 'exited', entryId: entry.entryId, companyId, list, on, note: note('list.withdrawn', { cause }) });
        continue;
      }
      transitions.push(clearPeriod(entry, on, parameters, cause));
      continue;
    }

    if (entry) {
      transitions.push(holdingPeriod(entry, on, after[0].rule, cause));
      continue;
    }
    transitions.push(entering(companyId, list, after, periodEnd, parameters, cause));
  }
  return transitions;
}
