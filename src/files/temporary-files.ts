import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Workbooks are written beside their final path under a hidden temporary name that carries the
 * writing process's id and a random part (two writers of one file in one process never share it),
 * and renamed when complete: a reader never sees half a file. A process killed while writing leaves
 * its temporary behind; `removeStaleTemporaries` clears those.
 */
export function temporaryPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

const TEMPORARY = /^\..+\.(\d+)(?:\.[0-9a-f]{8})?\.tmp$/;

/** When this process started: a temporary with its own process id but older is a predecessor's (a container's pid 1). */
const STARTED = Date.now() - process.uptime() * 1000;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporaries under `root` whose writing process no longer runs; returns how many. */
export async function removeStaleTemporaries(root: string): Promise<number> {
  let removed = 0;
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true, recursive: true });
  } catch {
    return 0; // no reports folder yet
  }
  for (const entry of entries) {
    const match = entry.isFile() ? TEMPORARY.exec(entry.name) : null;
    if (!match) continue;
    const path = join(entry.parentPath, entry.name);
    const pid = Number(match[1]);
    const stale = pid === process.pid ? (await stat(path)).mtimeMs < STARTED : !running(pid);
    if (!stale) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}
