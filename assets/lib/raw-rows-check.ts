import { defineAssetCheck, postgresWarehouse, qualified, type CheckSeverity } from 'sluice';
import { rawEntriesScope } from './raw-entries-scope.js';
import { SCHEMAS } from './warehouse-schemas.js';

export interface RawRowsCheckSpec {
  readonly asset: Parameters<typeof defineAssetCheck>[0]['asset'];
  readonly name: string;
  readonly severity: CheckSeverity;
  readonly description: string;
  /** A SQL condition, true for a failing row; constant SQL, never built from input. */
  readonly failing: string;
}

/**
 * A check that no row of dev.raw_entries in the run's days (see rawEntriesScope) meets `failing`:
 * the metadata carries the failing and audited row counts, the days, and up to 5 failing rows.
 * Read-only, like the sqlCheck helpers, which audit a whole table and so cannot scope by day.
 */
export function rawRowsCheck(spec: RawRowsCheckSpec) {
  return defineAssetCheck({
    asset: spec.asset,
    name: spec.name,
    severity: spec.severity,
    description: spec.description,
    resources: { warehouse: postgresWarehouse },
    check: (ctx) =>
      ctx.resources.warehouse.transaction(async (tx) => {
        await tx.query('set transaction read only');
        const table = qualified(SCHEMAS.dev, 'raw_entries');
        const scope = rawEntriesScope(ctx);
        const { rows } = await tx.query<{ audited: number; failing: number }>(
          `select count(*)::int as audited, count(*) filter (where ${spec.failing})::int as failing from ${table} where ${scope.where}`,
          scope.params,
        );
        const sample = await tx.query(
          `select id, sgv, date_string, direction from ${table} where ${scope.where} and (${spec.failing}) order by id limit 5`,
          scope.params,
        );
        const { audited, failing } = rows[0]!;
        return {
          passed: failing === 0,
          description: `${failing} of ${audited} rows of ${scope.label} fail: ${spec.description}`,
          metadata: { failing_rows: failing, rows: audited, days: scope.label, sample: { json: sample.rows } },
        };
      }),
  });
}
