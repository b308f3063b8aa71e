import type { WarehouseTx } from '../../postgres/warehouse.js';

/** What a name in a schema is, as the materializations care: a table, a view, something else, or nothing. */
export type RelationKind = 'table' | 'view' | 'other' | undefined;

export async function relationKind(tx: WarehouseTx, schema: string, name: string): Promise<RelationKind> {
  const { rows } = await tx.query<{ kind: string }>(
    `select c.relkind::text as kind
       from pg_catalog.pg_class c
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2`,
    [schema, name],
  );
  const kind = rows[0]?.kind;
  if (kind === undefined) return undefined;
  return kind === 'r' || kind === 'p' ? 'table' : kind === 'v' ? 'view' : 'other';
}
