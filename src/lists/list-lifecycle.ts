import { addMonths } from '../domain/dates.js';
import { note, type Note } from '../assessment/notes.js';
import type { ListDecision } from '../assessment/scoring.js';
import type { ListName, ListSeverity, RuleSetParameters } from '../rules/rule-set.js';

/** An entry on the red or black list as it stands before a period is applied. */
export interface OpenListEntry {
  entryId: number;
  companyId: number;
  list: ListName;
  severity: ListSeverity;
  startedOn: string;
  minEndOn: string;
  maxEndOn: string;
  /** consecutive applied periods, up to now, in which the entry's condition no longer held */
  clearStreak: number;
}

export type ListTransition =
  | {
      kind: 'entered';
      companyId: number;
      list: ListName;
      severity: ListSeverity;
      rule: string;
      clause: string;
      /** the list rules' reasons, and why when a changed result entered it */
      note: Note;
      startedOn: string;
      minEndOn: string;
      maxEndOn: string;
    }
  | { kind: 'held'; entryId: number; companyId: number; list: ListName; on: string; rule: string; note: Note }
  | { kind: 'cleared'; entryId: number; companyId: number; list: ListName; on: string; streak: number; note: Note }
  | { kind: 'exited'; entryId: number; companyId: number; list: ListName; on: string; note: Note }
  | { kind: 'expired'; entryId: number; companyId: number; list: ListName; on: string; note: Note };

export interface ListPeriodInput {
  /** last day of the period being applied */
  periodEnd: string;
  openEntries: readonly OpenListEntry[];
  /** the list decisions of the companies assessed in the period; companies absent here are left as they are */
  decisions: ReadonlyMap<number, readonly ListDecision[]>;
  parameters: RuleSetParameters['lists'];
}

const LISTS: ListName[] = ['red', 'black'];

/**
 * One period's effect on the lists. An entry lasts at least its minimum; it ends early only
 * when its condition has failed for `exitAfterPeriods` consecutive periods (no flapping),
 * and ends by itself at its maximum. Entries are never rewritten: every change is a transition.
 */
export function applyListPeriod(input: ListPeriodInput): ListTransition[] {
  const { periodEnd, parameters } = input;
  const transitions: ListTransition[] = [];
  const open = new Map<string, OpenListEntry>();
  for (const entry of input.openEntries) open.set(`${entry.companyId}/${entry.list}`, entry);
  const companies = new Set([...input.decisions.keys(), ...input.openEntries.map((e) => e.companyId)]);

  for (const companyId of [...companies].sort((a, b) => a - b)) {
    const decisions = input.decisions.get(companyId);
    for (const list of LISTS) {
      let entry = open.get(`${companyId}/${list}`);
      const holding = decisions?.filter((d) => d.list === list) ?? [];
      if (entry && periodEnd >= entry.maxEndOn) {
        transitions.push({ kind: 'expired', entryId: entry.entryId, companyId, list, on: entry.maxEndOn, note: note('list.expired', {}) });
        entry = undefined;
      }
      if (!decisions) continue; // not assessed this period: nothing is known about its condition
      if (entry) {
        if (holding.length > 0) {
          transitions.push(holdingPeriod(entry, periodEnd, holding[0].rule, null));
        } else {
          transitions.push(clearPeriod(entry, periodEnd, parameters));
        }
      } else if (holding.length > 0) {
        transitions.push(entering(companyId, list, holding, periodEnd, parameters));
      }
    }
  }
  return transitions;
}

/**
 * A period in which an open entry's condition no longer held: it leaves once that has lasted
 * `exitAfterPeriods` periods and its minimum is served, else the clear streak grows.
 */
export function clearPeriod(entry: OpenListEntry, on: string, parameters: RuleSetParameters['lists'], cause: Note | null = null): ListTransition {
  const { entryId, companyId, list } = entry;
  const streak = entry.clearStreak + 1;
  if (streak >= parameters.exitAfterPeriods && on >= entry.minEndOn) {
    return { kind: 'exited', entryId, companyId, list, on, note: note('list.exited', { streak, cause }) };
  }
  const minEndOn = on < entry.minEndOn ? entry.minEndOn : null;
  return {
    kind: 'cleared',
    entryId,
    companyId,
    list,
    on,
    streak,
    note: note('list.cleared', { streak, minEndOn, exitAfterPeriods: parameters.exitAfterPeriods, cause }),
  };
}

/** A period in which an open entry's condition still held. */
export function holdingPeriod(entry: OpenListEntry, on: string, rule: string, cause: Note | null): ListTransition {
  return { kind: 'held', entryId: entry.entryId, companyId: entry.companyId, list: entry.list, on, rule, note: note('list.held', { rule, cause }) };
}

/** Entering a list from `startedOn` on the most severe of the decisions that hold, for its durations. */
export function entering(
  companyId: number,
  list: ListName,
  holding: readonly ListDecision[],
  startedOn: string,
  parameters: RuleSetParameters['lists'],
  cause: Note | null = null,
): ListTransition {
  const decision = mostSevere(holding, parameters);
  const duration = parameters.durations[decision.severity];
  return {
    kind: 'entered',
    companyId,
    list,
    severity: decision.severity,
    rule: decision.rule,
    clause: decision.clause,
    note: note('list.entered', { reasons: [...new Set(holding.map((h) => h.reason))], cause }),
    startedOn,
    minEndOn: addMonths(startedOn, duration.minMonths),
    maxEndOn: addMonths(startedOn, duration.maxMonths),
  };
}

export function mostSevere(decisions: readonly ListDecision[], parameters: RuleSetParameters['lists']): ListDecision {
  const weight = (d: ListDecision) => {
    const duration = parameters.durations[d.severity];
    return duration.maxMonths * 1000 + duration.minMonths;
  };
  return decisions.reduce((best, d) => (weight(d) > weight(best) ? d : best));
}
