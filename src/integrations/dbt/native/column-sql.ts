import { quoteIdent } from '../../postgres/quote-ident.js';
import { DbtNativeError, OUTSIDE_SUBSET, type DbtLocation } from './dbt-native-error.js';

/**
 * A column as SQL. A plain name is folded to lower case and quoted (what Postgres does with dbt's
 * unquoted column); a name already double-quoted (`quote: true`) is kept exactly; anything else (an
 * expression as a column name) is outside the subset.
 */
export function columnSql(name: string, where: DbtLocation): string {
  if (/^"(?:[^"]|"")+"$/.test(name)) return name;
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name)) return quoteIdent(name.toLowerCase());
  throw new DbtNativeError('DBT_UNSUPPORTED', where, `column "${name}" is an expression, not a column name: ${OUTSIDE_SUBSET}`, { construct: `column ${name}` });
}
