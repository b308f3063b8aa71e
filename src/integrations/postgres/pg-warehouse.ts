import { createHash } from 'node:crypto';
import pg from 'pg';
import { ClosedTransactionError } from './closed-transaction-error.js';
import type { Warehouse, WarehouseQuery, WarehouseQueryResult, WarehouseTx } from './warehouse.js';

const INT8_OID = 20;
const DATE_OID = 1082;

/** Parse int8 as a number and date as `YYYY-MM-DD`, like the PGlite warehouse, for this pool only. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID) return Number;
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface PgWarehouseOptions {
  /** `postgres://user:password@host:5432/db`. */
  readonly connectionString: string;
  /** Pool size (default 10). */
  readonly max?: number;
}

/**
 * A Warehouse on server Postgres through its own `pg` Pool. Queries run on any pooled connection;
 * a transaction holds one connection from BEGIN to COMMIT/ROLLBACK.
 */
export function pgWarehouse(options: PgWarehouseOptions): Warehouse {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10, types });
  // An idle connection that dies emits 'error' on the pool; without a listener Node would crash.
  // The pool drops that connection and the next query reports any lasting problem.
  pool.on('error', () => {});
  const database = describePostgresUrl(options.connectionString);
  let closed: Promise<void> | undefined;

  const run = async <R>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) => {
    const result = await client.query(sql, params ? [...params] : undefined);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 } satisfies WarehouseQueryResult<R>;
  };

  return {
    database,
    query: ((sql, params) => run(pool, sql, params)) as WarehouseQuery,
    async transaction<T>(fn: (tx: WarehouseTx) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let open = true;
      let broken = false;
      const tx: WarehouseTx = {
        query: (async (sql: string, params?: readonly unknown[]) => {
          if (!open) throw new ClosedTransactionError(database);
          return run(client, sql, params);
        }) as WarehouseQuery,
      };
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        open = false;
        client.release(broken);
      }
    },
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}

/** `postgres://user@host:port/db` without the password; a hash when the string is not a URL. */
export function describePostgresUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `postgres://${user}${url.hostname}:${url.port || '5432'}${url.pathname || '/'}`;
  } catch {
    return `postgres:${createHash('sha256').update(connectionString).digest('hex').slice(0, 16)}`;
  }
}
