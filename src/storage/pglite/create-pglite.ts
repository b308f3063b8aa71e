import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { cacheDir } from '../../core/cache-dir.js';

/** Bump with the @electric-sql/pglite version: a template is a data directory of one Postgres build. */
const TEMPLATE = 'pglite-0.5.16-initdb.tar';

/**
 * Where the template lives: a per-user cache folder (SLUICE_CACHE_DIR, else $XDG_CACHE_HOME/sluice,
 * else ~/.cache/sluice), never a shared temp folder another user could write.
 */
export function templatePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env, homedir()), TEMPLATE);
}

/** PGlite's code, loaded on the first open (a command that opens no embedded store never loads it). */
export function importPglite(): Promise<typeof import('@electric-sql/pglite')> {
  return import('@electric-sql/pglite');
}

/**
 * PGlite over `dataDir` (in memory when undefined). A data directory that already holds a database
 * opens as it is. A new one starts from a dump of a freshly initialized cluster, kept in the cache
 * folder: PGlite's initdb costs ~3 s of CPU per new directory, loading the dump ~1 s. The first new
 * store of a machine makes the dump (right after initdb, before anything is written to it); a
 * missing, unreadable or damaged dump only means initdb runs again. Written to a temporary name and
 * renamed, so concurrent processes never read half a dump.
 */
export async function createPglite(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<PGlite> {
  const { PGlite } = await importPglite();
  if (dataDir !== undefined && existsSync(join(dataDir, 'PG_VERSION'))) return PGlite.create(dataDir);
  if (env.SLUICE_PGLITE_TEMPLATE === 'off') return PGlite.create(dataDir);
  const path = templatePath(env);
  const dump = await readFile(path).catch(() => undefined);
  if (dump) {
    try {
      return await PGlite.create(dataDir, { loadDataDir: new Blob([dump]) });
    } catch {
      // A damaged template: drop it, start this store the slow way, and make a new one below.
      await rm(path, { force: true });
      if (dataDir !== undefined) await emptyDir(dataDir);
    }
  }
  const pglite = await PGlite.create(dataDir);
  await saveTemplate(pglite, path).catch(() => {});
  return pglite;
}

async function saveTemplate(pglite: PGlite, path: string): Promise<void> {
  const dump = await pglite.dumpDataDir('none');
  const dir = join(path, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const partial = `${path}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
  await rename(partial, path);
}

async function emptyDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}
