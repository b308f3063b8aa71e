import type nunjucks from 'nunjucks';
import { loadNunjucks } from './load-nunjucks.js';
import { pythonRepr } from './python-repr.js';

/**
 * What `{{ return(value) }}` throws: the macro it is called in ends and its call evaluates to
 * `value` (dbt's MacroReturn), instead of the text the macro rendered.
 */
export class MacroReturn {
  constructor(readonly value: unknown) {}
}

interface NunjucksRuntime {
  makeMacro: (argNames: string[], kwargNames: string[], func: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown;
  memberLookup: (obj: unknown, key: unknown, ...rest: unknown[]) => unknown;
  suppressValue: (value: unknown, autoescape: boolean) => unknown;
  SafeString: new (value: string) => object;
}

let installed = false;

/**
 * Makes nunjucks (pinned in package.json) evaluate dbt's Jinja as Jinja2 does where nunjucks
 * differs, by wrapping four of its runtime hooks once per process (nunjucks' own
 * installJinjaCompat works the same way, and is installed first: True/False/None, slices, list
 * and dict methods such as append, items and get):
 * - every macro (and `{% call %}` body) catches a MacroReturn thrown in its body and evaluates to
 *   its value, so `{{ return(x) }}` works in any macro, called from anywhere;
 * - Python's string methods (`.upper()`, `.strip()`, `.split()`, `.replace()`, `.format()`...)
 *   and list `.extend()`, and string slices stay strings;
 * - printed values read as Python prints them: True, False, None, ['a', 1], {'k': 2}.
 */
export function installJinjaRuntime(): void {
  if (installed) return;
  installed = true;
  loadNunjucks().installJinjaCompat();
  const runtime = (loadNunjucks() as unknown as { runtime: NunjucksRuntime }).runtime;

  const makeMacro = runtime.makeMacro;
  runtime.makeMacro = (argNames, kwargNames, func) =>
    makeMacro(argNames, kwargNames, function (this: unknown, ...args: unknown[]) {
      try {
        return func.apply(this, args);
      } catch (error) {
        if (error instanceof MacroReturn) return error.value;
        throw error;
      }
    });

  const memberLookup = runtime.memberLookup;
  runtime.memberLookup = function (this: unknown, obj: unknown, key: unknown, ...rest: unknown[]) {
    if (typeof obj === 'string' || obj instanceof String) {
      const text = String(obj);
      if (rest.length === 2) return (memberLookup.call(this, text, key, ...rest) as string[]).join('');
      const method = typeof key === 'string' && Object.hasOwn(STRING_METHODS, key) ? STRING_METHODS[key] : undefined;
      if (method) return (...args: unknown[]) => method(text, ...args);
      return memberLookup.call(this, text, key, ...rest);
    }
    if (Array.isArray(obj) && key === 'extend' && rest.length === 0) return (items: unknown[]) => (obj.push(...items), '');
    if (Array.isArray(obj) && key === 'append' && rest.length === 0) return (item: unknown) => (obj.push(item), '');
    return memberLookup.call(this, obj, key, ...rest);
  };

  const suppressValue = runtime.suppressValue;
  runtime.suppressValue = (value, autoescape) => {
    if (value === undefined || value instanceof runtime.SafeString || typeof value === 'string') return suppressValue(value, autoescape);
    return suppressValue(pythonRepr(value, true), autoescape);
  };
}

/** Keyword arguments arrive as a trailing object marked `__keywords`; positional ones before it. */
function splitArgs(args: unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && Object.hasOwn(last, '__keywords')) {
    const { __keywords: _, ...keywords } = last as Record<string, unknown>;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: args, keywords: {} };
}

const strip = (chars: unknown, side: 'both' | 'start' | 'end') => (text: string): string => {
  const set = typeof chars === 'string' ? chars : undefined;
  const inSet = (c: string) => (set === undefined ? /\s/.test(c) : set.includes(c));
  let start = 0;
  let end = text.length;
  if (side !== 'end') while (start < end && inSet(text[start]!)) start++;
  if (side !== 'start') while (end > start && inSet(text[end - 1]!)) end--;
  return text.slice(start, end);
};

/** `'{} and {name}'.format(1, name=2)`: positional `{}` / `{0}` and named fields, no format specs. */
function format(text: string, ...args: unknown[]): string {
  const { positional, keywords } = splitArgs(args);
  let next = 0;
  return text.replace(/\{\{|\}\}|\{([A-Za-z_0-9]*)\}/g, (match, field: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const value = field === '' ? positional[next++] : /^\d+$/.test(field!) ? positional[Number(field)] : keywords[field!];
    return pythonRepr(value, true);
  });
}

const STRING_METHODS: Readonly<Record<string, (text: string, ...args: unknown[]) => unknown>> = {
  upper: (text) => text.toUpperCase(),
  lower: (text) => text.toLowerCase(),
  title: (text) => text.toLowerCase().replace(/(^|[^A-Za-z0-9])([a-z])/g, (_m, before: string, c: string) => before + c.toUpperCase()),
  capitalize: (text) => text.charAt(0).toUpperCase() + text.slice(1).toLowerCase(),
  strip: (text, chars) => strip(chars, 'both')(text),
  lstrip: (text, chars) => strip(chars, 'start')(text),
  rstrip: (text, chars) => strip(chars, 'end')(text),
  split: (text, sep, max) => {
    const limit = typeof max === 'number' && max >= 0 ? max : Infinity;
    const parts: string[] = [];
    if (sep === undefined || sep === null) {
      let rest = text.replace(/^\s+/, '');
      for (let space = /\s+/.exec(rest); rest !== '' && space && parts.length < limit; space = /\s+/.exec(rest)) {
        parts.push(rest.slice(0, space.index));
        rest = rest.slice(space.index + space[0].length);
      }
      return rest === '' ? parts : [...parts, rest];
    }
    let rest = text;
    for (let at = rest.indexOf(String(sep)); at >= 0 && parts.length < limit; at = rest.indexOf(String(sep))) {
      parts.push(rest.slice(0, at));
      rest = rest.slice(at + String(sep).length);
    }
    return [...parts, rest];
  },
  replace: (text, old, replacement) => text.split(String(old)).join(String(replacement)),
  startswith: (text, prefix) => (Array.isArray(prefix) ? prefix.some((p) => text.startsWith(String(p))) : text.startsWith(String(prefix))),
  endswith: (text, suffix) => (Array.isArray(suffix) ? suffix.some((s) => text.endsWith(String(s))) : text.endsWith(String(suffix))),
  find: (text, sub) => text.indexOf(String(sub)),
  count: (text, sub) => (String(sub) === '' ? text.length + 1 : text.split(String(sub)).length - 1),
  join: (text, items) => (Array.isArray(items) ? items.map((item) => pythonRepr(item, true)).join(text) : ''),
  isdigit: (text) => /^[0-9]+$/.test(text),
  isalpha: (text) => /^[A-Za-z]+$/.test(text),
  islower: (text) => text !== text.toUpperCase() && text === text.toLowerCase(),
  isupper: (text) => text !== text.toLowerCase() && text === text.toUpperCase(),
  zfill: (text, width) => text.padStart(Number(width), '0'),
  format,
};
