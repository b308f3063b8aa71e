import { Migrator, sql, type Kysely } from 'kysely';
import { SluiceError } from '../../core/errors.js';
import { MIGRATION_NAMES, StaticMigrationProvider } from './static-migration-provider.js';

/**
 * SQLSTATEs of a catalog race, not of a broken store: kysely's migrator looks for its tables by
 * introspecting every table of the database, and a schema or table that another client drops at
 * that moment fails the lookup (invalid_schema_name, undefined_table). A retry sees a settled catalog.
 */
const CATALOG_RACE = new Set(['3F000', '42P01']);
const ATTEMPTS = 5;

/**
 * Applies every pending migration to `schema` (creating the schema if missing), under kysely's
 * migration lock so concurrent openers are safe. Throws SluiceError STORAGE_MIGRATION_FAILED naming
 * the migration that failed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, schema: string): Promise<void> {
  if (await isCurrent(db, schema)) return;
  for (let attempt = 1; ; attempt++) {
    const migrator = new Migrator({ db, provider: new StaticMigrationProvider(schema), migrationTableSchema: schema });
    const { error, results } = await migrator.migrateToLatest();
    if (error === undefined) return;
    // Postgres runs the migrations in one transaction, so a failed pass left nothing behind.
    const code = (error as { code?: unknown }).code;
    if (attempt < ATTEMPTS && typeof code === 'string' && CATALOG_RACE.has(code)) {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      continue;
    }
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SluiceError(
      'STORAGE_MIGRATION_FAILED',
      `migrating the run store (schema "${schema}")${failed ? ` failed at ${failed}` : ' failed'}: ${reason}`,
      { schema, migration: failed ?? null },
      { kind: 'internal', cause: error },
    );
  }
}

/**
 * Whether every migration is already applied, read without kysely's migration lock (a Postgres
 * advisory lock shared by every schema of the database) and without its catalog introspection:
 * most opens find a current store, and each CLI command opens one. A missing table or schema, or
 * any migration not recorded, answers false and the migrator runs as usual.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function isCurrent(db: Kysely<any>, schema: string): Promise<boolean> {
  try {
    const table = sql.table(`${schema}.kysely_migration`);
    const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
    const applied = new Set(rows.map((row) => row.name));
    return MIGRATION_NAMES.every((name) => applied.has(name)) && applied.size === MIGRATION_NAMES.length;
  } catch {
    return false;
  }
}
