import { SelectionSyntaxError } from './selection-errors.js';

export type TokenType = 'word' | 'string' | 'colon' | 'equals' | 'plus' | 'lparen' | 'rparen' | 'comma' | 'eof';

/**
 * One lexeme. `value` is the word, or the unescaped content of a quoted string. `spaced` is true
 * when whitespace precedes the token: depths (`2+`, `+1`), `:` and `=` must touch their neighbours.
 */
export interface Token {
  readonly type: TokenType;
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly spaced: boolean;
}

/** Characters of an unquoted value: asset key characters plus `.`, `/` and the `*` wildcard. */
export const WORD_CHAR = /[A-Za-z0-9_\-./*]/;

const PUNCTUATION: Record<string, TokenType> = { ':': 'colon', '=': 'equals', '+': 'plus', '(': 'lparen', ')': 'rparen', ',': 'comma' };

const BOUNDARY = /[\s(),]/;

/** `owner:team@x.com` -> `owner:"team@x.com"`: the clause around `at`, with its value quoted. */
function quotedExample(text: string, at: number): string {
  let start = at;
  while (start > 0 && !BOUNDARY.test(text[start - 1]!)) start--;
  let end = at;
  while (end < text.length && !BOUNDARY.test(text[end]!)) end++;
  const clause = text.slice(start, end);
  const colon = clause.indexOf(':');
  const value = colon >= 0 ? clause.slice(colon + 1) : clause;
  const quoted = `"${value.replace(/^"|"$/g, '')}"`;
  return colon >= 0 ? `${clause.slice(0, colon + 1)}${quoted}` : quoted;
}

/** Splits a selection into tokens ending with one `eof`. Throws SelectionSyntaxError on a stray character or an unclosed quote. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = false;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      spaced = true;
      continue;
    }
    const start = i;
    const punctuation = PUNCTUATION[c];
    if (punctuation) {
      tokens.push({ type: punctuation, value: c, start, end: i + 1, spaced });
      i++;
    } else if (WORD_CHAR.test(c)) {
      while (i < text.length && WORD_CHAR.test(text[i]!)) i++;
      tokens.push({ type: 'word', value: text.slice(start, i), start, end: i, spaced });
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new SelectionSyntaxError(text, start, `unterminated quoted value; expected a closing '"'`);
        const d = text[i]!;
        if (d === '"') break;
        if (d === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
      tokens.push({ type: 'string', value, start, end: i, spaced });
    } else if (c === '@') {
      throw new SelectionSyntaxError(text, i, `unexpected '@'; quote values that contain '@', e.g. ${quotedExample(text, i)}`);
    } else if (c === "'") {
      throw new SelectionSyntaxError(text, i, `unexpected "'"; quote values with double quotes, e.g. key:"raw/entries"`);
    } else {
      throw new SelectionSyntaxError(
        text,
        i,
        `unexpected '${c}'; expected an asset key, an attribute (key:, group:, tag:, kind:, owner:, status:), a "quoted value", '(', ')' or '+'`,
      );
    }
    spaced = false;
  }
  tokens.push({ type: 'eof', value: '', start: text.length, end: text.length, spaced });
  return tokens;
}
