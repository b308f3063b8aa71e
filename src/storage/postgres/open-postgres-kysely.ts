import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../database.js';
import { StorageUnavailableError } from '../storage-unavailable-error.js';
import { describeTarget } from './describe-target.js';
import { preparingPool } from './preparing-pool.js';

const CONNECT_TIMEOUT_MS = 10_000;

/** The pg driver, loaded on the first open (a command on the embedded store never loads it). */
export function importPg(): Promise<typeof import('pg')> {
  return import('pg');
}

/**
 * A kysely over a pg Pool, after one successful connection: an unreachable server, a refused login
 * or a missing database fail here with StorageUnavailableError instead of at the first query.
 */
export async function openPostgresKysely(connectionString: string): Promise<Kysely<Database>> {
  const { default: pg } = await importPg();
  const pool = new pg.Pool({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client that loses its server is dropped by the pool and the next query reports the
  // problem; without a listener the 'error' event would crash the process instead.
  pool.on('error', () => {});
  // The pool listens for errors only on idle clients. A checked-out client whose connection dies
  // (server restart, network cut) fails its query, and also emits 'error', which would crash the
  // process; the failed query already reports the problem, so the event is ignored here too.
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StorageUnavailableError(
      describeTarget(connectionString),
      reasonOf(error),
      'check that Postgres is running (`docker compose up -d postgres`) and that SLUICE_DATABASE_URL points at it',
      error,
    );
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}

/** A short reason: the socket error code, or pg's message (which never contains the password). */
function reasonOf(error: unknown): string {
  const inner = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const code = (inner as { code?: unknown }).code;
  const message = inner instanceof Error ? inner.message : String(inner);
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  return message || 'connection failed';
}
