import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Workbooks are written beside their final path under a hidden temporary name that carries the
 * writing process's id, and renamed when complete: a reader never sees half a file. A process
 * killed while writing leaves its temporary behind; `removeStaleTemporaries` clears those.
 */
export function temporaryPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

const TEMPORARY = /^\..+\.(\d+)\.tmp$/;

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
    if (!match || running(Number(match[1]))) continue;
    await rm(join(entry.parentPath, entry.name), { force: true });
    removed++;
  }
  return removed;
}
