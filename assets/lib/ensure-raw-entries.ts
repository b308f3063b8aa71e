import { qualified, type WarehouseTx } from 'sluice';
import { createRawEntriesSql } from './insert-entries.js';

/**
 * Makes sure `schema.table` exists with the current raw entries shape, inside the caller's
 * transaction. Concurrent loads of different days may both find it missing: an advisory lock held
 * to the end of the transaction lets one create it while the other waits, then finds it. A table
 * of the shape written before ingest was partitioned (no `received_at`; ids restarting at 0 in
 * every load) cannot take rows of the per-day shape, so it is replaced, empty.
 */
export async function ensureRawEntriesTable(tx: WarehouseTx, schema: string, table: string): Promise<'exists' | 'created' | 'replaced'> {
  const name = qualified(schema, table);
  const shape = async () =>
    (
      await tx.query<{ found: boolean; current: boolean }>(
        `select to_regclass($1) is not null as found,
                exists (select 1 from information_schema.columns where table_schema = $2 and table_name = $3 and column_name = 'received_at') as current`,
        [name, schema, table],
      )
    ).rows[0]!;
  const branch = await tx.query<{ found: boolean }>('select exists (select 1 from pg_namespace where nspname = $1) as found', [schema]);
  if (!branch.rows[0]!.found) {
    throw new Error(`the ${schema} branch (schema "${schema}") does not exist yet: materialize it first with \`sluice materialize --select key:dev_branch\`, or include it: --select "+key:raw/entries" --partition DAY`);
  }
  let found = await shape();
  if (found.found && found.current) return 'exists';
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`sluice-example:${name}`]);
  found = await shape();
  if (found.found && found.current) return 'exists';
  if (found.found) await tx.query(`drop table ${name}`);
  await tx.query(createRawEntriesSql(schema, table));
  return found.found ? 'replaced' : 'created';
}
