import type { Warehouse } from '../../postgres/warehouse.js';

/** How many sample rows of a failing test are kept as metadata. */
export const SAMPLE_ROWS = 5;

export interface TestQueryResult {
  /** Rows the test query returns: dbt's failure count. */
  readonly failures: number;
  /** Up to SAMPLE_ROWS of them. */
  readonly sample: Array<Record<string, unknown>>;
}

/**
 * Runs a test's SELECT of failing rows: their count and a sample, read from one snapshot (a
 * read-only repeatable-read transaction), so the sample belongs to the count.
 */
export async function runTestQuery(warehouse: Warehouse, sql: string): Promise<TestQueryResult> {
  return warehouse.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read, read only');
    const { rows } = await tx.query<{ failures: number }>(`select count(*)::int as failures from (\n${sql}\n) dbt_internal_test`);
    const failures = rows[0]!.failures;
    const sample = failures === 0 ? [] : (await tx.query(`select * from (\n${sql}\n) dbt_internal_test limit ${SAMPLE_ROWS}`)).rows;
    return { failures, sample };
  });
}
