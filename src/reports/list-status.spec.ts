import { entriesLeftIn, entriesOfPeriod, entryStateOn, listCounts, openEntriesOn } from './list-status.js';
import type { ListEntryRow, ListTransitionRow } from './report-data.js';

const entry = (entryId: number, list: 'red' | 'black', startedOn: string, transitions: ListTransitionRow[], maxEndOn = '2026-12-31'): ListEntryRow => ({
  entryId,
  companyId: entryId,
  uscc: `U${entryId}`,
  companyName: `企业${entryId}`,
  list,
  severity: 'general',
  ruleId: 'r',
  clause: 'c',
  reason: 'why',
  startedOn,
  minEndOn: '2026-03-31',
  maxEndOn,
  transitions,
});

const entered = (on: string): ListTransitionRow => ({ kind: 'entered', on, note: '' });

describe('list entry state', () => {
  const fresh = entry(1, 'black', '2025-12-31', [entered('2025-12-31')]);
  const exited = entry(2, 'red', '2024-12-31', [entered('2024-12-31'), { kind: 'cleared', on: '2025-06-30', note: '' }, { kind: 'exited', on: '2025-12-31', note: '连续两期不再符合' }]);
  const old = entry(3, 'red', '2023-12-31', [entered('2023-12-31')], '2024-12-31');
  const later = entry(4, 'red', '2026-06-30', [entered('2026-06-30')]);

  it('is open from the start until an exit, an expiry or the maximum end', () => {
    expect(entryStateOn(fresh, '2025-12-31')).toBe('open');
    expect(entryStateOn(fresh, '2025-12-30')).toBe('not_started');
    expect(entryStateOn(exited, '2025-12-30')).toBe('open');
    expect(entryStateOn(exited, '2025-12-31')).toBe('exited');
    expect(entryStateOn(old, '2025-12-31')).toBe('expired');
  });

  it('selects what a period shows: open at its end, or moved in it; red first', () => {
    const all = [fresh, exited, old, later];
    expect(entriesOfPeriod(all, '2025-01-01', '2025-12-31').map((e) => e.entryId)).toEqual([2, 1]);
    expect(openEntriesOn(all, '2025-12-31').map((e) => e.entryId)).toEqual([1]);
    expect(entriesLeftIn(all, '2025-01-01', '2025-12-31').map((e) => e.entryId)).toEqual([2]);
    expect(listCounts(all, '2025-01-01', '2025-12-31')).toEqual({
      open: { red: 0, black: 1 },
      entered: { red: 0, black: 1 },
      left: { red: 1, black: 0 },
    });
  });
});
