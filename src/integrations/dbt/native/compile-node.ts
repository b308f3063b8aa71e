import type { DbtNode, DbtTest } from '../dbt-project.js';
import { compileTemplate } from './compile-template.js';
import { DbtNativeError, OUTSIDE_SUBSET } from './dbt-native-error.js';
import { injectCtes, trimStatement, type Cte } from './inject-ctes.js';
import type { JinjaValue } from './jinja-expression.js';
import type { RunTarget } from './run-target.js';

export interface CompiledNode {
  /** One SELECT, ephemeral models inlined as `__dbt__cte__<name>` CTEs. */
  readonly sql: string;
  /** The SQL's own `config()` arguments. */
  readonly config: Readonly<Record<string, JinjaValue>>;
}

/**
 * Compiles a model's or singular test's SQL for `target`: `ref()` to the relation (or, for an
 * ephemeral model, to a CTE inlined in front, its own ephemeral refs first), `source()` to the
 * source's relation, `{{ this }}` to the model's relation, `is_incremental()` to `isIncremental`.
 */
export function compileNode(target: RunTarget, item: DbtNode | DbtTest, isIncremental: boolean): CompiledNode {
  const ctes: Cte[] = [];
  const compiled = compileSql(target, item, isIncremental, ctes, []);
  return { sql: injectCtes(compiled.sql, ctes), config: compiled.config };
}

function compileSql(
  target: RunTarget,
  item: DbtNode | DbtTest,
  isIncremental: boolean,
  ctes: Cte[],
  inlining: readonly string[],
): CompiledNode {
  const file = item.originalFilePath;
  if (item.rawCode === undefined) {
    throw new DbtNativeError('DBT_UNSUPPORTED', { file }, `no SQL for ${item.uniqueId} (raw_code missing): ${OUTSIDE_SUBSET}`, { construct: 'missing raw_code' });
  }
  const isModel = 'resourceType' in item;
  const { sql, config } = compileTemplate(item.rawCode, file, {
    ref: (name, packageName, where) => {
      const node = target.resolveRef(name, packageName, where);
      if (node.materialized !== 'ephemeral') return target.relationOf(node);
      const cteName = `__dbt__cte__${node.name}`;
      if (inlining.includes(node.uniqueId)) {
        throw new DbtNativeError('DBT_UNSUPPORTED', where, `ephemeral model "${node.name}" refers to itself through ${inlining.join(' -> ')}`, { construct: 'ephemeral cycle' });
      }
      if (!ctes.some((cte) => cte.name === cteName)) {
        const inner = compileSql(target, node, false, ctes, [...inlining, node.uniqueId]);
        ctes.push({ name: cteName, sql: trimStatement(inner.sql) });
      }
      return cteName;
    },
    source: (sourceName, table, where) => target.sourceRelation(target.resolveSource(sourceName, table, where)),
    var: (name, fallback, where) => target.var(name, fallback, where),
    this: isModel && item.materialized !== 'ephemeral' ? target.relationOf(item) : undefined,
    targetSchema: target.schema,
    isIncremental,
  });
  return { sql: trimStatement(sql), config };
}
