import { note } from '../assessment/notes.js';
import { noteText } from '../reports/note-text.js';
import { DEFAULT_RULES_DIR, loadRuleSet, readRuleSetDirectory } from '../rules/rule-set.loader.js';
import { ledgerEntriesFor, reversalOf, validBalance, type LedgerEvent } from './ledger.js';

const ruleSet = loadRuleSet(readRuleSetDirectory(DEFAULT_RULES_DIR));
const event = (overrides: Partial<LedgerEvent> = {}): LedgerEvent => ({
  eventId: 1,
  eventNo: 'E2025-000001',
  kind: 'finding',
  companyId: 7,
  projectCode: 'XM00000001',
  occurredOn: '2025-05-12',
  honourLevel: null,
  source: '街道记分建议',
  description: '占用消防通道',
  evidence: '〔2025〕第12号',
  ...overrides,
});

describe('credit ledger', () => {
  it('records each event with the points of its rule, signed, valid for 12 months', () => {
    const entries = ledgerEntriesFor(
      [event(), event({ eventId: 2, eventNo: 'E2', kind: 'honour', honourLevel: 'province', projectCode: null, occurredOn: '2025-02-01' })],
      ruleSet,
      new Set(),
    );
    expect(entries.map((e) => [e.eventId, e.ruleId, e.points, e.validFrom, e.validTo])).toEqual([
      [2, 'bonus-honour-province', 5, '2025-02-01', '2026-02-01'],
      [1, 'deduction-finding', -2, '2025-05-12', '2026-05-12'],
    ]);
    expect(noteText(entries[1].reason)).toContain('占用消防通道');
    expect(entries[1].reason).toMatchObject({ code: 'ledger.event', params: { eventNo: 'E2025-000001', clause: expect.any(String) } });
  });

  it('records a veto with no points and skips events already in the ledger', () => {
    const entries = ledgerEntriesFor([event(), event({ eventId: 3, kind: 'maintenance_fund_misuse' })], ruleSet, new Set([1]));
    expect(entries.map((e) => [e.eventId, e.ruleId, e.points])).toEqual([[3, 'veto-maintenance-fund-misuse', 0]]);
  });

  it('corrects by a reversing entry that cancels the original in the balance', () => {
    const [original] = ledgerEntriesFor([event()], ruleSet, new Set());
    const stored = { ...original, entryId: 41 };
    const reversal = reversalOf(stored, '2025-06-01', note('cause.appealAccepted', { appealLineId: 3 }));
    expect(noteText(reversal.reason)).toBe('冲销第 41 号记录：申诉成立（appeal accepted；申诉行 #3）');
    expect(reversal).toMatchObject({ points: 2, reversesEntryId: 41, eventId: 1 });
    expect(validBalance([stored], '2025-06-02')).toBe(-2);
    expect(validBalance([stored, reversal], '2025-06-02')).toBe(0);
    expect(validBalance([stored], '2026-05-12')).toBe(0);
  });
});
