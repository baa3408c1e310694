import type { ListDecision } from '../assessment/scoring.js';
import { noteText } from '../reports/note-text.js';
import type { RuleSetParameters } from '../rules/rule-set.js';
import { applyListPeriod, type ListTransition, type OpenListEntry } from './list-lifecycle.js';

const parameters: RuleSetParameters['lists'] = {
  worstComplaintShare: 0.1,
  exitAfterPeriods: 2,
  durations: { general: { minMonths: 3, maxMonths: 12 }, serious: { minMonths: 3, maxMonths: 36 }, safety: { minMonths: 12, maxMonths: 36 } },
};
const black = (severity: ListDecision['severity'] = 'general', rule = 'black-list-grade-c'): ListDecision => ({
  list: 'black',
  rule,
  clause: '…',
  reason: '信用等级为C',
  severity,
});

/** Applies periods in turn, feeding each one's transitions into the next one's open entries. */
function simulate(periods: { end: string; decisions: Map<number, ListDecision[]> }[]): ListTransition[][] {
  let open: OpenListEntry[] = [];
  let nextId = 1;
  return periods.map(({ end, decisions }) => {
    const transitions = applyListPeriod({ periodEnd: end, openEntries: open, decisions, parameters });
    for (const t of transitions) {
      if (t.kind === 'entered')
        open.push({
          entryId: nextId++,
          companyId: t.companyId,
          list: t.list,
          severity: t.severity,
          startedOn: t.startedOn,
          minEndOn: t.minEndOn,
          maxEndOn: t.maxEndOn,
          clearStreak: 0,
        });
      if (t.kind === 'held') open.find((e) => e.entryId === t.entryId)!.clearStreak = 0;
      if (t.kind === 'cleared') open.find((e) => e.entryId === t.entryId)!.clearStreak = t.streak;
      if (t.kind === 'exited' || t.kind === 'expired') open = open.filter((e) => e.entryId !== t.entryId);
    }
    return transitions;
  });
}
const kinds = (ts: ListTransition[]) => ts.map((t) => t.kind);
const on = (entries: [number, ListDecision[]][]) => new Map(entries);

describe('list lifecycle', () => {
  it('enters with a minimum and a maximum end by severity', () => {
    const [entered] = simulate([{ end: '2025-03-31', decisions: on([[1, [black('safety', 'veto-major-safety-accident')]]]) }]);
    expect(entered).toEqual([
      expect.objectContaining({ kind: 'entered', list: 'black', severity: 'safety', startedOn: '2025-03-31', minEndOn: '2026-03-31', maxEndOn: '2028-03-31' }),
    ]);
  });

  it('takes the most severe of several reasons for one list', () => {
    const [entered] = simulate([{ end: '2025-12-31', decisions: on([[1, [black('general'), black('serious', 'black-list-veto')]]]) }]);
    expect(entered[0]).toMatchObject({ severity: 'serious', rule: 'black-list-veto', maxEndOn: '2028-12-31' });
  });

  it('leaves only after two consecutive clear periods and the minimum', () => {
    const steps = simulate([
      { end: '2025-03-31', decisions: on([[1, [black()]]]) },
      { end: '2025-06-30', decisions: on([[1, []]]) },
      { end: '2025-09-30', decisions: on([[1, [black()]]]) }, // flapped back: streak resets
      { end: '2025-12-31', decisions: on([[1, []]]) },
      { end: '2026-01-31', decisions: on([[1, []]]) },
    ]);
    expect(steps.map(kinds)).toEqual([['entered'], ['cleared'], ['held'], ['cleared'], ['exited']]);
  });

  it('does not leave before the minimum even when clear', () => {
    const steps = simulate([
      { end: '2025-01-31', decisions: on([[1, [black('safety')]]]) },
      { end: '2025-02-28', decisions: on([[1, []]]) },
      { end: '2025-03-31', decisions: on([[1, []]]) },
      { end: '2026-01-31', decisions: on([[1, []]]) },
    ]);
    expect(steps.map(kinds)).toEqual([['entered'], ['cleared'], ['cleared'], ['exited']]);
    expect(noteText(steps[2][0].note)).toContain('未满最短期限');
  });

  it('ends by itself at the maximum, and a condition that still holds starts a new entry', () => {
    const steps = simulate([
      { end: '2025-12-31', decisions: on([[1, [black()]]]) },
      { end: '2026-12-31', decisions: on([[1, []]]) },
      { end: '2027-12-31', decisions: on([[2, []]]) },
    ]);
    expect(steps.map(kinds)).toEqual([['entered'], ['expired'], []]);
    expect(steps[1][0]).toMatchObject({ on: '2026-12-31' });
    const again = simulate([
      { end: '2025-12-31', decisions: on([[1, [black()]]]) },
      { end: '2026-12-31', decisions: on([[1, [black()]]]) },
    ]);
    expect(again.map(kinds)).toEqual([['entered'], ['expired', 'entered']]);
  });

  it('leaves a company that was not assessed in the period as it was', () => {
    const steps = simulate([
      { end: '2025-03-31', decisions: on([[1, [black()]]]) },
      { end: '2025-06-30', decisions: on([]) },
      { end: '2025-09-30', decisions: on([[1, []]]) },
    ]);
    expect(steps.map(kinds)).toEqual([['entered'], [], ['cleared']]);
  });
});
