import type { DbtLocation } from './dbt-native-error.js';
import { DbtNativeError } from './dbt-native-error.js';
import { compileTemplate } from './compile-template.js';
import type { JinjaValue } from './jinja-expression.js';

/** What a model's or test's SQL says about the graph, found without a database. */
export interface TemplateScan {
  readonly refs: ReadonlyArray<{ readonly name: string; readonly packageName: string | undefined; readonly where: DbtLocation }>;
  readonly sources: ReadonlyArray<{ readonly sourceName: string; readonly table: string; readonly where: DbtLocation }>;
  /** `config(...)` keyword arguments. */
  readonly config: Readonly<Record<string, JinjaValue>>;
  /** Set when the SQL is outside the native subset: refs and sources were then found by pattern. */
  readonly unsupported: DbtNativeError | undefined;
}

const REF = /\bref\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?(?:,[^)]*)?\)/g;
const SOURCE = /\bsource\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3\s*\)/g;
const MATERIALIZED = /\bconfig\([^)]*\bmaterialized\s*=\s*(['"])(\w+)\1/;

/**
 * The refs, sources and config of a dbt SQL template. SQL in the native subset is compiled (both
 * `is_incremental()` branches are checked); SQL outside it (macros, loops) is still valid dbt for
 * the dbt CLI runner, so its `ref('..')`/`source('..', '..')` calls and `materialized=` are found by
 * pattern, and `unsupported` says why the native runner will refuse it.
 */
export function scanTemplate(template: string, file: string): TemplateScan {
  const refs: Array<TemplateScan['refs'][number]> = [];
  const sources: Array<TemplateScan['sources'][number]> = [];
  try {
    const { config } = compileTemplate(template, file, {
      ref: (name, packageName, where) => (refs.push({ name, packageName, where }), ''),
      source: (sourceName, table, where) => (sources.push({ sourceName, table, where }), ''),
      var: (_name, fallback) => fallback?.value ?? '',
      this: '',
      targetSchema: '',
      isIncremental: false,
    });
    return { refs, sources, config, unsupported: undefined };
  } catch (error) {
    if (!(error instanceof DbtNativeError) || error.code !== 'DBT_UNSUPPORTED') throw error;
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
