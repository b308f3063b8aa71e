import { qualified, quoteIdent } from '../quote-ident.js';
import { failingRows, rowRuleResult } from './failing-rows.js';
import type { CheckedTable, SqlTest } from './sql-test.js';

/**
 * Fails for every row whose `column` has no match in `toTable.toColumn` (nulls pass, as in dbt): a
 * foreign key that is audited instead of enforced. `toTable` is a table name in the audited
 * table's schema, or `{ schema, name }`.
 */
export function relationships(column: string, toTable: string | CheckedTable, toColumn: string): SqlTest {
  quoteIdent(column);
  quoteIdent(toColumn);
  const target = (table: CheckedTable): CheckedTable => (typeof toTable === 'string' ? { schema: table.schema, name: toTable } : toTable);
  if (typeof toTable === 'string') quoteIdent(toTable);
  else qualified(toTable.schema, toTable.name);
  const targetName = typeof toTable === 'string' ? toTable : `${toTable.schema}.${toTable.name}`;
  const summary = `every ${column} exists in ${targetName}.${toColumn}`;
  return Object.freeze<SqlTest>({
    kind: 'relationships',
    summary,
    async run(tx, table) {
      const to = target(table);
      const col = quoteIdent(column);
      const failing = await failingRows(
        tx,
        `select t.* from ${qualified(table.schema, table.name)} t
          where t.${col} is not null
            and not exists (select 1 from ${qualified(to.schema, to.name)} p where p.${quoteIdent(toColumn)} = t.${col})`,
        [],
      );
      return rowRuleResult(failing, { table: `${table.schema}.${table.name}`, rule: summary });
    },
  });
}
