import type nunjucks from 'nunjucks';
import { loadNunjucks } from './load-nunjucks.js';
import { installJinjaRuntime } from './jinja-runtime.js';
import { pythonRepr } from './python-repr.js';

/** The slice of nunjucks' parser API the tag extensions use. */
interface Parser {
  nextToken(): { value: string; lineno: number; colno: number };
  parseExpression(): unknown;
  parsePrimary(noPostfix: boolean): { value: string; lineno: number; colno: number };
  parseSignature(): unknown;
  parseUntilBlocks(...names: string[]): unknown;
  advanceAfterBlockEnd(name?: string): void;
}

interface Nodes {
  NodeList: new (lineno: number, colno: number, children?: unknown[]) => unknown;
  CallExtension: new (ext: object, prop: string, args: unknown) => unknown;
  Macro: new (lineno: number, colno: number, name: unknown, args: unknown) => { body: unknown };
  Symbol: new (lineno: number, colno: number, value: string) => unknown;
}

/** `{% do expression %}` (Jinja's expression-statement extension, which dbt enables): evaluates, prints nothing. */
const doTag = {
  tags: ['do'],
  autoescape: false,
  parse(parser: Parser, nodes: Nodes): unknown {
    const tag = parser.nextToken();
    const args = new nodes.NodeList(tag.lineno, tag.colno, [parser.parseExpression()]);
    parser.advanceAfterBlockEnd(tag.value);
    return new nodes.CallExtension(this, 'run', args);
  },
  run(): string {
    return '';
  },
};

/** `{% test name(model, column_name) %}...{% endtest %}`: a generic test, which dbt defines as the macro `test_<name>`. */
const testTag = {
  tags: ['test'],
  parse(parser: Parser, nodes: Nodes): unknown {
    const tag = parser.nextToken();
    const name = parser.parsePrimary(true);
    const macro = new nodes.Macro(tag.lineno, tag.colno, new nodes.Symbol(name.lineno, name.colno, `test_${name.value}`), parser.parseSignature());
    parser.advanceAfterBlockEnd(tag.value);
    macro.body = parser.parseUntilBlocks('endtest');
    parser.advanceAfterBlockEnd();
    return macro;
  },
};

/** Positional arguments of a filter call, its keyword arguments (nunjucks passes them as a trailing object) apart. */
function keywordArgs(args: unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && Object.hasOwn(last, '__keywords')) {
    const { __keywords: _, ...keywords } = last as Record<string, unknown>;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: args, keywords: {} };
}

const attribute = (item: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key]), item);

/** Jinja2 and dbt filters nunjucks lacks, or prints differently. */
const FILTERS: Readonly<Record<string, (value: unknown, ...args: unknown[]) => unknown>> = {
  string: (value) => pythonRepr(value, true),
  map: (value, ...args) => {
    const { positional, keywords } = keywordArgs(args);
    const items = Array.isArray(value) ? value : [];
    if (typeof keywords.attribute === 'string') return items.map((item) => attribute(item, keywords.attribute as string) ?? keywords.default);
    const name = positional[0];
    const filter = typeof name === 'string' ? (FILTERS[name] ?? builtinFilter(name)) : undefined;
    if (!filter) throw new Error(`map() needs attribute= or the name of a filter, got ${pythonRepr(name)}`);
    return items.map((item) => filter(item, ...positional.slice(1)));
  },
  unique: (value) => [...new Set(Array.isArray(value) ? value : [])],
  min: (value) => (Array.isArray(value) && value.length > 0 ? value.reduce((a, b) => (b < a ? b : a)) : undefined),
  max: (value) => (Array.isArray(value) && value.length > 0 ? value.reduce((a, b) => (b > a ? b : a)) : undefined),
  attr: (value, name) => attribute(value, String(name)),
  items: (value) => (value && typeof value === 'object' ? Object.entries(value).filter(([key]) => key !== '__keywords') : []),
  tojson: (value) => JSON.stringify(value),
  format: (value, ...args) => {
    let next = 0;
    return String(value).replace(/%[sdifr%]/g, (spec) => (spec === '%%' ? '%' : pythonRepr(args[next++], spec !== '%r')));
  },
  as_bool: (value) => (value === 'True' ? true : value === 'False' ? false : value),
  as_number: (value) => (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value),
  as_native: (value) => nativeValue(value),
  as_text: (value) => pythonRepr(value, true),
};

let builtinFilters: Record<string, (value: unknown, ...args: unknown[]) => unknown> | undefined;
function builtinFilter(name: string): ((value: unknown, ...args: unknown[]) => unknown) | undefined {
  builtinFilters ??= (loadNunjucks() as unknown as { filters: Record<string, (value: unknown, ...args: unknown[]) => unknown> }).filters;
  return builtinFilters[name];
}

/**
 * What dbt's native rendering makes of a rendered string (a literal eval): True/False, None,
 * numbers, lists and dicts written as literals; anything else stays the string.
 */
export function nativeValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === 'True' || text === 'true') return true;
  if (text === 'False' || text === 'false') return false;
  if (text === 'None' || text === 'none') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return value;
}

/**
 * A nunjucks environment that reads dbt's Jinja: no autoescaping, `{% do %}`, `{% test %}`
 * blocks, the Jinja2 and dbt filters nunjucks lacks, and Python's behaviour where nunjucks
 * differs (see installJinjaRuntime). Undefined names are undefined, as in Jinja2. `dev` keeps
 * nunjucks' errors whole (their cause and line), which DbtJinja turns into messages.
 */
export function createJinjaEnvironment(): nunjucks.Environment {
  installJinjaRuntime();
  const env = new (loadNunjucks().Environment)(null, { autoescape: false, throwOnUndefined: false, trimBlocks: false, lstripBlocks: false, dev: true });
  env.addExtension('do', doTag as unknown as nunjucks.Extension);
  env.addExtension('test', testTag as unknown as nunjucks.Extension);
  for (const [name, filter] of Object.entries(FILTERS)) env.addFilter(name, filter);
  return env;
}
