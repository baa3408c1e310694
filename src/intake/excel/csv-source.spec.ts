import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvRows, detectCsvEncoding } from './csv-source.js';

describe('CSV files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-csv-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  const rows = async (path: string, encoding: 'utf-8' | 'gbk' | 'utf-16le') => {
    const result: { number: number; cells: readonly unknown[] }[] = [];
    for await (const row of csvRows(path, encoding)) result.push(row);
    return result;
  };

  it('detects UTF-8 (with or without BOM), UTF-16 and falls back to GBK', async () => {
    expect(await detectCsvEncoding(await file('a.csv', '\uFEFF街道编码,街道名称\n'))).toBe('utf-8');
    expect(await detectCsvEncoding(await file('b.csv', '街道编码,街道名称\n'))).toBe('utf-8');
    expect(await detectCsvEncoding(await file('c.csv', 'code,name\n'))).toBe('utf-8');
    // 街道 in GBK
    expect(await detectCsvEncoding(await file('d.csv', Buffer.from('bdd6b5c02c610a', 'hex')))).toBe('gbk');
    expect(await detectCsvEncoding(await file('e.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\tb\n', 'utf16le')])))).toBe('utf-16le');
  });

  it('reads quoted fields with delimiters, quotes and line breaks, CRLF or LF, and drops the BOM', async () => {
    const path = await file('q.csv', '\uFEFF名称,说明\r\n"金沙, 西区","他说""好""\r\n第二行"\r\n\r\nA,\nB,"x"\n');
    expect(await rows(path, 'utf-8')).toEqual([
      { number: 1, cells: ['名称', '说明'] },
      { number: 2, cells: ['金沙, 西区', '他说"好"\r\n第二行'] },
      { number: 3, cells: [null] },
      { number: 4, cells: ['A', null] },
      { number: 5, cells: ['B', 'x'] },
    ]);
  });

  it('decodes GBK and reads tab-separated UTF-16 text', async () => {
    // 街道编码,街道名称 / S0002,浣花街道
    const gbk = await file('g.csv', Buffer.from('bdd6b5c0b1e0c2eb2cbdd6b5c0c3fbb3c60d0a53303030322ce4bdbba8bdd6b5c00d0a', 'hex'));
    expect(await rows(gbk, 'gbk')).toEqual([
      { number: 1, cells: ['街道编码', '街道名称'] },
      { number: 2, cells: ['S0002', '浣花街道'] },
    ]);
    const utf16 = await file('u.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('街道编码\t街道名称\r\nS1\t草堂\r\n', 'utf16le')]));
    expect((await rows(utf16, 'utf-16le')).map((r) => r.cells)).toEqual([
      ['街道编码', '街道名称'],
      ['S1', '草堂'],
    ]);
  });

  it('streams a large file in chunks without splitting characters or fields', async () => {
    const line = '项目编码,"说明, 含逗号",答案\n';
    const path = await file('big.csv', line.repeat(20_000));
    const result = await rows(path, 'utf-8');
    expect(result).toHaveLength(20_000);
    expect(result.every((r) => r.cells[1] === '说明, 含逗号' && r.cells[2] === '答案')).toBe(true);
  });
});
