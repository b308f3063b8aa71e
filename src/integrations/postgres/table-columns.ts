import { qualified } from './quote-ident.js';
import type { WarehouseTx } from './warehouse.js';

export interface TableColumn {
  readonly name: string;
  /** The SQL type as Postgres prints it (`numeric(10,2)`, `timestamp with time zone`, `integer[]`). */
  readonly type: string;
  readonly notNull: boolean;
}

/** The columns of `schema.table` in table order (dropped columns excluded). */
export async function tableColumns(tx: WarehouseTx, schema: string, table: string): Promise<TableColumn[]> {
  const { rows } = await tx.query<{ name: string; type: string; not_null: boolean }>(
    `select a.attname as name, pg_catalog.format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null
       from pg_catalog.pg_attribute a
      where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [qualified(schema, table)],
  );
  return rows.map((row) => ({ name: row.name, type: row.type, notNull: row.not_null }));
}
