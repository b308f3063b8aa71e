/**
 * The SQL client port the warehouse helpers and the example assets talk to. Two implementations:
 * server Postgres through a `pg` Pool (`pgWarehouse`) and embedded PGlite (`pgliteWarehouse`).
 *
 * Both return the same JavaScript types: `int8` as a number (cast to text beyond 2^53), `numeric`
 * as a string, `date` as a `YYYY-MM-DD` string, `timestamptz` as a Date, `json(b)` parsed.
 */
export interface WarehouseQueryResult<R> {
  readonly rows: R[];
  /** Rows returned (SELECT) or affected (INSERT/UPDATE/DELETE); 0 for DDL. */
  readonly rowCount: number;
}

/** One statement per call; `$1`, `$2`... placeholders take `params`. */
export type WarehouseQuery = <R = Record<string, unknown>>(
  sql: string,
  params?: readonly unknown[],
) => Promise<WarehouseQueryResult<R>>;

/** A transaction in progress. Unusable once the `transaction` callback has settled. */
export interface WarehouseTx {
  readonly query: WarehouseQuery;
}

export interface Warehouse {
  /**
   * Which database this client reaches, without secrets (`postgres://user@host:5432/db`,
   * `pglite:/abs/dir`, `pglite:memory:1`). Two warehouses with the same `database` can read each
   * other's tables in one SQL statement.
   */
  readonly database: string;
  readonly query: WarehouseQuery;
  /**
   * Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws (the error is
   * rethrown). On PGlite, transactions and queries are serialized; calling this warehouse's
   * `query`/`transaction` from inside `fn` would deadlock there and throws instead: use `tx`.
   */
  transaction<T>(fn: (tx: WarehouseTx) => Promise<T>): Promise<T>;
  /** Releases the client. Idempotent. */
  close(): Promise<void>;
}
