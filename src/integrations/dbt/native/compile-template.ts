import { DbtNativeError, OUTSIDE_SUBSET, type DbtLocation } from './dbt-native-error.js';
import { parseExpression, type JinjaExpression, type JinjaValue } from './jinja-expression.js';
import { splitTemplate } from './jinja-template.js';

/** What the compiled SQL's `ref`, `source`, `var`, `this` and `is_incremental()` turn into. */
export interface CompileEnv {
  /** The relation (or ephemeral CTE name) `ref('name')` / `ref('package', 'name')` renders as. */
  ref(name: string, packageName: string | undefined, where: DbtLocation): string;
  /** The relation `source('source_name', 'table')` renders as. */
  source(sourceName: string, table: string, where: DbtLocation): string;
  /** The value of `var('name')`; `fallback` is the call's second argument when it has one. */
  var(name: string, fallback: { value: JinjaValue } | undefined, where: DbtLocation): JinjaValue;
  /** `{{ this }}`: the relation being built; undefined where there is none (tests, sources). */
  readonly this: string | undefined;
  /** `{{ target.schema }}`. */
  readonly targetSchema: string;
  /** What `is_incremental()` returns. */
  readonly isIncremental: boolean;
}

export interface CompiledTemplate {
  readonly sql: string;
  /** Keyword arguments of the template's `{{ config(...) }}` calls, later calls winning. */
  readonly config: Readonly<Record<string, JinjaValue>>;
}

/** The functions and names the subset has, for messages. */
export const SUPPORTED_JINJA =
  'ref(), source(), config(), var(), is_incremental(), this, target.schema, and {% if [not] is_incremental() %} ... [{% else %} ...] {% endif %}';

interface Branch {
  readonly line: number;
  readonly outerActive: boolean;
  active: boolean;
  sawElse: boolean;
}

/**
 * Compiles a dbt SQL template in the native subset (SUPPORTED_JINJA). Every expression is checked,
 * in inactive `if` branches too, so an unsupported construct fails whatever the branch; `config()`
 * counts only where active. Throws DbtNativeError naming `file`, the line and the construct.
 */
export function compileTemplate(template: string, file: string, env: CompileEnv): CompiledTemplate {
  let sql = '';
  const config: Record<string, JinjaValue> = {};
  const branches: Branch[] = [];
  const active = () => branches.length === 0 || branches[branches.length - 1]!.active;
  for (const segment of splitTemplate(template, file)) {
    if (segment.kind === 'text') {
      if (active()) sql += segment.text;
      continue;
    }
    const where = { file, line: segment.line };
    if (segment.kind === 'expression') {
      const output = evaluate(parseExpression(segment.source, where), env, where, active() ? config : {});
      if (active()) sql += output;
      continue;
    }
    const [keyword = '', ...rest] = segment.source.split(/\s+/);
    const top = branches[branches.length - 1];
    if (keyword === 'if') {
      const condition = incrementalCondition(rest.join(' '), where);
      const outerActive = active();
      branches.push({ line: segment.line, outerActive, active: outerActive && condition === env.isIncremental, sawElse: false });
    } else if (keyword === 'else' && rest.length === 0 && top && !top.sawElse) {
      top.sawElse = true;
      top.active = top.outerActive && !top.active;
    } else if (keyword === 'endif' && rest.length === 0 && top) {
      branches.pop();
    } else if ((keyword === 'else' || keyword === 'endif') && rest.length === 0) {
      throw new DbtNativeError('DBT_PROJECT_INVALID', where, `{% ${keyword} %} without a matching {% if %}`, { construct: keyword });
    } else {
      throw new DbtNativeError('DBT_UNSUPPORTED', where, `unsupported Jinja tag "{% ${segment.source} %}": the native runner supports ${SUPPORTED_JINJA}; ${OUTSIDE_SUBSET}`, {
        construct: `{% ${keyword} %}`,
      });
    }
  }
  const open = branches[branches.length - 1];
  if (open) throw new DbtNativeError('DBT_PROJECT_INVALID', { file, line: open.line }, '{% if %} is never closed with {% endif %}', { construct: 'if' });
  return { sql, config };
}

/** The condition of an `{% if %}`: `is_incremental()` (true) or `not is_incremental()` (false). */
function incrementalCondition(condition: string, where: DbtLocation): boolean {
  const negated = /^not\s+/.test(condition);
  const inner = negated ? condition.replace(/^not\s+/, '') : condition;
  const expression = parseExpression(inner, where);
  if (expression.kind !== 'call' || expression.name !== 'is_incremental' || expression.args.length > 0 || Object.keys(expression.kwargs).length > 0) {
    throw new DbtNativeError('DBT_UNSUPPORTED', where, `unsupported condition "{% if ${condition} %}": only is_incremental() and not is_incremental() are; ${OUTSIDE_SUBSET}`, {
      construct: `{% if ${condition} %}`,
    });
  }
  return !negated;
}

function evaluate(expression: JinjaExpression, env: CompileEnv, where: DbtLocation, config: Record<string, JinjaValue>): string {
  const unsupported = (what: string): never => {
    throw new DbtNativeError('DBT_UNSUPPORTED', where, `unsupported ${what}: the native runner supports ${SUPPORTED_JINJA}; ${OUTSIDE_SUBSET}`, {
      construct: what,
    });
  };
  if (expression.kind === 'name') {
    if (expression.name === 'this') {
      if (env.this === undefined) return unsupported('"{{ this }}" outside a model');
      return env.this;
    }
    if (expression.name === 'target.schema') return env.targetSchema;
    return unsupported(`name "${expression.name}"`);
  }
  const { name, args, kwargs } = expression;
  const strings = (min: number, max: number): string[] => {
    if (args.length < min || args.length > max || !args.every((arg) => typeof arg === 'string')) {
      return unsupported(`call "${name}(${args.map((a) => JSON.stringify(a)).join(', ')})" (expected ${min === max ? min : `${min} or ${max}`} string arguments)`);
    }
    return args as string[];
  };
  const noKwargs = () => {
    const names = Object.keys(kwargs);
    if (names.length > 0) unsupported(`argument "${names[0]}=" of ${name}()`);
  };
  switch (name) {
    case 'ref': {
      noKwargs();
      const parts = strings(1, 2);
      return parts.length === 2 ? env.ref(parts[1]!, parts[0], where) : env.ref(parts[0]!, undefined, where);
    }
    case 'source': {
      noKwargs();
      const [sourceName, table] = strings(2, 2);
      return env.source(sourceName!, table!, where);
    }
    case 'config':
      if (args.length > 0) unsupported('positional arguments of config() (use config(materialized=...))');
      Object.assign(config, kwargs);
      return '';
    case 'var': {
      noKwargs();
      if (args.length < 1 || args.length > 2 || typeof args[0] !== 'string') return unsupported('call of var() (expected var("name") or var("name", default))');
      return render(env.var(args[0], args.length === 2 ? { value: args[1]! } : undefined, where), where);
    }
    case 'is_incremental':
      noKwargs();
      if (args.length > 0) unsupported('arguments of is_incremental()');
      return env.isIncremental ? 'True' : 'False';
    default:
      return unsupported(`function "${name}()"`);
  }
}

/** A value as Jinja prints it into SQL. */
function render(value: JinjaValue, where: DbtLocation): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  throw new DbtNativeError('DBT_UNSUPPORTED', where, `a list var printed into SQL (${JSON.stringify(value)}): ${OUTSIDE_SUBSET}`, { construct: 'list var' });
}
