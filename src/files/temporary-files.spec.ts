import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
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
    const stale = join(root, '2025', '.street-annual-2025.xlsx.2147483646.0a1b2c3d.tmp');
    // a file with this process's id, older than this process: a predecessor with the same pid (a container's pid 1)
    const predecessor = join(root, '2025', `.street-annual-2025.xlsx.${process.pid}.deadbeef.tmp`);
    const mine = temporaryPathOf(final);
    for (const path of [final, stale, predecessor, mine]) await writeFile(path, 'x');
    await utimes(predecessor, new Date(Date.now() - 86_400_000 - process.uptime() * 1000), new Date(Date.now() - 86_400_000 - process.uptime() * 1000));
    expect(mine).toMatch(new RegExp(`/2025/\\.street-annual-2025\\.xlsx\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(temporaryPathOf(final)).not.toBe(mine);
    expect(await removeStaleTemporaries(root)).toBe(2);
    expect([final, stale, predecessor, mine].map((p) => existsSync(p))).toEqual([true, false, false, true]);
    expect(await removeStaleTemporaries(join(root, 'missing'))).toBe(0);
  });
});
