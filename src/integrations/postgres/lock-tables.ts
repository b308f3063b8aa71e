import { qualified } from './quote-ident.js';
import type { WarehouseTx } from './warehouse.js';

/**
 * Locks `tables` of `schema` until the end of `tx`, in sorted order in one statement, so that two
 * callers locking overlapping sets cannot deadlock each other. No-op for an empty list.
 */
export async function lockTables(
  tx: WarehouseTx,
  schema: string,
  tables: readonly string[],
  mode: 'share' | 'access exclusive',
): Promise<void> {
  if (tables.length === 0) return;
  const list = [...tables].sort().map((table) => qualified(schema, table));
  await tx.query(`lock table ${list.join(', ')} in ${mode} mode`);
}
