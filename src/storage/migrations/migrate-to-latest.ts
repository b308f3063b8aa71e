import { Migrator, type Kysely } from 'kysely';
import { SluiceError } from '../../core/errors.js';
import { StaticMigrationProvider } from './static-migration-provider.js';

/**
 * Applies every pending migration to `schema` (creating the schema if missing), under kysely's
 * migration lock so concurrent openers are safe. Throws SluiceError STORAGE_MIGRATION_FAILED naming
 * the migration that failed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, schema: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(schema), migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const reason = error instanceof Error ? error.message : String(error);
  throw new SluiceError(
    'STORAGE_MIGRATION_FAILED',
    `migrating the run store (schema "${schema}")${failed ? ` failed at ${failed}` : ' failed'}: ${reason}`,
    { schema, migration: failed ?? null },
    { kind: 'internal', cause: error },
  );
}
