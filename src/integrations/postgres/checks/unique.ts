import { qualified, quoteIdent } from '../quote-ident.js';
import { failingRows, rowRuleResult } from './failing-rows.js';
import { columnList } from './not-null.js';
import type { SqlTest } from './sql-test.js';

/**
 * Fails when two rows share a value of `columns` (together). Rows with a null in any of them are
 * ignored, as a Postgres UNIQUE constraint ignores them. failing_rows counts every row involved;
 * the sample lists duplicated keys with their `occurrences`.
 */
export function unique(columns: readonly string[]): SqlTest {
  const cols = columnList('unique', columns);
  const summary = `${cols.join(', ')} ${cols.length === 1 ? 'is' : 'are'} unique`;
  return Object.freeze<SqlTest>({
    kind: 'unique',
    summary,
    async run(tx, table) {
      const list = cols.map(quoteIdent).join(', ');
      const notNull = cols.map((c) => `${quoteIdent(c)} is not null`).join(' and ');
      const groups = `select ${list}, count(*)::int as occurrences from ${qualified(table.schema, table.name)} where ${notNull} group by ${list} having count(*) > 1`;
      const failing = await failingRows(tx, groups, []);
      const { rows } = await tx.query<{ n: string }>(`select coalesce(sum(occurrences), 0)::text as n from (${groups}) g`);
      const involved = Number(rows[0]!.n);
      return rowRuleResult(
        { count: involved, sample: failing.sample },
        { table: `${table.schema}.${table.name}`, rule: summary, extra: { duplicate_keys: failing.count } },
      );
    },
  });
}
