import { DbtNativeError, type DbtLocation } from './dbt-native-error.js';

/** What a relationships test's `to:` names. */
export type RelationTarget =
  | { readonly kind: 'ref'; readonly name: string; readonly packageName: string | undefined }
  | { readonly kind: 'source'; readonly sourceName: string; readonly table: string };

const CALL = /^(ref|source)\(\s*(['"])([^'"]*)\2\s*(?:,\s*(['"])([^'"]*)\4\s*)?\)$/;

/**
 * Parses `ref('x')`, `ref('package', 'x')` or `source('s', 't')` (with or without `{{ }}`), as
 * a relationships test's `to:` is written. Throws DBT_PROJECT_INVALID for anything else.
 */
export function relationTarget(text: string, where: DbtLocation): RelationTarget {
  const inner = text.trim().replace(/^\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');
  const match = CALL.exec(inner);
  if (match && match[1] === 'ref') {
    return match[5] === undefined ? { kind: 'ref', name: match[3]!, packageName: undefined } : { kind: 'ref', name: match[5], packageName: match[3] };
  }
  if (match && match[1] === 'source' && match[5] !== undefined) return { kind: 'source', sourceName: match[3]!, table: match[5] };
  throw new DbtNativeError('DBT_PROJECT_INVALID', where, `"to: ${text}" must be ref('model') or source('source', 'table')`, { to: text });
}
