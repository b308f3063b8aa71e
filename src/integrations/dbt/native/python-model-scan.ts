import type { TemplateScan } from './parse-template.js';

const REF = /\bdbt\.ref\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?(?:,[^)]*)?\)/g;
const SOURCE = /\bdbt\.source\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3\s*\)/g;
const CONFIG = /\bdbt\.config\(([^)]*)\)/g;
const STRING_ARG = /(\w+)\s*=\s*(['"])([^'"]*)\2/g;

/**
 * The refs, sources and string configs of a Python model (`dbt.ref("x")`, `dbt.source("s", "t")`,
 * `dbt.config(materialized="table")`), found by pattern as dbt finds them in the model's code.
 * The native runner refuses Python models; the dbt CLI runner runs them where the adapter can.
 */
export function pythonModelScan(code: string, file: string): TemplateScan {
  const lineOf = (index: number) => code.slice(0, index).split('\n').length;
  const config: Record<string, unknown> = {};
  for (const call of code.matchAll(CONFIG)) for (const arg of call[1]!.matchAll(STRING_ARG)) config[arg[1]!] = arg[3];
  return {
    refs: [...code.matchAll(REF)].map((m) => ({ name: m[4] ?? m[2]!, packageName: m[4] === undefined ? undefined : m[2], where: { file, line: lineOf(m.index) } })),
    sources: [...code.matchAll(SOURCE)].map((m) => ({ sourceName: m[2]!, table: m[4]!, where: { file, line: lineOf(m.index) } })),
    config,
    unsupported: undefined,
  };
}
