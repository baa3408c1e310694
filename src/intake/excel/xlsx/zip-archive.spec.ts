import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { zipOf } from '../../../../test/support/zip.js';
import { ZipArchive, ZipReadError } from './zip-archive.js';

describe('reading zip parts within a budget', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redprop-zip-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const archiveOf = async (bytes: Buffer, budget = { maxPartBytes: 1 << 20, maxTotalBytes: 2 << 20 }) => {
    const path = join(dir, `${Math.random().toString(36).slice(2)}.zip`);
    await writeFile(path, bytes);
    return ZipArchive.open(path, budget);
  };
  const failure = async (archive: ZipArchive, name: string) => {
    try {
      await archive.readAll(name);
    } catch (error) {
      return error as ZipReadError;
    } finally {
      archive.close();
    }
    throw new Error('read did not fail');
  };

  it('reads parts by name, case-insensitively, whatever the order of the directory', async () => {
    const archive = await archiveOf(
      zipOf([
        { name: 'b/Two.xml', content: '二', method: 'deflate' },
        { name: 'a.xml', content: 'one' },
      ]),
    );
    expect(archive.list().map((p) => p.name)).toEqual(['b/Two.xml', 'a.xml']);
    expect((await archive.readAll('B/two.XML')).toString()).toBe('二');
    archive.close();
  });

  it('stops a part whose directory understates its size at the first byte over it', async () => {
    const big = Buffer.alloc(8 << 20, 0x61);
    const error = await failure(await archiveOf(zipOf([{ name: 'lie.xml', content: big, method: 'deflate', declaredSize: 4096 }])), 'lie.xml');
    expect(error).toBeInstanceOf(ZipReadError);
    expect(error.part).toBe('lie.xml');
  });

  it('counts actual bytes against the part and file budgets', async () => {
    const honest = Buffer.alloc(600 << 10, 0x61);
    const part = await failure(
      await archiveOf(zipOf([{ name: 'p.xml', content: honest, method: 'deflate' }]), { maxPartBytes: 500 << 10, maxTotalBytes: 2 << 20 }),
      'p.xml',
    );
    expect(part.overBudget).toMatchObject({ scope: 'part', limit: 500 << 10 });
    const archive = await archiveOf(zipOf([1, 2, 3, 4].map((i) => ({ name: `p${i}.xml`, content: honest, method: 'deflate' as const }))), {
      maxPartBytes: 1 << 20,
      maxTotalBytes: 2 << 20,
    });
    for (const i of [1, 2, 3]) await archive.readAll(`p${i}.xml`);
    // reading a part again does not count twice
    await archive.readAll('p1.xml');
    const total = await failure(archive, 'p4.xml');
    expect(total.overBudget).toMatchObject({ scope: 'file', limit: 2 << 20 });
  });

  it('refuses a part that is short, cut off, or corrupt', async () => {
    const content = Buffer.from('<x>'.repeat(1000));
    expect(
      (await failure(await archiveOf(zipOf([{ name: 's.xml', content, method: 'deflate', declaredSize: content.length + 10 }])), 's.xml')).message,
    ).toMatch(/s\.xml/);
    expect(
      await failure(await archiveOf(zipOf([{ name: 't.xml', content, method: 'deflate', data: deflateRawSync(content).subarray(0, 10) }])), 't.xml'),
    ).toBeInstanceOf(ZipReadError);
    expect((await failure(await archiveOf(zipOf([{ name: 'c.xml', content, crc: 1 }])), 'c.xml')).message).toMatch(/CRC-32/);
  });

  it('refuses what is not a zip', async () => {
    const path = join(dir, 'not.zip');
    await writeFile(path, 'just text, no central directory');
    await expect(ZipArchive.open(path, { maxPartBytes: 1, maxTotalBytes: 1 })).rejects.toThrow(ZipReadError);
  });
});
