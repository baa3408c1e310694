import { isIsoDate, monthCount, parsePeriod, periodDates, periodMonths, periodsOfYear, previousPeriod } from './period.js';

describe('periods', () => {
  it('parses the four kinds', () => {
    expect(parsePeriod('2025')).toMatchObject({ kind: 'year', firstMonth: 1, lastMonth: 12 });
    expect(parsePeriod('2025-H2')).toMatchObject({ kind: 'half', firstMonth: 7, lastMonth: 12 });
    expect(parsePeriod('2025-Q3')).toMatchObject({ kind: 'quarter', firstMonth: 7, lastMonth: 9 });
    expect(parsePeriod('2025-07')).toMatchObject({ kind: 'month', firstMonth: 7, lastMonth: 7 });
  });

  it.each(['2025-13', '2025-Q5', '2025-H3', '25', '2025-7', '2025Q1', ''])('refuses %p', (code) => {
    expect(parsePeriod(code)).toBeNull();
  });

  it('lists months and calendar bounds', () => {
    const q1 = parsePeriod('2024-Q1')!;
    expect(periodMonths(q1)).toEqual(['2024-01', '2024-02', '2024-03']);
    expect(monthCount(q1)).toBe(3);
    expect(periodDates(parsePeriod('2024-02')!)).toEqual({ startsOn: '2024-02-01', endsOn: '2024-02-29' });
  });

  it('gives the previous period of the same kind across years', () => {
    expect(previousPeriod(parsePeriod('2025-Q1')!).code).toBe('2024-Q4');
    expect(previousPeriod(parsePeriod('2025-Q3')!).code).toBe('2025-Q2');
    expect(previousPeriod(parsePeriod('2025-H2')!).code).toBe('2025-H1');
    expect(previousPeriod(parsePeriod('2025-01')!).code).toBe('2024-12');
    expect(previousPeriod(parsePeriod('2025')!).code).toBe('2024');
  });

  it('has 19 periods in a year', () => {
    expect(periodsOfYear(2025)).toHaveLength(19);
  });

  it('checks calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-2-01')).toBe(false);
  });
});
