/** A common table expression to put in front of a query. */
export interface Cte {
  readonly name: string;
  readonly sql: string;
}

/**
 * `sql` with `ctes` defined in front, as dbt inlines ephemeral models: when the query already
 * starts with `with` (after comments), the CTEs join its list (after `recursive` if present),
 * otherwise a `with` clause is prepended. Each CTE body is parenthesized on its own lines, so a
 * trailing `--` comment in it cannot swallow the closing parenthesis.
 */
export function injectCtes(sql: string, ctes: readonly Cte[]): string {
  if (ctes.length === 0) return sql;
  const list = ctes.map((cte) => `${cte.name} as (\n${cte.sql}\n)`).join(',\n');
  const start = firstTokenIndex(sql);
  const word = /^with\b(\s+recursive\b)?/i.exec(sql.slice(start));
  if (!word) return `with ${list}\n${sql}`;
  const at = start + word[0].length;
  return `${sql.slice(0, at)} ${list},\n${sql.slice(at)}`;
}

/** Index of the first character of `sql` that is neither whitespace nor inside a comment. */
function firstTokenIndex(sql: string): number {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i]!)) i++;
    if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else {
      return i;
    }
  }
}

/** The compiled SQL without trailing whitespace and semicolons, so that it can be wrapped. */
export function trimStatement(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}
