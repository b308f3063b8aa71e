import { createHash } from 'node:crypto';
import { configKey, isRecord, mergeConfig } from './dbt-config.js';
import type { DbtJinja } from './dbt-jinja.js';
import { DbtNativeError, OUTSIDE_SUBSET } from './dbt-native-error.js';
import { MacroReturn } from './jinja-runtime.js';
import { pythonRepr } from './python-repr.js';

/** What a render of one node (or project value) may see: dbt's context functions are built on these. */
export interface DbtContextSpec {
  /** The file being rendered, relative to the project folder (errors name it). */
  readonly file: string;
  /** dbt's `execute`: false while parsing (deps and configs are found), true when compiling to run. */
  readonly execute: boolean;
  /** `target`: name, schema, type... */
  readonly target: Readonly<Record<string, unknown>>;
  /** `var('name')`, `var('name', default)`: throws when undefined without a default. */
  var(name: string, fallback: { value: unknown } | undefined): unknown;
  /** What `ref('name')` / `ref('package', 'name')` evaluates to. */
  ref(name: string, packageName: string | undefined): unknown;
  /** What `source('source_name', 'table')` evaluates to. */
  source(sourceName: string, table: string): unknown;
  /** Collects the node's `config(...)` calls (keys as dbt_project.yml spells them without `+`). */
  readonly config: Record<string, unknown>;
  /** The node's resolved config, for `config.get()` while executing. */
  readonly nodeConfig?: Readonly<Record<string, unknown>>;
  /** `{{ this }}` when compiling a model. */
  readonly this?: unknown;
  /** What `is_incremental()` returns. */
  readonly isIncremental: boolean;
  /** `model` (the node as a dict), when compiling a node. */
  readonly model?: Readonly<Record<string, unknown>>;
  /** `flags.FULL_REFRESH`. */
  readonly fullRefresh?: boolean;
  /** `log(msg, info=False)` while executing. */
  log?(message: string, info: boolean): void;
}

/** Positional arguments of a call from Jinja, and its keyword arguments (nunjucks passes them as a trailing object). */
export function callArgs(args: readonly unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (isRecord(last) && Object.hasOwn(last, '__keywords')) {
    const { __keywords: _, ...keywords } = last;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: [...args], keywords: {} };
}

/**
 * dbt's Jinja context for one render, as dbt-core documents its functions: ref, source, config
 * (callable, with get and require), var, env_var, this, is_incremental, target, execute, return,
 * log, print, exceptions, adapter (quote and dispatch only), flags.FULL_REFRESH, model, zip,
 * tojson/fromjson, local_md5, dbt's generate_schema_name/generate_alias_name family, and the
 * project's macros, which may override any of them. Functions that need a database connection
 * while compiling (run_query, statement, adapter.get_relation...) are outside the native runner:
 * they return None while parsing, as dbt's do, and fail naming the function when executing.
 */
export function dbtContext(jinja: DbtJinja, spec: DbtContextSpec): Record<string, unknown> {
  const fail = (code: 'DBT_UNSUPPORTED' | 'DBT_UNKNOWN_REF' | 'DBT_COMPILATION_ERROR' | 'DBT_PROJECT_INVALID', message: string, data: Record<string, unknown> = {}): never => {
    throw new DbtNativeError(code, { file: spec.file }, message, data);
  };
  const unsupported = (what: string) => fail('DBT_UNSUPPORTED', `${what}: ${OUTSIDE_SUBSET}`, { construct: what });
  const needsDatabase = (name: string) => (...args: unknown[]) => {
    if (!spec.execute) return null;
    void args;
    return unsupported(`${name}() queries the database while compiling, which the native runner does not do`);
  };
  let context: Record<string, unknown> = {};

  const ref = (...args: unknown[]) => {
    const { positional, keywords } = callArgs(args);
    if (keywords.v !== undefined || keywords.version !== undefined) return unsupported('ref() to a model version');
    if (positional.length < 1 || positional.length > 2 || !positional.every((arg) => typeof arg === 'string')) {
      return fail('DBT_PROJECT_INVALID', `ref() takes a model name, or a package and a model name, got ref(${positional.map((a) => pythonRepr(a)).join(', ')})`);
    }
    return positional.length === 2 ? spec.ref(positional[1] as string, positional[0] as string) : spec.ref(positional[0] as string, undefined);
  };
  const source = (...args: unknown[]) => {
    const { positional } = callArgs(args);
    if (positional.length !== 2 || !positional.every((arg) => typeof arg === 'string')) {
      return fail('DBT_PROJECT_INVALID', `source() takes a source name and a table name, got source(${positional.map((a) => pythonRepr(a)).join(', ')})`);
    }
    return spec.source(positional[0] as string, positional[1] as string);
  };

  const config = Object.assign(
    (...args: unknown[]) => {
      const { positional, keywords } = callArgs(args);
      const options = positional.length === 1 && isRecord(positional[0]) ? positional[0] : keywords;
      if (positional.length > 0 && options === keywords) return fail('DBT_PROJECT_INVALID', 'config() takes keyword arguments (config(materialized="table")) or one dict');
      const merged = mergeConfig(spec.config, options);
      for (const key of Object.keys(merged)) spec.config[key] = merged[key];
      return '';
    },
    {
      get: (key: unknown, fallback: unknown = null) => {
        if (!spec.execute) return '';
        const name = configKey(String(key));
        const value = Object.hasOwn(spec.config, name) ? spec.config[name] : spec.nodeConfig?.[name];
        return value === undefined || value === null ? fallback : value;
      },
      require: (key: unknown) => {
        if (!spec.execute) return '';
        const name = configKey(String(key));
        const value = Object.hasOwn(spec.config, name) ? spec.config[name] : spec.nodeConfig?.[name];
        return value === undefined || value === null ? fail('DBT_COMPILATION_ERROR', `config "${name}" is required but not set`) : value;
      },
    },
  );

  const envVar = (name: unknown, ...rest: unknown[]) => {
    const key = String(name);
    if (key.startsWith('DBT_ENV_SECRET')) {
      return fail('DBT_COMPILATION_ERROR', `env_var('${key}'): secret env vars (DBT_ENV_SECRET*) are allowed only in profiles.yml and packages.yml, never in SQL`);
    }
    const value = process.env[key];
    if (value !== undefined) return value;
    if (rest.length > 0 && callArgs(rest).positional.length > 0) return callArgs(rest).positional[0];
    return fail('DBT_UNKNOWN_REF', `env_var('${key}') is not set in the environment and has no default: set it, or give one: env_var('${key}', 'default')`, { envVar: key });
  };

  const dispatch = (...args: unknown[]) => {
    const { positional, keywords } = callArgs(args);
    const name = String(positional[0] ?? keywords.macro_name);
    const namespace = positional[1] ?? keywords.macro_namespace;
    if (typeof namespace === 'string' && namespace !== 'dbt' && !jinja.macros.has(`default__${name}`) && !jinja.macros.has(`postgres__${name}`)) {
      return unsupported(`adapter.dispatch('${name}', '${namespace}') (a macro of package "${namespace}"; macros of dbt packages need the dbt CLI runner)`);
    }
    for (const candidate of [`postgres__${name}`, `default__${name}`]) {
      if (typeof context[candidate] === 'function') return context[candidate];
    }
    return unsupported(`adapter.dispatch('${name}'): no macro postgres__${name} or default__${name}`);
  };

  const targetSchema = String(spec.target.schema);
  const builtins: Record<string, unknown> = {
    ref,
    source,
    config,
    var: (name: unknown, ...rest: unknown[]) => {
      const { positional } = callArgs(rest);
      return spec.var(String(name), positional.length > 0 ? { value: positional[0] } : undefined);
    },
    env_var: envVar,
    return: (value: unknown) => {
      throw new MacroReturn(value);
    },
    log: (...args: unknown[]) => {
      const { positional, keywords } = callArgs(args);
      if (spec.execute) spec.log?.(pythonRepr(positional[0], true), (positional[1] ?? keywords.info) === true);
      return '';
    },
    print: (message: unknown) => {
      if (spec.execute) spec.log?.(pythonRepr(message, true), true);
      return '';
    },
    is_incremental: () => spec.isIncremental,
    this: spec.this,
    target: spec.target,
    execute: spec.execute,
    flags: { FULL_REFRESH: spec.fullRefresh === true, WHICH: 'build' },
    model: spec.model,
    exceptions: {
      raise_compiler_error: (message: unknown) => fail('DBT_COMPILATION_ERROR', pythonRepr(message, true)),
      warn: (message: unknown) => {
        spec.log?.(pythonRepr(message, true), true);
        return '';
      },
    },
    adapter: {
      dispatch,
      quote: (identifier: unknown) => `"${String(identifier).replaceAll('"', '""')}"`,
      get_relation: needsDatabase('adapter.get_relation'),
      get_columns_in_relation: needsDatabase('adapter.get_columns_in_relation'),
      get_relations_by_prefix: needsDatabase('adapter.get_relations_by_prefix'),
    },
    run_query: needsDatabase('run_query'),
    statement: needsDatabase('statement'),
    load_result: needsDatabase('load_result'),
    load_relation: needsDatabase('load_relation'),
    zip: (...lists: unknown[]) => {
      const arrays = lists.filter(Array.isArray) as unknown[][];
      const length = Math.min(...arrays.map((a) => a.length));
      return Array.from({ length: arrays.length === 0 ? 0 : length }, (_, i) => arrays.map((a) => a[i]));
    },
    dict: (...args: unknown[]) => {
      const { positional, keywords } = callArgs(args);
      return { ...(isRecord(positional[0]) ? positional[0] : {}), ...keywords };
    },
    tojson: (value: unknown) => JSON.stringify(value),
    fromjson: (text: unknown) => JSON.parse(String(text)) as unknown,
    local_md5: (text: unknown) => createHash('md5').update(String(text)).digest('hex'),
    // dbt's global macros for naming relations (its include/global_project), as they behave on Postgres.
    default__generate_schema_name: (custom: unknown = null) => (custom === null || custom === undefined ? targetSchema : `${targetSchema}_${String(custom).trim()}`),
    generate_schema_name_for_env: (custom: unknown = null) =>
      spec.target.name === 'prod' && custom !== null && custom !== undefined ? String(custom).trim() : targetSchema,
    generate_schema_name: (...args: unknown[]) => (dispatch('generate_schema_name', 'dbt') as (...a: unknown[]) => unknown)(...args),
    default__generate_alias_name: (custom: unknown = null, node: unknown = null) =>
      custom !== null && custom !== undefined && custom !== '' ? String(custom).trim() : String((node as { name?: unknown } | null)?.name ?? ''),
    generate_alias_name: (...args: unknown[]) => (dispatch('generate_alias_name', 'dbt') as (...a: unknown[]) => unknown)(...args),
  };
  builtins.builtins = { ref, source, config };
  context = jinja.macros.bind(builtins);
  return context;
}
