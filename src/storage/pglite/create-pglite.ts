import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { cacheDir } from '../../core/cache-dir.js';
import { extractTar } from './extract-tar.js';

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
 * What every new cluster of one kind is brought to before use (the run store: migrated), kept as a
 * template of its own: a new store then starts from the dump of a prepared cluster instead of
 * preparing itself (the run store's migrations cost ~0.25 s of CPU per new store).
 */
export interface PreparedTemplate {
  /** What `prepare` does, in full (the migrations' names and code): a template made by another never serves. */
  readonly key: string;
  /** Brings a new cluster to the state every store of this kind starts in; a failure leaves it as it was. */
  prepare(pglite: PGlite): Promise<void>;
}

/**
 * PGlite over `dataDir` (in memory when undefined). A data directory that already holds a database
 * opens as it is. A new one starts from a dump of a freshly initialized cluster, kept in the cache
 * folder: PGlite's initdb costs ~3 s of CPU per new directory, loading the dump ~1 s. The first new
 * store of a machine makes the dump (right after initdb, before anything is written to it); a
 * missing, unreadable or damaged dump only means initdb runs again. Written to a temporary name and
 * renamed, so concurrent processes never read half a dump.
 *
 * With `prepared`, a new store starts from the dump of a cluster `prepared.prepare` brought up to
 * date instead (made the same way by the first new store after initdb's template, right after
 * preparing it), so it needs no preparing itself.
 */
export async function createPglite(dataDir: string | undefined, env: NodeJS.ProcessEnv = process.env, prepared?: PreparedTemplate): Promise<PGlite> {
  const { PGlite } = await importPglite();
  if (dataDir !== undefined && existsSync(join(dataDir, 'PG_VERSION'))) return PGlite.create(dataDir);
  if (env.SLUICE_PGLITE_TEMPLATE === 'off') return PGlite.create(dataDir);
  if (prepared === undefined) return fromTemplate(dataDir, templatePath(env));
  return fromTemplate(dataDir, preparedTemplatePath(prepared.key, env), {
    base: templatePath(env),
    // A failed prepare keeps no dump and leaves the store as it was: its opener meets the failure again.
    prepare: (pglite) => prepared.prepare(pglite).then(
      () => true,
      () => false,
    ),
  });
}

/** The prepared template for `key`, beside the initdb template. */
export function preparedTemplatePath(key: string, env: NodeJS.ProcessEnv = process.env): string {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return join(cacheDir(env, homedir()), TEMPLATE.replace(/-initdb\.tar$/, `-prepared-${digest}.tar`));
}

/**
 * A new store from the dump at `path`. Without one (or with a damaged one, then dropped): a new store
 * from the dump at `options.base` when given, else by initdb; then `options.prepare` runs on it, and
 * unless it answers false the new cluster's dump is saved at `path`.
 */
async function fromTemplate(
  dataDir: string | undefined,
  path: string,
  options: { base?: string; prepare?: (pglite: PGlite) => Promise<boolean> } = {},
): Promise<PGlite> {
  const { PGlite } = await importPglite();
  const dump = await readFile(path).catch(() => undefined);
  if (dump) {
    try {
      return await fromDump(dataDir, dump);
    } catch {
      // A damaged template: drop it, start this store the slow way, and make a new one below.
      await rm(path, { force: true });
      if (dataDir !== undefined) await emptyDir(dataDir);
    }
  }
  const pglite = options.base === undefined ? await PGlite.create(dataDir) : await fromTemplate(dataDir, options.base);
  if ((await options.prepare?.(pglite)) !== false) await saveTemplate(pglite, path).catch(() => {});
  return pglite;
}

/**
 * A new store from a dump: a data directory is extracted here and opened as an existing one, in
 * memory PGlite loads it. A dump this reader does not take, or a cluster that does not open so,
 * goes through PGlite's own loader instead, which fails on a damaged dump.
 */
async function fromDump(dataDir: string | undefined, dump: Uint8Array<ArrayBuffer>): Promise<PGlite> {
  const { PGlite } = await importPglite();
  if (dataDir !== undefined) {
    try {
      extractTar(dump, dataDir);
      if (!existsSync(join(dataDir, 'PG_VERSION'))) throw new Error('the dump holds no cluster');
      return await PGlite.create(dataDir);
    } catch {
      await emptyDir(dataDir);
    }
  }
  return PGlite.create(dataDir, { loadDataDir: new Blob([dump]) });
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
