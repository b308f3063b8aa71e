import { mkdir } from 'node:fs/promises';
import { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { StorageUnavailableError } from '../storage-unavailable-error.js';
import { createPglite } from './create-pglite.js';
import { PGliteDialect } from './pglite-dialect.js';

/**
 * A kysely over PGlite in `dataDir` (created if missing), or in memory when it is undefined. A new
 * store starts from the template of stores `prepared` (see createPglite) when given.
 */
export async function openPgliteKysely(
  dataDir: string | undefined,
  prepared?: { readonly key: string; prepare(db: Kysely<Database>): Promise<void> },
): Promise<Kysely<Database>> {
  const target = dataDir ?? 'memory';
  try {
    if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
    const pglite = await createPglite(
      dataDir,
      process.env,
      // Its own kysely, left open: destroying it would close the store's PGlite.
      prepared && { key: prepared.key, prepare: (fresh) => prepared.prepare(new Kysely<Database>({ dialect: new PGliteDialect({ pglite: fresh }) })) },
    );
    return new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  } catch (error) {
    throw new StorageUnavailableError(
      `${target} (PGlite)`,
      error instanceof Error ? error.message : String(error),
      'check that the directory is writable and that no other process has it open; move a damaged store aside to start afresh',
      error,
    );
  }
}
