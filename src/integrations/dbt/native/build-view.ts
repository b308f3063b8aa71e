import { qualified } from '../../postgres/quote-ident.js';
import type { Warehouse } from '../../postgres/warehouse.js';
import { dependentViews, dropViews, recreateViews } from './dependent-views.js';
import { relationConflict, type BuildSpec } from './build-spec.js';
import { relationKind } from './relation-kind.js';

/** A model to build: where, and the SELECT that defines it. */
/** Postgres' "cannot drop columns from view" / "cannot change name or type of view column". */
const VIEW_SHAPE_CHANGED = '42P16';

/**
 * `create or replace view`, in one transaction. When the new query changes the view's columns in
 * a way `create or replace` refuses (a column dropped, renamed or retyped), or a table of that name
 * exists, the old relation is dropped and the view created, with the views that read it recreated
 * around it, all in the same transaction: readers see the old view or the new, never neither.
 */
export async function buildView(warehouse: Warehouse, spec: BuildSpec): Promise<void> {
  const relation = qualified(spec.schema, spec.name);
  const create = `create view ${relation} as (\n${spec.sql}\n)`;
  await warehouse.transaction(async (tx) => {
    const kind = await relationKind(tx, spec.schema, spec.name);
    if (kind === 'view') {
      await tx.query('savepoint sluice_replace_view');
      try {
        await tx.query(`create or replace view ${relation} as (\n${spec.sql}\n)`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== VIEW_SHAPE_CHANGED) throw error;
        await tx.query('rollback to savepoint sluice_replace_view');
      }
    }
    if (kind === 'other') throw relationConflict(spec);
    if (kind === undefined) {
      await tx.query(create);
      return;
    }
    const dependents = await dependentViews(tx, spec.schema, spec.name);
    await dropViews(tx, dependents);
    await tx.query(`drop ${kind === 'view' ? 'view' : 'table'} ${relation}`);
    await tx.query(create);
    await recreateViews(tx, dependents);
  });
}
