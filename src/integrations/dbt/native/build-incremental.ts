import { qualified, quoteIdent } from '../../postgres/quote-ident.js';
import { tableColumns } from '../../postgres/table-columns.js';
import type { Warehouse } from '../../postgres/warehouse.js';
import { buildTableIn } from './build-table.js';
import type { BuildSpec } from './build-spec.js';
import { relationKind } from './relation-kind.js';

export interface IncrementalResult {
  /** false when the table was (re)built in full: it did not exist, was a view, or a full refresh. */
  readonly incremental: boolean;
  readonly rowsInserted: number;
  readonly rowsDeleted: number;
}

/**
 * An incremental model, in one transaction. When the table exists (and no full refresh is asked),
 * `incrementalSql()` (compiled with is_incremental() true) is run into a temporary table; rows of
 * the target whose `uniqueKey` columns match a new row are deleted, then the new rows inserted
 * (dbt-postgres' delete+insert; plain append without a key). `uniqueKey` holds SQL column names
 * (see columnSql). Otherwise `fullSql()` builds the table
 * like a table model. The target's columns decide what is inserted; a missing column fails.
 */
export async function buildIncremental(
  warehouse: Warehouse,
  spec: { schema: string; name: string; uniqueKey: readonly string[]; fullRefresh: boolean },
  compile: (isIncremental: boolean) => string,
): Promise<IncrementalResult> {
  return warehouse.transaction(async (tx) => {
    const kind = await relationKind(tx, spec.schema, spec.name);
    if (kind !== 'table' || spec.fullRefresh) {
      const full: BuildSpec = { schema: spec.schema, name: spec.name, sql: compile(false) };
      return { incremental: false, rowsInserted: await buildTableIn(tx, full), rowsDeleted: 0 };
    }
    const target = qualified(spec.schema, spec.name);
    const tmp = quoteIdent('sluice_dbt_incremental_tmp');
    await tx.query(`drop table if exists pg_temp.${tmp}`);
    await tx.query(`create temporary table ${tmp} on commit drop as (\n${compile(true)}\n)`);
    let rowsDeleted = 0;
    if (spec.uniqueKey.length > 0) {
      const match = spec.uniqueKey.map((key) => `${target}.${key} = ${tmp}.${key}`).join(' and ');
      rowsDeleted = (await tx.query(`delete from ${target} using ${tmp} where ${match}`)).rowCount;
    }
    const columns = (await tableColumns(tx, spec.schema, spec.name)).map((c) => quoteIdent(c.name)).join(', ');
    const { rowCount } = await tx.query(`insert into ${target} (${columns}) select ${columns} from ${tmp}`);
    await tx.query(`drop table pg_temp.${tmp}`);
    return { incremental: true, rowsInserted: rowCount, rowsDeleted };
  });
}
