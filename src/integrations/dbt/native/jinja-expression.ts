import { DbtNativeError, OUTSIDE_SUBSET, type DbtLocation } from './dbt-native-error.js';

/** A literal argument: what `ref('x')`, `config(tags=['a'])` or `var('n', 3)` may take. */
export type JinjaValue = string | number | boolean | null | readonly JinjaValue[];

/**
 * The expressions the native runner understands: a call of a named function with literal
 * arguments (`ref('x')`, `config(materialized='table')`), or a (dotted) name (`this`,
 * `target.schema`). Which names and functions exist is the compiler's business.
 */
export type JinjaExpression =
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly JinjaValue[]; readonly kwargs: Readonly<Record<string, JinjaValue>> }
  | { readonly kind: 'name'; readonly name: string };

type Token =
  | { readonly type: 'ident'; readonly value: string }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'punct'; readonly value: string };

const CONSTANTS: Readonly<Record<string, JinjaValue>> = { true: true, True: true, false: false, False: false, none: null, None: null };

/**
 * Parses the inside of `{{ ... }}` (or the condition of an `if`). Throws DBT_UNSUPPORTED naming
 * the construct for anything else: filters (`|`), operators, subscripts, dicts, nested calls,
 * variables as arguments.
 */
export function parseExpression(source: string, where: DbtLocation): JinjaExpression {
  const tokens = tokenize(source, where);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (what: string): never => {
    throw new DbtNativeError('DBT_UNSUPPORTED', where, `unsupported Jinja ${what} in "{{ ${source} }}": ${OUTSIDE_SUBSET}`, {
      construct: what,
      expression: source,
    });
  };
  const expectPunct = (value: string) => {
    const token = tokens[pos++];
    if (token?.type !== 'punct' || token.value !== value) fail(describe(token, `"${value}" expected`));
  };

  const value = (): JinjaValue => {
    const token = tokens[pos++];
    if (!token) return fail('end of expression where a value was expected');
    if (token.type === 'string' || token.type === 'number') return token.value;
    if (token.type === 'ident' && token.value in CONSTANTS) return CONSTANTS[token.value]!;
    if (token.type === 'punct' && token.value === '[') {
      const items: JinjaValue[] = [];
      while (!(peek()?.type === 'punct' && peek()!.value === ']')) {
        items.push(value());
        if (peek()?.type === 'punct' && peek()!.value === ',') pos++;
        else break;
      }
      expectPunct(']');
      return items;
    }
    if (token.type === 'ident') return fail(`argument "${token.value}${peek()?.value === '(' ? '(...)' : ''}" (arguments must be literals)`);
    return fail(describe(token, 'a literal argument expected'));
  };

  const first = tokens[pos++];
  if (first?.type !== 'ident') return fail(describe(first, 'a function call or a name expected'));
  let name = first.value;
  while (peek()?.type === 'punct' && peek()!.value === '.') {
    pos++;
    const part = tokens[pos++];
    if (part?.type !== 'ident') return fail(describe(part, 'a name expected after "."'));
    name += `.${part.value}`;
  }
  let expression: JinjaExpression = { kind: 'name', name };
  if (peek()?.type === 'punct' && peek()!.value === '(') {
    pos++;
    const args: JinjaValue[] = [];
    const kwargs: Record<string, JinjaValue> = {};
    while (!(peek()?.type === 'punct' && peek()!.value === ')')) {
      const token = peek();
      const next = tokens[pos + 1];
      if (token?.type === 'ident' && next?.type === 'punct' && next.value === '=') {
        pos += 2;
        kwargs[token.value] = value();
      } else {
        if (Object.keys(kwargs).length > 0) fail('positional argument after a keyword argument');
        args.push(value());
      }
      if (peek()?.type === 'punct' && peek()!.value === ',') pos++;
      else break;
    }
    expectPunct(')');
    expression = { kind: 'call', name, args, kwargs };
  }
  if (pos < tokens.length) fail(describe(tokens[pos], 'end of expression expected'));
  return expression;
}

function describe(token: Token | undefined, expected: string): string {
  if (!token) return `end of expression (${expected})`;
  if (token.type === 'punct' && token.value === '|') return 'filter "|"';
  if (token.type === 'punct' && token.value === '[') return 'subscript "["';
  if (token.type === 'punct' && token.value === '{') return 'dict literal "{"';
  if (token.type === 'punct' && token.value === '(') return 'call of a call result "("';
  if (token.type === 'punct') return `operator "${token.value}"`;
  if (token.type === 'ident' && ['and', 'or', 'not', 'in', 'is', 'if', 'else'].includes(token.value)) return `operator "${token.value}"`;
  return `"${String(token.value)}" (${expected})`;
}

function tokenize(source: string, where: DbtLocation): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))![0];
      tokens.push({ type: 'ident', value: match });
      i += match.length;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? '') && !endsOperand(tokens))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(source.slice(i))![0];
      tokens.push({ type: 'number', value: Number(match) });
      i += match.length;
    } else if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === '\\' && j + 1 < source.length) value += unescape(source[++j]!);
        else value += source[j];
      }
      if (j >= source.length) {
        throw new DbtNativeError('DBT_PROJECT_INVALID', where, `unterminated string in "{{ ${source} }}"`, { expression: source });
      }
      tokens.push({ type: 'string', value });
      i = j + 1;
    } else {
      // Operators may be two characters (`==`, `~`, `**`); one is enough to name the construct.
      const two = source.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>=', '**', '//'].includes(two) ? two : c;
      tokens.push({ type: 'punct', value: op });
      // Unknown punctuation is still a token: the parser names the construct when it reaches it.
      i += op.length;
    }
  }
  return tokens;
}

function endsOperand(tokens: readonly Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return last !== undefined && (last.type !== 'punct' || last.value === ')' || last.value === ']');
}

function unescape(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c;
}
