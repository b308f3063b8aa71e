import type { AnyAssetDefinition } from '../../../core/asset/asset-definition.js';
import type { ResourceDefinition } from '../../../core/asset/resource.js';
import { defineAssetCheck, type CheckContext, type CheckDefinition, type CheckSeverity } from '../../../core/checks/check-definition.js';
import { SluiceError } from '../../../core/errors.js';
import { postgresWarehouse } from '../postgres-warehouse.js';
import type { Warehouse } from '../warehouse.js';
import { runSqlTest } from './run-sql-test.js';
import type { CheckedTable, SqlTest } from './sql-test.js';

type WarehouseResources = { readonly warehouse: ResourceDefinition<Warehouse> };

export interface SqlCheckSpec {
  readonly asset: string | AnyAssetDefinition;
  readonly name: string;
  /** The audited table, or a function of the check's context (partition, run tags) returning it. */
  readonly table: CheckedTable | ((ctx: CheckContext<WarehouseResources>) => CheckedTable);
  /** `notNull(['sgv'])`, `unique(['date'])`, `acceptedValues(...)`, `rowCount(...)`, ... */
  readonly test: SqlTest;
  readonly severity?: CheckSeverity;
  readonly blocking?: boolean;
  /** Default: `<schema>.<table>: <what the test asserts>`. */
  readonly description?: string;
  /** The warehouse resource to query (default: `postgresWarehouse`). */
  readonly warehouse?: ResourceDefinition<Warehouse>;
}

/**
 * An asset check that evaluates one SQL test on a Postgres table:
 * `sqlCheck({ asset: rawEntries, name: 'sgv_not_null', table: { schema: 'dev', name: 'raw_entries' },
 * test: notNull(['sgv']), blocking: true })`. The result carries the failing row count and a sample
 * of up to 5 failing rows as metadata (see each test). Frozen data, like every definition.
 */
export function sqlCheck(spec: SqlCheckSpec): CheckDefinition<WarehouseResources> {
  const test = spec.test;
  if (!test || typeof test.run !== 'function') {
    throw new SluiceError('INVALID_DEFINITION', `sqlCheck "${String(spec.name)}": "test" must be a SQL test such as notNull(['col'])`, { name: spec.name });
  }
  const table = spec.table;
  if (typeof table !== 'function' && (typeof table?.schema !== 'string' || typeof table?.name !== 'string')) {
    throw new SluiceError('INVALID_DEFINITION', `sqlCheck "${String(spec.name)}": "table" must be { schema, name } or a function returning it`, {
      name: spec.name,
    });
  }
  const description = spec.description ?? (typeof table === 'function' ? test.summary : `${table.schema}.${table.name}: ${test.summary}`);
  return defineAssetCheck({
    asset: spec.asset,
    name: spec.name,
    ...(spec.severity === undefined ? {} : { severity: spec.severity }),
    ...(spec.blocking === undefined ? {} : { blocking: spec.blocking }),
    description,
    resources: { warehouse: spec.warehouse ?? postgresWarehouse },
    check: (ctx) => runSqlTest(ctx.resources.warehouse, typeof table === 'function' ? table(ctx) : table, test),
  });
}
