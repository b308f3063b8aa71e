import type { CheckResult } from '../../../core/checks/check-definition.js';
import type { Metadata } from '../../../core/asset/metadata.js';
import type { WarehouseTx } from '../warehouse.js';
import { SAMPLE_SIZE } from './sql-test.js';

/**
 * Runs `failingSql` (a SELECT of the rows that break a rule) once, returning how many rows it
 * yields and the first SAMPLE_SIZE of them (as JSON) in one statement. The statement always
 * carries at least one bind parameter (the sample size), so the server parses it with the extended
 * protocol, which rejects a second statement smuggled into the SQL.
 *
 * `params` are the failing query's own parameters, `$1`.. in order; the sample size takes the next.
 * The sample is ordered by each row's text form, so it is the same from one evaluation to the next.
 */
export async function failingRows(
  tx: WarehouseTx,
  failingSql: string,
  params: readonly unknown[],
): Promise<{ count: number; sample: unknown[] }> {
  const limit = `$${params.length + 1}`;
  const { rows } = await tx.query<{ failing: string | number; sample: unknown[] | null }>(
    `with failing as (${failingSql})
     select (select count(*) from failing)::text as failing,
            (select json_agg(s) from (select f.* from failing f order by f::text limit ${limit}::int) s) as sample`,
    [...params, SAMPLE_SIZE],
  );
  return { count: Number(rows[0]!.failing), sample: rows[0]!.sample ?? [] };
}

/** The CheckResult of a row-level rule: passed when no row fails. */
export function rowRuleResult(
  failing: { count: number; sample: unknown[] },
  what: { table: string; rule: string; extra?: Metadata },
): CheckResult {
  const passed = failing.count === 0;
  return {
    passed,
    description: passed ? `${what.table}: ${what.rule}` : `${failing.count} row(s) of ${what.table} break "${what.rule}"`,
    metadata: { failing_rows: failing.count, ...(what.extra ?? {}), sample: { json: failing.sample } },
  };
}
