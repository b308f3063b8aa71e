import { DbtNativeError, OUTSIDE_SUBSET } from './dbt-native-error.js';

/** One piece of a dbt SQL file: plain text, an `{{ expression }}` or a `{% statement %}`. */
export type JinjaSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'expression' | 'statement'; readonly source: string; readonly line: number };

const OPENERS = { '{{': '}}', '{%': '%}', '{#': '#}' } as const;

/**
 * Splits a template into text, expressions and statements, dropping `{# comments #}` and applying
 * Jinja's whitespace control (`{{-`, `-}}`, `{%-`, `-%}`). Quotes inside a tag are respected, so
 * `{{ var('a}}b') }}` is one expression. Lines are 1-based lines of `file` where each tag starts.
 * Throws DBT_PROJECT_INVALID for an unclosed tag.
 */
export function splitTemplate(template: string, file: string): JinjaSegment[] {
  const segments: JinjaSegment[] = [];
  let text = '';
  let pos = 0;
  let trimNext = false;
  const flushText = (trimEnd: boolean) => {
    let out = trimNext ? text.replace(/^\s+/, '') : text;
    if (trimEnd) out = out.replace(/\s+$/, '');
    if (out.length > 0) segments.push({ kind: 'text', text: out });
    text = '';
    trimNext = false;
  };
  while (pos < template.length) {
    const open = nextOpener(template, pos);
    if (open < 0) {
      text += template.slice(pos);
      break;
    }
    text += template.slice(pos, open);
    const opener = template.slice(open, open + 2) as keyof typeof OPENERS;
    const line = lineAt(template, open);
    const close = findClose(template, open + 2, OPENERS[opener], opener === '{#');
    if (close < 0) {
      throw new DbtNativeError('DBT_PROJECT_INVALID', { file, line }, `unclosed "${opener}" (no matching "${OPENERS[opener]}")`, {
        construct: opener,
      });
    }
    let inner = template.slice(open + 2, close);
    const trimBefore = inner.startsWith('-');
    const trimAfter = inner.endsWith('-');
    if (inner.startsWith('+') || inner.endsWith('+')) {
      throw new DbtNativeError('DBT_UNSUPPORTED', { file, line }, `whitespace control "+" in "${opener}${inner}${OPENERS[opener]}": ${OUTSIDE_SUBSET}`, {
        construct: '+',
      });
    }
    if (trimBefore) inner = inner.slice(1);
    if (trimAfter) inner = inner.slice(0, -1);
    flushText(trimBefore);
    trimNext = trimAfter;
    if (opener !== '{#') segments.push({ kind: opener === '{{' ? 'expression' : 'statement', source: inner.trim(), line });
    pos = close + 2;
  }
  flushText(false);
  return segments;
}

function nextOpener(template: string, from: number): number {
  for (let i = template.indexOf('{', from); i >= 0 && i < template.length - 1; i = template.indexOf('{', i + 1)) {
    const next = template[i + 1];
    if (next === '{' || next === '%' || next === '#') return i;
  }
  return -1;
}

/** Index of `closer` after `from`, skipping quoted strings (not in comments). */
function findClose(template: string, from: number, closer: string, isComment: boolean): number {
  if (isComment) return template.indexOf(closer, from);
  let quote: string | undefined;
  for (let i = from; i < template.length - 1; i++) {
    const c = template[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (template.startsWith(closer, i)) return i;
  }
  return -1;
}

/** 1-based line number of index `at` in `text`. */
export function lineAt(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
