import type { DbtTest } from '../dbt-project.js';
import { DbtNativeError, OUTSIDE_SUBSET, type DbtLocation } from './dbt-native-error.js';
import { injectCtes, type Cte } from './inject-ctes.js';
import { relationTarget } from './relation-target.js';
import type { RunTarget } from './run-target.js';
import { columnSql } from './column-sql.js';
import { compileNode } from './compile-node.js';

/** The generic tests the native runner compiles. */
export const NATIVE_GENERIC_TESTS: readonly string[] = ['not_null', 'unique', 'accepted_values', 'relationships'];

/**
 * A SELECT of the rows that fail a generic test, as dbt's built-in tests write it (so the failure
 * count matches dbt's: failing rows for not_null, duplicated values for unique, unexpected values
 * for accepted_values, orphan values for relationships). Identifiers are quoted; accepted values
 * become SQL literals. Throws DBT_UNSUPPORTED for other tests and arguments.
 */
export function genericTestSql(target: RunTarget, test: DbtTest): string {
  const where = { file: test.originalFilePath };
  const unsupported = (what: string): never => {
    throw new DbtNativeError('DBT_UNSUPPORTED', where, `${what} (test "${test.name}"): ${OUTSIDE_SUBSET}`, { construct: what });
  };
  if (!test.testName || !NATIVE_GENERIC_TESTS.includes(test.testName)) {
    const namespace = test.testName?.includes('.') ? test.testName.split('.')[0] : undefined;
    if (namespace) {
      throw new DbtNativeError('DBT_UNSUPPORTED', where, `generic test "${test.testName}" (test "${test.name}") comes from the dbt package "${namespace}": macros of dbt packages are not available to the native runner; run the project with the dbt CLI runner (dbtCliRunner)`, {
        construct: `generic test ${test.testName}`,
      });
    }
    return unsupported(`generic test "${test.testName}" (the native runner runs ${NATIVE_GENERIC_TESTS.join(', ')})`);
  }
  const ctes: Cte[] = [];
  const model = attachedRelation(target, test, ctes, where);
  if (test.columnName === undefined) return unsupported(`test ${test.testName} without a column`);
  const column = columnSql(test.columnName, where);
  const args = test.kwargs;
  let sql: string;
  switch (test.testName) {
    case 'not_null':
      sql = `select * from ${model} where ${column} is null`;
      break;
    case 'unique':
      sql = `select ${column} as unique_field, count(*) as n_records from ${model} where ${column} is not null group by ${column} having count(*) > 1`;
      break;
    case 'accepted_values': {
      const values = args.values;
      if (!Array.isArray(values) || values.length === 0) return unsupported('accepted_values without a non-empty "values" list');
      const quote = args.quote ?? true;
      const literals = values.map((value) => literal(value, quote !== false, unsupported));
      sql = `with all_values as (select ${column} as value_field, count(*) as n_records from ${model} group by ${column})
select * from all_values where value_field not in (${literals.join(', ')})`;
      break;
    }
    default: {
      const to = args.to;
      const field = args.field;
      if (typeof to !== 'string' || typeof field !== 'string') return unsupported('relationships without "to" and "field"');
      const parent = relationTarget(to, where);
      const parentRelation =
        parent.kind === 'source'
          ? target.sourceRelation(target.resolveSource(parent.sourceName, parent.table, where)).render()
          : relationOrCte(target, target.resolveRef(parent.name, parent.packageName, where), ctes);
      sql = `with child as (select ${column} as from_field from ${model} where ${column} is not null),
parent as (select ${columnSql(field, where)} as to_field from ${parentRelation})
select from_field from child left join parent on child.from_field = parent.to_field where parent.to_field is null`;
    }
  }
  return injectCtes(sql, ctes);
}

function attachedRelation(target: RunTarget, test: DbtTest, ctes: Cte[], where: DbtLocation): string {
  const id = test.attachedNode;
  const source = id === undefined ? undefined : target.project.sources.get(id);
  if (source) return target.sourceRelation(source).render();
  const node = id === undefined ? undefined : target.project.nodes.get(id);
  if (!node) {
    throw new DbtNativeError('DBT_PROJECT_INVALID', where, `test "${test.name}" is attached to ${id ?? 'nothing'}, which the project does not have`, { test: test.uniqueId });
  }
  return relationOrCte(target, node, ctes);
}

/** A node's relation, or its CTE when ephemeral (dbt tests ephemeral models through the CTE too). */
function relationOrCte(target: RunTarget, node: Parameters<RunTarget['relationOf']>[0], ctes: Cte[]): string {
  if (node.materialized !== 'ephemeral') return target.relationOf(node).render();
  const name = `__dbt__cte__${node.name}`;
  if (!ctes.some((cte) => cte.name === name)) ctes.push({ name, sql: compileNode(target, node, false).sql });
  return name;
}

function literal(value: unknown, quote: boolean, unsupported: (what: string) => never): string {
  if (quote) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return unsupported(`accepted value ${JSON.stringify(value)}`);
    const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
    return `'${text.replaceAll("'", "''")}'`;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return unsupported(`accepted value ${JSON.stringify(value)} with quote: false (only numbers and booleans)`);
}
