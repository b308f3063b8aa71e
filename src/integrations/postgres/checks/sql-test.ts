import type { CheckResult } from '../../../core/checks/check-definition.js';
import type { WarehouseTx } from '../warehouse.js';

/** The table a SQL test audits: `{ schema: 'dev', name: 'raw_entries' }`. */
export interface CheckedTable {
  readonly schema: string;
  readonly name: string;
}

/**
 * One data test over a Postgres table (`notNull(['sgv'])`, `unique(['date'])`, ...), built by the
 * helpers in this folder. Frozen data: `run` is called inside a READ ONLY transaction, so a test
 * can never change the data it audits.
 */
export interface SqlTest {
  /** `not_null`, `unique`, `accepted_values`, `row_count`, `freshness`, `relationships`, `expression`. */
  readonly kind: string;
  /** What must hold, for the check's description: `sgv is never null`. */
  readonly summary: string;
  run(tx: WarehouseTx, table: CheckedTable): Promise<CheckResult>;
}

/** How many failing rows a result carries as a sample. */
export const SAMPLE_SIZE = 5;
