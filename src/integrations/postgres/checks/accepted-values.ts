import { SluiceError } from '../../../core/errors.js';
import { qualified, quoteIdent } from '../quote-ident.js';
import { failingRows, rowRuleResult } from './failing-rows.js';
import type { SqlTest } from './sql-test.js';

/**
 * Fails for every row whose `column` is not one of `values` (nulls pass, as in dbt). The values
 * travel as bind parameters, each typed by Postgres as the column's type, so `'Flat'` and `42`
 * compare the way the column's type compares them and no value is ever spliced into SQL.
 */
export function acceptedValues(column: string, values: ReadonlyArray<string | number | boolean>): SqlTest {
  quoteIdent(column);
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => !['string', 'number', 'boolean'].includes(typeof v))) {
    throw new SluiceError(
      'INVALID_DEFINITION',
      `acceptedValues("${column}", values): values must be a non-empty list of strings, numbers or booleans`,
      { column },
    );
  }
  const accepted = Object.freeze([...new Set(values)]);
  const shown = accepted.length <= 5 ? accepted.map((v) => JSON.stringify(v)).join(', ') : `${accepted.length} values`;
  const summary = `${column} is one of ${shown}`;
  return Object.freeze<SqlTest>({
    kind: 'accepted_values',
    summary,
    async run(tx, table) {
      const placeholders = accepted.map((_, i) => `$${i + 1}`).join(', ');
      const col = quoteIdent(column);
      const failing = await failingRows(
        tx,
        `select * from ${qualified(table.schema, table.name)} where ${col} is not null and ${col} not in (${placeholders})`,
        accepted.map((v) => (typeof v === 'string' ? v : String(v))),
      );
      return rowRuleResult(failing, { table: `${table.schema}.${table.name}`, rule: summary });
    },
  });
}
