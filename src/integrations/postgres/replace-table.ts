import { qualified } from './quote-ident.js';
import type { WarehouseTx } from './warehouse.js';

export interface TableRef {
  readonly schema: string;
  readonly table: string;
}

/**
 * Inside `tx`, in one database: drops `to` if it exists and recreates it as a copy of `from`.
 * The copy has `from`'s columns, types and NOT NULLs; with `keepIndexes` also its CHECK
 * constraints, indexes (primary key included) and comments. Never column defaults: a serial's
 * default would tie `to` to `from`'s sequence. Returns the number of rows copied.
 */
export async function replaceTable(
  tx: WarehouseTx,
  from: TableRef,
  to: TableRef,
  options: { readonly keepIndexes: boolean },
): Promise<number> {
  const source = qualified(from.schema, from.table);
  const target = qualified(to.schema, to.table);
  const including = options.keepIndexes ? ' including constraints including indexes including comments' : '';
  await tx.query(`drop table if exists ${target}`);
  await tx.query(`create table ${target} (like ${source}${including})`);
  const { rowCount } = await tx.query(`insert into ${target} select * from ${source}`);
  return rowCount;
}
