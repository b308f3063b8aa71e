import type { DbtNode, DbtTest } from '../dbt-project.js';
import { DbtNativeError, OUTSIDE_SUBSET } from './dbt-native-error.js';
import { injectCtes, trimStatement, type Cte } from './inject-ctes.js';
import type { RunTarget } from './run-target.js';

export interface CompiledNode {
  /** One SELECT, ephemeral models inlined as `__dbt__cte__<name>` CTEs. */
  readonly sql: string;
  /** The SQL's own `config()` arguments. */
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * Compiles a model's or singular test's SQL for `target` as dbt does when it executes: the
 * project's macros available, `ref()` to the relation (or, for an ephemeral model, to a CTE
 * inlined in front, its own ephemeral refs first), `source()` to the source's relation,
 * `{{ this }}` to the model's relation, `is_incremental()` to `isIncremental`, `execute` true.
 * `log` receives the template's `log()` calls.
 */
export function compileNode(target: RunTarget, item: DbtNode | DbtTest, isIncremental: boolean, log?: (message: string, info: boolean) => void): CompiledNode {
  const ctes: Cte[] = [];
  const compiled = compileSql(target, item, isIncremental, ctes, [], log);
  return { sql: injectCtes(compiled.sql, ctes), config: compiled.config };
}

function compileSql(
  target: RunTarget,
  item: DbtNode | DbtTest,
  isIncremental: boolean,
  ctes: Cte[],
  inlining: readonly string[],
  log: ((message: string, info: boolean) => void) | undefined,
): CompiledNode {
  const file = item.originalFilePath;
  if (item.rawCode === undefined) {
    throw new DbtNativeError('DBT_UNSUPPORTED', { file }, `no SQL for ${item.uniqueId} (raw_code missing): ${OUTSIDE_SUBSET}`, { construct: 'missing raw_code' });
  }
  const config: Record<string, unknown> = {};
  const context = target.context({
    file,
    execute: true,
    item,
    config,
    isIncremental,
    ...(log ? { log } : {}),
    ref: (name, packageName) => {
      const node = target.resolveRef(name, packageName, { file });
      if (node.materialized !== 'ephemeral') return target.relationOf(node);
      const cteName = `__dbt__cte__${node.name}`;
      if (inlining.includes(node.uniqueId)) {
        throw new DbtNativeError('DBT_UNSUPPORTED', { file }, `ephemeral model "${node.name}" refers to itself through ${inlining.join(' -> ')}`, { construct: 'ephemeral cycle' });
      }
      if (!ctes.some((cte) => cte.name === cteName)) {
        const inner = compileSql(target, node, false, ctes, [...inlining, node.uniqueId], log);
        ctes.push({ name: cteName, sql: trimStatement(inner.sql) });
      }
      return cteName;
    },
  });
  const sql = target.jinja.render(item.rawCode, file, context);
  return { sql: trimStatement(sql), config };
}
