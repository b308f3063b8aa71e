import { qualified, quoteIdent } from '../../postgres/quote-ident.js';
import type { Warehouse, WarehouseTx } from '../../postgres/warehouse.js';
import { relationConflict, type BuildSpec } from './build-spec.js';
import { dependentViews, dropViews, recreateViews } from './dependent-views.js';
import { relationKind } from './relation-kind.js';
import { siblingName } from './run-target.js';

/**
 * Builds the table under a temporary name (`<name>__dbt_tmp`), then, in the same transaction,
 * drops the old relation and renames the new table into place (views reading it are recreated
 * around the swap). The long part, running the query, takes no lock on the old table; the swap
 * holds an exclusive lock only until the commit, so a concurrent reader waits a moment and sees
 * the old table or the new one, never a missing or half-filled one. Returns the rows it holds.
 */
export async function buildTable(warehouse: Warehouse, spec: BuildSpec): Promise<number> {
  return warehouse.transaction((tx) => buildTableIn(tx, spec));
}

/** buildTable inside a caller's transaction. */
export async function buildTableIn(tx: WarehouseTx, spec: BuildSpec): Promise<number> {
  const relation = qualified(spec.schema, spec.name);
  const tmpName = siblingName(spec.name, '__dbt_tmp');
  const tmp = qualified(spec.schema, tmpName);
  await tx.query(`drop table if exists ${tmp}`);
  await tx.query(`create table ${tmp} as (\n${spec.sql}\n)`);
  const { rows } = await tx.query<{ n: number }>(`select count(*)::int as n from ${tmp}`);
  const kind = await relationKind(tx, spec.schema, spec.name);
  const dependents = kind === undefined ? [] : await dependentViews(tx, spec.schema, spec.name);
  await dropViews(tx, dependents);
  if (kind === 'table') await tx.query(`drop table ${relation}`);
  else if (kind === 'view') await tx.query(`drop view ${relation}`);
  else if (kind === 'other') throw relationConflict(spec);
  await tx.query(`alter table ${tmp} rename to ${quoteIdent(spec.name)}`);
  await recreateViews(tx, dependents);
  return rows[0]!.n;
}

