import { SluiceError } from '../../../core/errors.js';
import { qualified, quoteIdent } from '../quote-ident.js';
import { failingRows, rowRuleResult } from './failing-rows.js';
import type { SqlTest } from './sql-test.js';

/** Column lists of the helpers: at least one name, no repeats. Throws INVALID_DEFINITION. */
export function columnList(helper: string, columns: readonly string[]): readonly string[] {
  if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string' || c.length === 0)) {
    throw new SluiceError('INVALID_DEFINITION', `${helper}(columns): name at least one column, e.g. ${helper}(['sgv'])`, { helper });
  }
  for (const column of columns) quoteIdent(column); // INVALID_IDENTIFIER now, not at run time
  return Object.freeze([...new Set(columns)]);
}

/** Fails for every row where any of `columns` is null. Metadata: failing_rows, nulls per column, sample. */
export function notNull(columns: readonly string[]): SqlTest {
  const cols = columnList('notNull', columns);
  const summary = `${cols.join(', ')} ${cols.length === 1 ? 'is' : 'are'} never null`;
  return Object.freeze<SqlTest>({
    kind: 'not_null',
    summary,
    async run(tx, table) {
      const where = cols.map((c) => `${quoteIdent(c)} is null`).join(' or ');
      const failing = await failingRows(tx, `select * from ${qualified(table.schema, table.name)} where ${where}`, []);
      const perColumn = cols.map((c, i) => `count(*) filter (where ${quoteIdent(c)} is null)::text as c${i}`).join(', ');
      const { rows } = await tx.query<Record<string, string>>(`select ${perColumn} from ${qualified(table.schema, table.name)}`);
      const nulls = Object.fromEntries(cols.map((c, i) => [c, Number(rows[0]![`c${i}`])]));
      return rowRuleResult(failing, { table: `${table.schema}.${table.name}`, rule: summary, extra: { null_counts: { json: nulls } } });
    },
  });
}
