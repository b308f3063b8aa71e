import { dbtContext } from './dbt-context.js';
import type { DbtJinja } from './dbt-jinja.js';
import { DbtNativeError, type DbtLocation } from './dbt-native-error.js';
import { DbtRelation } from './dbt-relation.js';

/** What a model's or test's SQL says about the graph, found as dbt parses: by rendering it. */
export interface TemplateScan {
  readonly refs: ReadonlyArray<{ readonly name: string; readonly packageName: string | undefined; readonly where: DbtLocation }>;
  readonly sources: ReadonlyArray<{ readonly sourceName: string; readonly table: string; readonly where: DbtLocation }>;
  /** `config(...)` arguments, evaluated (`enabled=var('x')` is the var's value). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Set when the SQL could not be rendered natively: refs and sources were then found by pattern. */
  readonly unsupported: DbtNativeError | undefined;
}

/** What parsing renders with: the project's Jinja, its vars and a target. */
export interface ParseEnv {
  readonly jinja: DbtJinja;
  readonly target: Readonly<Record<string, unknown>>;
  var(name: string, fallback: { value: unknown } | undefined, where: DbtLocation): unknown;
}

const REF = /\bref\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?(?:,[^)]*)?\)/g;
const SOURCE = /\bsource\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3\s*\)/g;
const MATERIALIZED = /\bconfig\([^)]*\bmaterialized\s*=\s*(['"])(\w+)\1/;

/**
 * The refs, sources and config of a dbt SQL template, found as dbt's parser finds them: the
 * template is rendered with `execute` false, `ref()`/`source()`/`config()` recording their calls
 * (those made inside the project's macros too), `is_incremental()` false. A template that cannot
 * be rendered natively (a package's macro, Jinja nunjucks cannot read) is still valid dbt for the
 * dbt CLI runner: its `ref('..')`/`source('..', '..')` calls and `materialized=` are then found by
 * pattern, and `unsupported` says why the native runner will refuse it.
 */
export function parseTemplate(env: ParseEnv, template: string, file: string): TemplateScan {
  const refs: Array<TemplateScan['refs'][number]> = [];
  const sources: Array<TemplateScan['sources'][number]> = [];
  const config: Record<string, unknown> = {};
  const where = (pattern: RegExp): DbtLocation => {
    const at = template.search(pattern);
    return at < 0 ? { file } : { file, line: template.slice(0, at).split('\n').length };
  };
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  try {
    const context = dbtContext(env.jinja, {
      file,
      execute: false,
      target: env.target,
      var: (name, fallback) => env.var(name, fallback, { file }),
      ref: (name, packageName) => {
        refs.push({ name, packageName, where: where(new RegExp(`\\bref\\([^)]*['"]${escape(name)}['"]`)) });
        return new DbtRelation(String(env.target.schema), name);
      },
      source: (sourceName, table) => {
        sources.push({ sourceName, table, where: where(new RegExp(`\\bsource\\(\\s*['"]${escape(sourceName)}['"]\\s*,\\s*['"]${escape(table)}['"]`)) });
        return new DbtRelation(sourceName, table);
      },
      config,
      isIncremental: false,
    });
    env.jinja.render(template, file, context);
    return { refs, sources, config, unsupported: undefined };
  } catch (error) {
    if (!(error instanceof DbtNativeError) || error.code === 'DBT_PROJECT_INVALID') throw error;
    return { ...scanByPattern(template, file), unsupported: error };
  }
}

function scanByPattern(template: string, file: string): Omit<TemplateScan, 'unsupported'> {
  const lineOf = (index: number) => template.slice(0, index).split('\n').length;
  const refs = [...template.matchAll(REF)].map((m) => ({
    name: m[4] ?? m[2]!,
    packageName: m[4] === undefined ? undefined : m[2],
    where: { file, line: lineOf(m.index) },
  }));
  const sources = [...template.matchAll(SOURCE)].map((m) => ({ sourceName: m[2]!, table: m[4]!, where: { file, line: lineOf(m.index) } }));
  const materialized = MATERIALIZED.exec(template)?.[2];
  return { refs, sources, config: materialized ? { materialized } : {} };
}
