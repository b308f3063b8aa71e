import type { CheckResult } from '../../../core/checks/check-definition.js';
import { listTables } from '../list-tables.js';
import { qualified } from '../quote-ident.js';
import { UnknownTableError } from '../unknown-table-error.js';
import type { Warehouse } from '../warehouse.js';
import type { CheckedTable, SqlTest } from './sql-test.js';

/**
 * Evaluates `test` on `table` in one READ ONLY transaction (one snapshot per statement, and no
 * write possible), for use inside any `defineAssetCheck` check:
 * `check: (ctx) => runSqlTest(ctx.resources.warehouse, { schema: 'dev', name: 'raw_entries' }, notNull(['sgv']))`.
 * Throws UnknownTableError (with suggestions) when the table does not exist.
 */
export function runSqlTest(warehouse: Warehouse, table: CheckedTable, test: SqlTest): Promise<CheckResult> {
  qualified(table.schema, table.name); // INVALID_IDENTIFIER before anything runs
  return warehouse.transaction(async (tx) => {
    await tx.query('set transaction read only');
    const { rows } = await tx.query<{ found: boolean }>('select to_regclass($1) is not null as found', [qualified(table.schema, table.name)]);
    if (!rows[0]!.found) throw new UnknownTableError(table.name, table.schema, warehouse.database, await listTables(tx, table.schema));
    return test.run(tx, table);
  });
}
