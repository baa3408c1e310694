import { localToInstant, parseDateText, parseDateTime } from './dates.js';

describe('dates and times', () => {
  it('converts wall clocks of zones with daylight saving correctly too', () => {
    const wall = Date.UTC(2025, 6, 1, 12, 0);
    expect(new Date(localToInstant(wall, 'Europe/Berlin')).toISOString()).toBe('2025-07-01T10:00:00.000Z');
    expect(new Date(localToInstant(Date.UTC(2025, 0, 1, 12), 'Europe/Berlin')).toISOString()).toBe('2025-01-01T11:00:00.000Z');
    expect(new Date(localToInstant(wall, 'Asia/Shanghai')).toISOString()).toBe('2025-07-01T04:00:00.000Z');
  });

  it('refuses dates that do not exist', () => {
    expect(parseDateText('2025-02-29')).toBeNull();
    expect(parseDateText('2024-02-29')).toMatchObject({ year: 2024, month: 2, day: 29 });
  });

  it('reads a date-time without an offset as local time of the configured zone, one with an offset as written', () => {
    expect(parseDateTime('2025-03-04 09:30', 'Asia/Shanghai')!.toISOString()).toBe('2025-03-04T01:30:00.000Z');
    expect(parseDateTime('2025-03-04T09:30:00', 'Asia/Shanghai')!.toISOString()).toBe('2025-03-04T01:30:00.000Z');
    expect(parseDateTime('2025-03-04T09:30:00', 'UTC')!.toISOString()).toBe('2025-03-04T09:30:00.000Z');
    expect(parseDateTime('2025-03-04T09:30:00Z', 'Asia/Shanghai')!.toISOString()).toBe('2025-03-04T09:30:00.000Z');
    expect(parseDateTime('2025-03-04T09:30:00+08:00', 'UTC')!.toISOString()).toBe('2025-03-04T01:30:00.000Z');
    expect(parseDateTime('2025-03-04', 'Asia/Shanghai')).toBeNull();
    expect(parseDateTime('yesterday', 'Asia/Shanghai')).toBeNull();
  });
});
