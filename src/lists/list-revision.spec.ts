import type { ListDecision } from '../assessment/scoring.js';
import type { RuleSetParameters } from '../rules/rule-set.js';
import { note } from '../assessment/notes.js';
import { noteText } from '../reports/note-text.js';
import type { ListTransition, OpenListEntry } from './list-lifecycle.js';
import { withdrawPeriodEntries, listChangesOnRevision, type RevisionListInput } from './list-revision.js';

const parameters: RuleSetParameters['lists'] = {
  worstComplaintShare: 0.1,
  exitAfterPeriods: 2,
  durations: { general: { minMonths: 3, maxMonths: 12 }, serious: { minMonths: 3, maxMonths: 36 }, safety: { minMonths: 12, maxMonths: 36 } },
};
const cause = note('cause.appealAccepted', { appealLineId: 12 });
const why = '申诉成立（appeal accepted；申诉行 #12）';
const text = (t: ListTransition) => noteText(t.note);
const black = (severity: ListDecision['severity'] = 'general', rule = 'black-list-grade-c', reason = '信用等级为C'): ListDecision => ({
  list: 'black',
  rule,
  clause: '…',
  reason,
  severity,
});
const red: ListDecision = { list: 'red', rule: 'red-list', clause: '…', reason: '信用等级AAA且满意率≥90%', severity: 'general' };
const entry = (overrides: Partial<OpenListEntry & { enteredByRunId: number }> = {}): OpenListEntry & { enteredByRunId: number } => ({
  entryId: 9,
  companyId: 7,
  list: 'black',
  severity: 'general',
  startedOn: '2025-12-31',
  minEndOn: '2026-03-31',
  maxEndOn: '2026-12-31',
  clearStreak: 0,
  enteredByRunId: 12,
  ...overrides,
});
const changes = (overrides: Partial<RevisionListInput>) =>
  listChangesOnRevision({
    periodRunIds: new Set([11, 12]),
    companyId: 7,
    periodEnd: '2025-12-31',
    on: '2026-01-20',
    before: [],
    after: [],
    openEntries: [],
    parameters,
    cause,
    ...overrides,
  });

describe('list changes on a revision', () => {
  it("withdraws an entry this period's result made (by this run or one it superseded) when its decision no longer holds", () => {
    for (const enteredByRunId of [12, 11]) {
      const transitions = changes({ before: [black()], openEntries: [entry({ enteredByRunId })] });
      expect(transitions).toEqual([{ kind: 'exited', entryId: 9, companyId: 7, list: 'black', on: '2026-01-20', note: note('list.withdrawn', { cause }) }]);
      expect(text(transitions[0])).toBe(`${why}，撤销本期列入`);
    }
  });

  it('counts a clear period for an entry made earlier', () => {
    const [cleared] = changes({ before: [black()], openEntries: [entry({ enteredByRunId: 5, startedOn: '2025-09-30' })] });
    expect(cleared).toMatchObject({ kind: 'cleared', entryId: 9, on: '2026-01-20', streak: 1 });
    expect(text(cleared).startsWith(why)).toBe(true);
    expect(text(cleared)).toContain('未满最短期限（2026-03-31）');
  });

  it('lets an earlier entry go once it has been clear long enough and served its minimum', () => {
    const [exited] = changes({ before: [black()], on: '2026-04-02', openEntries: [entry({ enteredByRunId: 5, clearStreak: 1 })] });
    expect(exited).toMatchObject({ kind: 'exited', entryId: 9, on: '2026-04-02' });
    expect(text(exited)).toBe(`${why}，连续 2 期不再符合列入条件且已满最短期限，移出`);

    const [early] = changes({ before: [black()], openEntries: [entry({ enteredByRunId: 5, clearStreak: 1 })] });
    expect(early).toMatchObject({ kind: 'cleared', streak: 2 });
  });

  it('does nothing for a decision withdrawn when the company is no longer on the list', () => {
    expect(changes({ before: [black()] })).toEqual([]);
  });

  it('holds an open entry when a decision appears', () => {
    const transitions = changes({ after: [black('serious', 'black-list-veto')], openEntries: [entry({ enteredByRunId: 5 })] });
    expect(transitions).toEqual([
      {
        kind: 'held',
        entryId: 9,
        companyId: 7,
        list: 'black',
        on: '2026-01-20',
        rule: 'black-list-veto',
        note: note('list.held', { rule: 'black-list-veto', cause }),
      },
    ]);
    expect(text(transitions[0])).toBe(`${why}，仍符合列入条件（black-list-veto）`);
  });

  it('enters the list from the end of the period, for the most severe decision', () => {
    const transitions = changes({ after: [black(), black('serious', 'black-list-veto', '一票否决')] });
    expect(transitions).toEqual([
      {
        kind: 'entered',
        companyId: 7,
        list: 'black',
        severity: 'serious',
        rule: 'black-list-veto',
        clause: '…',
        note: note('list.entered', { reasons: ['信用等级为C', '一票否决'], cause }),
        startedOn: '2025-12-31',
        minEndOn: '2026-03-31',
        maxEndOn: '2028-12-31',
      },
    ]);
    expect(text(transitions[0])).toBe(`信用等级为C；一票否决（${why}）`);
  });

  it('changes nothing when a list decision stays or stays away, and treats each list on its own', () => {
    expect(changes({ before: [black()], after: [black('serious', 'black-list-veto')], openEntries: [entry()] })).toEqual([]);
    expect(changes({ openEntries: [entry()] })).toEqual([]);
    const both = changes({ before: [black()], after: [red], openEntries: [entry()] });
    expect(both.map((t) => [t.list, t.kind])).toEqual([
      ['red', 'entered'],
      ['black', 'exited'],
    ]);
  });

  it('ignores open entries of other companies', () => {
    expect(changes({ after: [red], openEntries: [entry({ companyId: 8, list: 'red' })] })).toMatchObject([{ kind: 'entered', list: 'red', companyId: 7 }]);
  });

  it('withdraws, for a company the period no longer assesses, only what the period put on the lists', () => {
    const entries = [entry({ entryId: 9, enteredByRunId: 12 }), entry({ entryId: 10, list: 'red', enteredByRunId: 5 })];
    const withdrawn = withdrawPeriodEntries({ periodRunIds: new Set([11, 12]), companyId: 7, on: '2026-01-20', openEntries: entries, cause });
    expect(withdrawn).toEqual([{ kind: 'exited', entryId: 9, companyId: 7, list: 'black', on: '2026-01-20', note: note('list.withdrawn', { cause }) }]);
    expect(text(withdrawn[0])).toBe(`${why}，撤销本期列入`);
  });
});
