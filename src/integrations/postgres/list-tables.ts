import type { WarehouseTx } from './warehouse.js';

/** Names of the ordinary tables in `schema`, sorted; empty when the schema does not exist. */
export async function listTables(tx: WarehouseTx, schema: string): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(
    `select c.relname as name
       from pg_catalog.pg_class c
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p')
      order by c.relname collate "C"`,
    [schema],
  );
  return rows.map((row) => row.name);
}
