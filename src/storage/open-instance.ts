import { SluiceError } from '../core/errors.js';
import type { Instance } from './instance.js';
import { KyselyInstance } from './kysely-instance.js';
import { migrateToLatest } from './migrations/migrate-to-latest.js';
import { migrationsKey } from './migrations/static-migration-provider.js';

export type OpenInstanceOptions =
  /** Embedded PGlite in `dataDir` (created if missing); in memory when undefined. Schema `public`. */
  | { readonly kind: 'pglite'; readonly dataDir: string | undefined }
  /** Server Postgres; every table in `schema` (default `public`, created if missing). */
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema?: string };

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Opens the run store and brings its schema up to date. Throws StorageUnavailableError
 * (STORAGE_UNAVAILABLE) when the database cannot be reached or opened, INVALID_STORAGE_SCHEMA for
 * a bad schema name, STORAGE_MIGRATION_FAILED when a migration fails.
 */
export async function openInstance(options: OpenInstanceOptions): Promise<Instance> {
  const schema = options.kind === 'postgres' ? checkSchema(options.schema ?? 'public') : 'public';
  // Each dialect's driver loads only when used: a CLI command on the embedded store never loads pg.
  const db =
    options.kind === 'postgres'
      ? await (await import('./postgres/open-postgres-kysely.js')).openPostgresKysely(options.connectionString)
      : await (await import('./pglite/open-pglite-kysely.js')).openPgliteKysely(options.dataDir, {
          // A new embedded store starts from the dump of a migrated one (schema public, as below).
          key: migrationsKey(),
          prepare: (fresh) => migrateToLatest(fresh, schema),
        });
  try {
    await migrateToLatest(db, schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return new KyselyInstance(db.withSchema(schema), schema, options.kind, () => (closing ??= db.destroy()));
}

/**
 * Imports the code that opening a store of `kind` needs, opening nothing. A process that imports a
 * TypeScript project and then opens the store calls it first: a module imported after the
 * project's loader hooks are registered goes through them, a round trip to the loader thread for
 * each (pg's ~40 CommonJS modules cost a daemon or worker ~0.1 s of CPU that way).
 */
export async function importStoreDriver(kind: OpenInstanceOptions['kind']): Promise<void> {
  if (kind === 'postgres') await (await import('./postgres/open-postgres-kysely.js')).importPg();
  else await (await import('./pglite/create-pglite.js')).importPglite();
}

function checkSchema(schema: string): string {
  if (SCHEMA_NAME.test(schema)) return schema;
  throw new SluiceError(
    'INVALID_STORAGE_SCHEMA',
    `invalid run store schema "${schema}": use up to 63 letters, digits and "_", not starting with a digit (e.g. "sluice")`,
    { schema },
  );
}
