import { DbtNativeError, type DbtLocation } from './dbt-native-error.js';
import { parseExpression } from './jinja-expression.js';

/** What a relationships test's `to:` names. */
export type RelationTarget =
  | { readonly kind: 'ref'; readonly name: string; readonly packageName: string | undefined }
  | { readonly kind: 'source'; readonly sourceName: string; readonly table: string };

/**
 * Parses `ref('x')`, `ref('package', 'x')` or `source('s', 't')` (with or without `{{ }}`), as
 * a relationships test's `to:` is written. Throws DBT_PROJECT_INVALID for anything else.
 */
export function relationTarget(text: string, where: DbtLocation): RelationTarget {
  const inner = text.trim().replace(/^\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');
  const invalid = () =>
    new DbtNativeError('DBT_PROJECT_INVALID', where, `"to: ${text}" must be ref('model') or source('source', 'table')`, { to: text });
  let expression;
  try {
    expression = parseExpression(inner, where);
  } catch {
    throw invalid();
  }
  const strings = expression.kind === 'call' && Object.keys(expression.kwargs).length === 0 && expression.args.every((a) => typeof a === 'string')
    ? (expression.args as string[])
    : undefined;
  if (expression.kind === 'call' && strings && expression.name === 'ref' && (strings.length === 1 || strings.length === 2)) {
    return strings.length === 1 ? { kind: 'ref', name: strings[0]!, packageName: undefined } : { kind: 'ref', name: strings[1]!, packageName: strings[0] };
  }
  if (expression.kind === 'call' && strings && expression.name === 'source' && strings.length === 2) {
    return { kind: 'source', sourceName: strings[0]!, table: strings[1]! };
  }
  throw invalid();
}
