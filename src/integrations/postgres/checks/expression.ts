import { SluiceError } from '../../../core/errors.js';
import { qualified } from '../quote-ident.js';
import { failingRows, rowRuleResult } from './failing-rows.js';
import type { SqlTest } from './sql-test.js';

/**
 * Fails for every row where the boolean SQL `condition` is not true (false or null), e.g.
 * `expression('sgv between 20 and 600')`. The condition is SQL you write, spliced as is: never build
 * it from user input. It runs in a READ ONLY transaction as one statement (a second statement is
 * rejected by the server), so it cannot change data.
 */
export function expression(condition: string): SqlTest {
  if (typeof condition !== 'string' || condition.trim().length === 0) {
    throw new SluiceError('INVALID_DEFINITION', "expression(sql): give a boolean SQL condition, e.g. expression('sgv between 20 and 600')", {});
  }
  const summary = condition.trim();
  return Object.freeze<SqlTest>({
    kind: 'expression',
    summary,
    async run(tx, table) {
      const failing = await failingRows(tx, `select * from ${qualified(table.schema, table.name)} where (${summary}) is not true`, []);
      return rowRuleResult(failing, { table: `${table.schema}.${table.name}`, rule: summary });
    },
  });
}
