import { SluiceError } from '../../core/errors.js';
import { listTables } from './list-tables.js';
import { lockTables } from './lock-tables.js';
import { quoteIdent } from './quote-ident.js';
import { replaceTable } from './replace-table.js';
import type { TableCopyResult } from './table-copy-result.js';
import { UnknownTableError } from './unknown-table-error.js';
import type { Warehouse } from './warehouse.js';

export interface PromoteSchemaOptions {
  /** The audited schema (`dev`). Left as it is. */
  readonly from: string;
  /** The schema readers use (`main`); created if missing. */
  readonly to: string;
  /** Tables to promote (default: every table of `from`). Tables of `to` not listed are kept. */
  readonly tables?: readonly string[];
}

/**
 * The publish step of write-audit-publish: replaces each table of `to` with a copy of `from`'s
 * (columns, constraints, indexes) in ONE transaction. Source tables are share-locked and target
 * tables exclusively locked, in sorted order, so a reader of `to` sees all old or all new tables,
 * never a mix (for one statement under READ COMMITTED, Postgres' default). Throws UnknownTableError
 * when a listed table is not in `from`; on any error nothing changes.
 */
export async function promoteSchema(warehouse: Warehouse, options: PromoteSchemaOptions): Promise<TableCopyResult> {
  const { from, to } = options;
  if (from === to) {
    throw new SluiceError('INVALID_ARGUMENT', `promoteSchema: "from" and "to" are both "${from}": name two different schemas`, {
      from,
      to,
    });
  }
  return warehouse.transaction(async (tx) => {
    await tx.query(`create schema if not exists ${quoteIdent(to)}`);
    const available = await listTables(tx, from);
    const tables = [...new Set(options.tables ?? available)].sort();
    for (const table of tables) {
      if (!available.includes(table)) throw new UnknownTableError(table, from, warehouse.database, available);
    }
    await lockTables(tx, from, tables, 'share');
    const existing = new Set(await listTables(tx, to));
    await lockTables(tx, to, tables.filter((table) => existing.has(table)), 'access exclusive');
    const copied: Array<{ name: string; rows: number }> = [];
    for (const table of tables) {
      const rows = await replaceTable(tx, { schema: from, table }, { schema: to, table }, { keepIndexes: true });
      copied.push({ name: table, rows });
    }
    return { tables: copied };
  });
}
