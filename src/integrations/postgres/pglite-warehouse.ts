import { SluiceError } from '../../core/errors.js';
import { ClosedTransactionError } from './closed-transaction-error.js';
import { Mutex } from './mutex.js';
import type { Warehouse, WarehouseQuery, WarehouseTx } from './warehouse.js';

const DATE_OID = 1082;
/** `date` as `YYYY-MM-DD` (PGlite's default is a Date at UTC midnight), like the pg warehouse. */
const parsers = { [DATE_OID]: (value: string) => value };

interface PgliteResults {
  rows: unknown[];
  fields: readonly unknown[];
  affectedRows?: number;
}

/** The structural subset of a PGlite transaction this module uses. */
export interface PgliteQueryable {
  query(sql: string, params?: unknown[], options?: { parsers?: typeof parsers }): Promise<PgliteResults>;
}

/** The structural subset of a PGlite instance this module uses. */
export interface PgliteClient extends PgliteQueryable {
  transaction<T>(fn: (tx: PgliteQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One mutex per PGlite instance, however many Warehouse wrappers share it. */
const mutexes = new WeakMap<PgliteClient, Mutex>();

export interface PgliteWarehouseOptions {
  /** The Warehouse's `database` identity (`pglite:/abs/dir`). */
  readonly database: string;
  /** What close() does (default: close the PGlite instance). */
  readonly close?: () => Promise<void>;
}

/**
 * A Warehouse over an embedded PGlite instance. PGlite is one connection, so every query and
 * transaction runs under a FIFO mutex: concurrent steps never interleave statements inside
 * someone else's transaction. Re-entering from inside a transaction throws WAREHOUSE_REENTRANT.
 */
export function pgliteWarehouse(db: PgliteClient, options: PgliteWarehouseOptions): Warehouse {
  const { database } = options;
  let mutex = mutexes.get(db);
  if (!mutex) mutexes.set(db, (mutex = new Mutex()));
  const lock = mutex;
  let closed: Promise<void> | undefined;

  const run = async (client: PgliteQueryable, sql: string, params?: readonly unknown[]) => {
    const result = await client.query(sql, params ? [...params] : undefined, { parsers });
    const rowCount = result.fields.length > 0 ? result.rows.length : (result.affectedRows ?? 0);
    return { rows: result.rows, rowCount };
  };

  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    if (lock.isHeldHere()) {
      return Promise.reject(
        new SluiceError(
          'WAREHOUSE_REENTRANT',
          `warehouse ${database} was used from inside one of its own transactions, which would deadlock PGlite's single connection: run the query on the transaction's tx argument`,
          { database },
          { kind: 'internal' },
        ),
      );
    }
    return lock.run(fn);
  };

  return {
    database,
    query: ((sql, params) => exclusive(() => run(db, sql, params))) as WarehouseQuery,
    transaction<T>(fn: (tx: WarehouseTx) => Promise<T>): Promise<T> {
      return exclusive(() =>
        db.transaction(async (ptx) => {
          let open = true;
          const tx: WarehouseTx = {
            query: (async (sql: string, params?: readonly unknown[]) => {
              if (!open) throw new ClosedTransactionError(database);
              return run(ptx, sql, params);
            }) as WarehouseQuery,
          };
          try {
            return await fn(tx);
          } finally {
            open = false;
          }
        }),
      );
    },
    close() {
      closed ??= lock.run(() => (options.close ? options.close() : db.close()));
      return closed;
    },
  };
}
