import { readCell, type CellInput } from './cells.js';
import type { CellType, ColumnSpec } from './families.js';

const column = (type: CellType, required = true): ColumnSpec => ({ field: 'f', header: '列', type, required, width: 10 });
const options = { timeZone: 'Asia/Shanghai' };
const read = (type: CellType, input: CellInput, required = true) => readCell(column(type, required), input, options);
const value = (type: CellType, input: CellInput) => {
  const result = read(type, input);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
};
const code = (type: CellType, input: CellInput, required = true) => {
  const result = read(type, input, required);
  return result.ok ? 'ok' : result.code;
};

describe('reading cells', () => {
  it('reads local date-times as Asia/Shanghai (UTC+8, no daylight saving) whatever the form', () => {
    const datetime = { kind: 'datetime' } as const;
    const expected = '2025-03-04T01:30:00.000Z';
    // exceljs hands a date cell over as a Date whose UTC fields are the wall clock
    expect((value(datetime, new Date(Date.UTC(2025, 2, 4, 9, 30))) as Date).toISOString()).toBe(expected);
    // the same cell read without styles: an Excel serial number
    expect((value(datetime, 45720 + 9.5 / 24) as Date).toISOString()).toBe(expected);
    expect((value(datetime, '2025-03-04 09:30') as Date).toISOString()).toBe(expected);
    expect((value(datetime, '2025/3/4 9:30:00') as Date).toISOString()).toBe(expected);
    expect((value(datetime, '2025年3月4日 09:30') as Date).toISOString()).toBe(expected);
    expect((value(datetime, '2025-03-04T09:30:00+08:00') as Date).toISOString()).toBe(expected);
    expect((value(datetime, '2025-03-04T01:30:00Z') as Date).toISOString()).toBe(expected);
    // midnight crosses the date line back to the previous UTC day; summer is no different
    expect((value(datetime, '2025-01-01 00:00') as Date).toISOString()).toBe('2024-12-31T16:00:00.000Z');
    expect((value(datetime, '2025-07-15 12:00') as Date).toISOString()).toBe('2025-07-15T04:00:00.000Z');
    // a float that Excel stores a second short is rounded to the second
    expect((value(datetime, new Date(Date.UTC(2025, 2, 4, 9, 29, 59, 999))) as Date).toISOString()).toBe(expected);
    expect(code(datetime, '2025-03-04')).toBe('CELL_DATETIME_INVALID');
    expect(code(datetime, '2025-02-30 10:00')).toBe('CELL_DATETIME_INVALID');
    expect(code(datetime, '2025-03-04 24:10')).toBe('CELL_DATETIME_INVALID');
    expect(code(datetime, '明天上午')).toBe('CELL_DATETIME_INVALID');
  });

  it('reads dates and months in the forms people type', () => {
    const date = { kind: 'date' } as const;
    expect(value(date, new Date(Date.UTC(2025, 4, 12)))).toBe('2025-05-12');
    expect(value(date, '2025/5/12')).toBe('2025-05-12');
    expect(value(date, '2025年5月12日')).toBe('2025-05-12');
    expect(value(date, '2025-05-12 00:00:00')).toBe('2025-05-12');
    expect(code(date, '2025-05-12 10:00')).toBe('CELL_DATE_INVALID');
    expect(code(date, '2025-13-01')).toBe('CELL_DATE_INVALID');
    const month = { kind: 'month' } as const;
    expect(value(month, '2025-07')).toBe('2025-07');
    expect(value(month, '2025/7')).toBe('2025-07');
    expect(value(month, '2025年7月')).toBe('2025-07');
    expect(value(month, 202507)).toBe('2025-07');
    expect(value(month, new Date(Date.UTC(2025, 6, 1)))).toBe('2025-07');
    // left for the intake to refuse with its own message
    expect(value(month, '七月')).toBe('七月');
    expect(value({ kind: 'period' }, '2025-q3')).toBe('2025-Q3');
    expect(value({ kind: 'period', yearOnly: true }, 2025)).toBe('2025');
  });

  it('reads numbers, refusing text; codes as text, refusing long numbers Excel has rounded', () => {
    const integer = { kind: 'integer' } as const;
    expect(value(integer, 12)).toBe(12);
    expect(value(integer, ' 1,234 ')).toBe(1234);
    expect(value(integer, '１２')).toBe(12);
    expect(value({ kind: 'decimal', decimals: 2 }, '120,000.50')).toBe(120000.5);
    expect(code(integer, '十二')).toBe('CELL_NOT_NUMBER');
    expect(code(integer, true)).toBe('CELL_NOT_NUMBER');
    expect(value({ kind: 'integer', flags: true }, '是')).toBe(1);
    expect(value({ kind: 'code' }, 510104001)).toBe('510104001');
    expect(value({ kind: 'code' }, ' XM 0001 ')).toBe('XM0001');
    expect(value({ kind: 'uscc' }, '91510104mA61xxxx0q')).toBe('91510104MA61XXXX0Q');
    expect(code({ kind: 'uscc' }, 915101041234567800)).toBe('CELL_CODE_AS_NUMBER');
    expect(value({ kind: 'text' }, '  锦江花园 ')).toBe('锦江花园');
    // text that looks like a formula is text
    expect(value({ kind: 'text' }, '=HYPERLINK("http://x","y")')).toBe('=HYPERLINK("http://x","y")');
  });

  it('reads choices by Chinese label or code, and flags', () => {
    const channel = { kind: 'choice', options: { door_to_door: '入户', online: '线上' } } as const;
    expect(value(channel, '入户')).toBe('door_to_door');
    expect(value(channel, 'online')).toBe('online');
    expect(value(channel, ' 线上 ')).toBe('online');
    const unknown = read(channel, '电话');
    expect(unknown).toEqual({ ok: false, code: 'CELL_UNKNOWN_OPTION', message: '“列”的值“电话”不在可选范围内（入户、线上）' });
    expect(value({ kind: 'flag' }, '是')).toBe(true);
    expect(value({ kind: 'flag' }, '否')).toBe(false);
    expect(value({ kind: 'flag' }, true)).toBe(true);
    expect(value({ kind: 'flag' }, 0)).toBe(false);
    expect(code({ kind: 'flag' }, '也许')).toBe('CELL_FLAG_INVALID');
  });

  it('never evaluates a formula: its cached result is read, none is a fault; error values are faults', () => {
    const integer = { kind: 'integer' } as const;
    expect(value(integer, { formula: 'A1+1', result: 5 })).toBe(5);
    expect(read(integer, { formula: 'A1+1' })).toEqual({ ok: false, code: 'CELL_FORMULA', message: '“列”单元格含公式，请粘贴为数值' });
    expect(code(integer, { formula: 'A1+1', result: Number.NaN })).toBe('CELL_FORMULA');
    expect(code(integer, { error: '#N/A' })).toBe('CELL_ERROR_VALUE');
  });

  it('an empty required cell is a fault; an empty optional cell is null', () => {
    expect(code({ kind: 'text' }, null)).toBe('REQUIRED');
    expect(code({ kind: 'text' }, '   ')).toBe('REQUIRED');
    expect(read({ kind: 'text' }, null, false)).toEqual({ ok: true, value: null });
  });
});
