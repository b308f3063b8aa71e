/**
 * The part of PGlite the dialect uses, declared structurally so the dialect neither imports PGlite
 * nor breaks when PGlite's own types move. `PGlite` from `@electric-sql/pglite` satisfies it.
 */
export interface PGliteLike {
  query<R>(sql: string, params?: unknown[]): Promise<PGliteResults<R>>;
  close(): Promise<void>;
}

export interface PGliteResults<R> {
  readonly rows: R[];
  /** Rows changed by INSERT, UPDATE, DELETE or MERGE. */
  readonly affectedRows?: number;
  /** The command tag: `SELECT`, `INSERT`, `UPDATE`... */
  readonly command?: string;
}
