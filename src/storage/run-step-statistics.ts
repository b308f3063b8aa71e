import { sql } from 'kysely';
import type { StorageDb } from './database.js';

/** Steps written since run_steps' planner statistics were last refreshed, from which they are refreshed again. */
export const ANALYZE_AFTER_STEPS = 1000;

/**
 * Keeps run_steps' planner statistics current for the runs this process writes. PGlite has no
 * autovacuum (server Postgres's comes a minute or more later); without statistics the planner keeps
 * its plans for a small table, and the steps of a large run, or of a backfill's or a sensor's many
 * runs, then start and finish several times slower. Every writer of runs (a run, a backfill, a
 * sensor tick) reports the steps it committed; each ANALYZE_AFTER_STEPS of them, ANALYZE runs once,
 * after the commit.
 */
export class RunStepStatistics {
  readonly #db: StorageDb;
  readonly #schema: string;
  #written = 0;

  /** `db` is bound to `schema`; ANALYZE names the table with it (kysely's schema plugin does not reach raw SQL). */
  constructor(db: StorageDb, schema: string) {
    this.#db = db;
    this.#schema = schema;
  }

  async stepsWritten(count: number): Promise<void> {
    this.#written += count;
    if (this.#written < ANALYZE_AFTER_STEPS) return;
    this.#written = 0;
    await sql.raw(`analyze "${this.#schema}"."run_steps"`).execute(this.#db);
  }
}
