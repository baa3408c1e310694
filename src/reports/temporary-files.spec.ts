import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleTemporaries, temporaryPathOf } from './temporary-files.js';

describe('temporary workbook files', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'redprop-tmp-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('removes what a stopped process left, and nothing else', async () => {
    await mkdir(join(root, '2025'), { recursive: true });
    const final = join(root, '2025', 'street-annual-2025.xlsx');
    const stale = join(root, '2025', '.street-annual-2025.xlsx.2147483646.tmp');
    const mine = temporaryPathOf(final);
    for (const path of [final, stale, mine]) await writeFile(path, 'x');
    expect(mine).toBe(join(root, '2025', `.street-annual-2025.xlsx.${process.pid}.tmp`));
    expect(await removeStaleTemporaries(root)).toBe(1);
    expect([final, stale, mine].map((p) => existsSync(p))).toEqual([true, false, true]);
    expect(await removeStaleTemporaries(join(root, 'missing'))).toBe(0);
  });
});
