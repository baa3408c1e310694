import { note } from '../assessment/notes.js';
import { validBalance } from './ledger.js';
import { reversalsForCorrections, type EventCorrection, type LedgeredEntry } from './ledger-revision.js';

let nextEntryId = 1;
/** A stored entry of one event under one rule. */
function entry(eventId: number, overrides: Partial<LedgeredEntry> = {}): LedgeredEntry {
  return {
    entryId: nextEntryId++,
    companyId: 7,
    eventId,
    entryDate: '2025-05-01',
    points: -2,
    reason: `E${eventId}：占用消防通道`,
    ruleId: 'deduction-finding',
    evidence: null,
    validFrom: '2025-05-01',
    validTo: '2026-05-01',
    reversesEntryId: null,
    eventNo: `E2025-00000${eventId}`,
    eventKind: 'finding',
    honourLevel: null,
    projectCode: 'XM1',
    reversed: false,
    ...overrides,
  };
}
const correction = (overrides: Partial<EventCorrection> = {}): EventCorrection => ({
  projectCode: 'XM1',
  fact: 'findings',
  from: 2,
  to: 1,
  mentions: '',
  ...overrides,
});
const why = note('cause.appealAccepted', { appealLineId: 12 });
const reversed = (drafts: ReturnType<typeof reversalsForCorrections>) => drafts.map((d) => d.reversesEntryId);

describe('ledger reversals for corrected event counts', () => {
  const older = entry(1, { entryDate: '2025-03-01', validFrom: '2025-03-01' });
  const newer = entry(2, { entryDate: '2025-06-01', validFrom: '2025-06-01' });
  const companyLevel = entry(3, { projectCode: null });
  const otherKind = entry(4, { eventKind: 'safety_incident', ruleId: 'deduction-safety-incident', points: -10 });

  it('reverses the newest event of the subject and kind when none is named', () => {
    const drafts = reversalsForCorrections([correction()], [older, newer, companyLevel, otherKind], '2026-01-20', why);
    expect(drafts).toEqual([
      {
        companyId: 7,
        eventId: 2,
        entryDate: '2026-01-20',
        points: 2,
        reason: note('ledger.reversal', { entryId: newer.entryId, cause: why }),
        ruleId: 'deduction-finding',
        evidence: null,
        validFrom: '2025-06-01',
        validTo: '2026-05-01',
        reversesEntryId: newer.entryId,
      },
    ]);
    expect(validBalance([older, newer, ...drafts], '2025-12-31')).toBe(-2);
  });

  it('reverses first the events the appellant names', () => {
    const named = reversalsForCorrections([correction({ mentions: '其中 E2025-000001 系误录，证据见附件' })], [older, newer], '2026-01-20', why);
    expect(reversed(named)).toEqual([older.entryId]);
    const both = reversalsForCorrections([correction({ from: 2, to: 0, mentions: 'E2025-000001' })], [older, newer], '2026-01-20', why);
    expect(reversed(both)).toEqual([older.entryId, newer.entryId]);
  });

  it('does not take a longer event number for a named one', () => {
    const long = entry(11, { eventNo: 'E2025-0000011', entryDate: '2025-01-01' });
    expect(reversed(reversalsForCorrections([correction({ mentions: 'E2025-0000011' })], [older, long], '2026-01-20', why))).toEqual([long.entryId]);
    expect(reversed(reversalsForCorrections([correction({ mentions: 'E2025-00000111' })], [older, long], '2026-01-20', why))).toEqual([older.entryId]);
  });

  it('reverses every entry of a chosen event together', () => {
    const veto = entry(5, { eventKind: 'maintenance_fund_misuse', ruleId: 'veto-maintenance-fund-misuse', points: 0 });
    const bonusOfSameEvent = entry(5, { eventKind: 'maintenance_fund_misuse', ruleId: 'deduction-other', points: -3 });
    const drafts = reversalsForCorrections([correction({ fact: 'maintenanceFundMisuses', from: 1, to: 0 })], [veto, bonusOfSameEvent], '2026-01-20', why);
    expect(reversed(drafts)).toEqual([veto.entryId, bonusOfSameEvent.entryId]);
  });

  it('skips entries already reversed and the reversals themselves', () => {
    const reversal = entry(2, { reversesEntryId: newer.entryId, points: 2 });
    const drafts = reversalsForCorrections([correction()], [older, { ...newer, reversed: true }, reversal], '2026-01-20', why);
    expect(reversed(drafts)).toEqual([older.entryId]);
  });

  it('matches company-level corrections to company-level events, honours by level', () => {
    expect(reversed(reversalsForCorrections([correction({ projectCode: null, from: 1, to: 0 })], [older, companyLevel], '2026-01-20', why))).toEqual([
      companyLevel.entryId,
    ]);
    const city = entry(6, { eventKind: 'honour', honourLevel: 'city', ruleId: 'bonus-honour-city', points: 3, projectCode: null });
    const province = entry(7, {
      eventKind: 'honour',
      honourLevel: 'province',
      ruleId: 'bonus-honour-province',
      points: 5,
      projectCode: null,
      entryDate: '2025-09-01',
    });
    const drafts = reversalsForCorrections([correction({ projectCode: null, fact: 'honoursCity', from: 1, to: 0 })], [city, province], '2026-01-20', why);
    expect(drafts).toMatchObject([{ reversesEntryId: city.entryId, points: -3 }]);
  });

  it('does not reverse one event for two corrections', () => {
    const drafts = reversalsForCorrections([correction(), correction()], [older, newer], '2026-01-20', why);
    expect(reversed(drafts)).toEqual([newer.entryId, older.entryId]);
  });

  it('gives nothing for a raised count, an unchanged one or a fact that is not an event count', () => {
    expect(reversalsForCorrections([correction({ from: 1, to: 2 })], [older, newer], '2026-01-20', why)).toEqual([]);
    expect(reversalsForCorrections([correction({ from: 1, to: 1 })], [older, newer], '2026-01-20', why)).toEqual([]);
    expect(reversalsForCorrections([correction({ fact: 'feeCollectionRateByHousehold', from: 0.9, to: 0.8 })], [older, newer], '2026-01-20', why)).toEqual([]);
  });

  it('reverses no more events than there are', () => {
    expect(reversed(reversalsForCorrections([correction({ from: 5, to: 0 })], [older, newer], '2026-01-20', why))).toEqual([newer.entryId, older.entryId]);
  });
});
