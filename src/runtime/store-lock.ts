import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SluiceError } from '../core/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on an embedded store folder (PGlite may be opened by one process only): a file
 * holding the owner's pid, created with O_EXCL; a lock whose owner is dead is taken over. Waits up
 * to `waitMs` for a live owner to let go, then throws naming it.
 */
export async function acquireStoreLock(lockPath: string, waitMs = 5000): Promise<() => void> {
  mkdirSync(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(lockPath, 'utf8'));
    } catch {
      continue; // released between our open and read
    }
    if (!Number.isInteger(owner) || owner === process.pid || !alive(owner)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new SluiceError(
        'STORE_LOCKED',
        `the embedded run store ${dirname(lockPath)} is in use by another sluice process (pid ${owner}); wait for it to finish, or use a server Postgres (SLUICE_DATABASE_URL) for concurrent access`,
        { lockPath, owner },
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
