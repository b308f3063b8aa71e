import { SluiceError } from '../../../core/errors.js';
import { qualified } from '../quote-ident.js';
import type { SqlTest } from './sql-test.js';

/**
 * Fails when the table's row count is below `min` or above `max` (either optional, both inclusive).
 * A rule on the whole table, so there are no failing rows to sample: metadata is row_count, min, max.
 */
export function rowCount(bounds: { readonly min?: number; readonly max?: number }): SqlTest {
  const { min, max } = bounds ?? {};
  const valid = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 0);
  if ((min === undefined && max === undefined) || !valid(min) || !valid(max) || (min !== undefined && max !== undefined && min > max)) {
    throw new SluiceError('INVALID_DEFINITION', 'rowCount({ min, max }): give min and/or max, whole numbers >= 0 with min <= max', { min, max });
  }
  const summary = min !== undefined && max !== undefined ? `has ${min} to ${max} rows` : min !== undefined ? `has at least ${min} rows` : `has at most ${max} rows`;
  return Object.freeze<SqlTest>({
    kind: 'row_count',
    summary,
    async run(tx, table) {
      const { rows } = await tx.query<{ n: string }>(`select count(*)::text as n from ${qualified(table.schema, table.name)}`);
      const count = Number(rows[0]!.n);
      const passed = (min === undefined || count >= min) && (max === undefined || count <= max);
      return {
        passed,
        description: `${table.schema}.${table.name} has ${count} rows${passed ? '' : ` (expected: ${summary.slice(4)})`}`,
        metadata: { row_count: count, min: min ?? null, max: max ?? null },
      };
    },
  });
}
