import { sql, type Kysely } from 'kysely';
import { SluiceError } from '../../core/errors.js';
import { MIGRATION_NAMES, StaticMigrationProvider } from './static-migration-provider.js';

/**
 * The bookkeeping of kysely's Migrator, kept as it is: stores migrated by it (earlier Sluice
 * versions, the upgrade tests) and by this function are the same, and either may open the other's.
 */
const MIGRATION_TABLE = 'kysely_migration';
const MIGRATION_LOCK_TABLE = 'kysely_migration_lock';
const MIGRATION_LOCK_ROW = 'migration_lock';
/** kysely's Postgres migration lock: a session advisory lock shared by every schema of the database. */
const MIGRATION_LOCK_KEY = '3853314791062309107';

/**
 * Applies every pending migration to `schema` (creating the schema if missing), under kysely's
 * migration lock so concurrent openers are safe, in one transaction (a failed pass leaves nothing
 * behind). Throws SluiceError STORAGE_MIGRATION_FAILED naming the migration that failed.
 *
 * This is kysely's Migrator.migrateToLatest for Postgres without its catalog introspection: it
 * looks for its two tables by reading every column of every table of the database (twice), which
 * was ~70% of migrating a fresh schema on a server holding other schemas (~0.45 s of ~0.65 s) and
 * ~70 ms of a fresh embedded store. Here the schema and tables are made with `if not exists` while
 * holding the lock, so no two openers race to create them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, schema: string): Promise<void> {
  if (await isCurrent(db, schema)) return;
  let running: string | undefined;
  try {
    await db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${sql.lit(BigInt(MIGRATION_LOCK_KEY))})`.execute(conn);
      try {
        await conn.transaction().execute(async (trx) => {
          await trx.schema.createSchema(schema).ifNotExists().execute();
          const own = trx.withSchema(schema);
          await own.schema
            .createTable(MIGRATION_TABLE)
            .ifNotExists()
            .addColumn('name', 'varchar(255)', (col) => col.notNull().primaryKey())
            .addColumn('timestamp', 'varchar(255)', (col) => col.notNull())
            .execute();
          await own.schema
            .createTable(MIGRATION_LOCK_TABLE)
            .ifNotExists()
            .addColumn('id', 'varchar(255)', (col) => col.notNull().primaryKey())
            .addColumn('is_locked', 'integer', (col) => col.notNull().defaultTo(0))
            .execute();
          await own
            .insertInto(MIGRATION_LOCK_TABLE)
            .values({ id: MIGRATION_LOCK_ROW, is_locked: 0 })
            .onConflict((oc) => oc.column('id').doNothing())
            .execute();
          const executed = await own.selectFrom(MIGRATION_TABLE).select(['name', 'timestamp']).execute();
          const pending = pendingMigrations(executed as Array<{ name: string; timestamp: string }>);
          const migrations = await new StaticMigrationProvider(schema).getMigrations();
          for (const name of pending) {
            running = name;
            await migrations[name]!.up(trx);
            await own.insertInto(MIGRATION_TABLE).values({ name, timestamp: new Date().toISOString() }).execute();
          }
          running = undefined;
        });
      } finally {
        await sql`select pg_advisory_unlock(${sql.lit(BigInt(MIGRATION_LOCK_KEY))})`.execute(conn);
      }
    });
  } catch (error) {
    if (error instanceof SluiceError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SluiceError(
      'STORAGE_MIGRATION_FAILED',
      `migrating the run store (schema "${schema}")${running ? ` failed at ${running}` : ' failed'}: ${reason}`,
      { schema, migration: running ?? null },
      { kind: 'internal', cause: error },
    );
  }
}

/**
 * The migrations still to apply, in order, after checking what the store recorded as kysely's
 * Migrator does: every applied migration must be known, and they must be the first ones in order
 * (a store written by a newer Sluice, or a damaged table, fails instead of being migrated).
 */
function pendingMigrations(executed: ReadonlyArray<{ name: string; timestamp: string }>): string[] {
  const applied = [...executed]
    .sort((a, b) => new Date(a.timestamp).getTime() - new Date(b.timestamp).getTime() || a.name.localeCompare(b.name))
    .map((row) => row.name);
  for (const [i, name] of applied.entries()) {
    if (!MIGRATION_NAMES.includes(name)) throw new Error(`corrupted migrations: previously executed migration ${name} is missing`);
    if (MIGRATION_NAMES[i] !== name) {
      throw new Error(`corrupted migrations: expected previously executed migration ${name} to be at index ${i} but ${MIGRATION_NAMES[i]} was found in its place`);
    }
  }
  return MIGRATION_NAMES.slice(applied.length);
}

/**
 * Whether every migration is already applied, read without the migration lock: most opens find a
 * current store, and each CLI command opens one. A missing table or schema, or any migration not
 * recorded, answers false and the migrations run as usual.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function isCurrent(db: Kysely<any>, schema: string): Promise<boolean> {
  try {
    const table = sql.table(`${schema}.${MIGRATION_TABLE}`);
    const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
    const applied = new Set(rows.map((row) => row.name));
    return MIGRATION_NAMES.every((name) => applied.has(name)) && applied.size === MIGRATION_NAMES.length;
  } catch {
    return false;
  }
}
