import { aProjectMetrics } from '../assessment/metrics.factory.js';
import { parsePeriod } from '../domain/period.js';
import { bulletinFigures, companyBulletinRows, complaintRankingRows, feeRankingRows, ratesOf, zeroCounts, type BulletinInput } from './bulletin.content.js';

const month = parsePeriod('2025-07')!;

function input(projects: BulletinInput['projects']): BulletinInput {
  return {
    kind: 'monthly-bulletin',
    period: month,
    scope: '全部街道',
    ruleSetText: 'default',
    share: 0.1,
    projects,
    companyNames: new Map([
      [1, '甲物业'],
      [2, '乙物业'],
    ]),
    streetNames: new Map([['510104001', '草堂街道']]),
    movements: [],
  };
}

const project = (id: number, companyId: number, tickets: number, paid: number) =>
  aProjectMetrics({
    projectId: id,
    projectCode: `XM${id}`,
    companyId,
    households: 100,
    complaints: { tickets, respondedInTime: tickets, resolved: tickets, revisited: 0, revisitSatisfied: 0 },
    fees: { months: 1, householdsBilled: 100, householdsPaid: paid, billedAmount: 1000, collectedAmount: paid * 10 },
  });

describe('monthly bulletin figures', () => {
  it('uses the assessment definitions: per 100 households per year, shares of tickets and households', () => {
    const rates = ratesOf({ ...zeroCounts(), households: 200, tickets: 3, respondedInTime: 2, resolved: 3, householdsBilled: 180, householdsPaid: 171 }, 1);
    expect(rates.complaintsPer100HouseholdsYear).toBe(18);
    expect(rates.responseInTimeRate).toBe(2 / 3);
    expect(rates.resolutionRate).toBe(1);
    expect(rates.feeCollectionRateByHousehold).toBe(0.95);
    expect(ratesOf(zeroCounts(), 1).resolutionRate).toBeNull();
  });

  it('ranks projects by complaints and by collection, marking best and worst', () => {
    const b = bulletinFigures(input([project(1, 1, 0, 99), project(2, 1, 1, 90), project(3, 2, 4, 80), project(4, 2, 2, 95)]));
    const complaints = complaintRankingRows(b.projects, 0.1);
    expect(complaints.map((r) => [r.cells[1], r.cells[0], r.fill])).toEqual([
      ['XM1', 1, 'best'],
      ['XM2', 2, undefined],
      ['XM4', 3, undefined],
      ['XM3', 4, 'worst'],
    ]);
    expect(complaints[0].cells[3]).toBe('甲物业');
    const fees = feeRankingRows(b.projects, 0.1);
    expect(fees.map((r) => [r.cells[1], r.fill])).toEqual([
      ['XM1', 'best'],
      ['XM4', undefined],
      ['XM2', undefined],
      ['XM3', 'worst'],
    ]);
  });

  it('sums companies from their projects and marks the complaint and collection cells', () => {
    const b = bulletinFigures(input([project(1, 1, 0, 99), project(2, 1, 1, 90), project(3, 2, 4, 80), project(4, 2, 2, 95)]));
    expect(b.companies.map((c) => [c.uscc, c.counts.tickets, c.counts.householdsPaid])).toEqual([
      [b.companies[0].uscc, 1, 189],
      [b.companies[1].uscc, 6, 175],
    ]);
    const rows = companyBulletinRows(b.companies, 0.1);
    expect(rows.map((r) => [r.cells[2], r.cells[0], r.cells[1], r.cellFills])).toEqual([
      ['甲物业', 1, 1, { 7: 'best', 10: 'best' }],
      ['乙物业', 2, 2, { 7: 'worst', 10: 'worst' }],
    ]);
    expect(b.totals.tickets).toBe(7);
  });

  it('puts projects without a fee record last, unranked', () => {
    const none = aProjectMetrics({ projectId: 9, projectCode: 'XM9', companyId: 1, fees: { months: 0, householdsBilled: 0, householdsPaid: 0, billedAmount: 0, collectedAmount: 0 } });
    const b = bulletinFigures(input([none, project(1, 1, 0, 99)]));
    const rows = feeRankingRows(b.projects, 0.1);
    expect(rows[1].cells.slice(0, 2)).toEqual([null, 'XM9']);
    expect(rows[1].cells[11]).toBe('无收费记录');
  });
});
