import { qualified } from '../../postgres/quote-ident.js';
import type { WarehouseTx } from '../../postgres/warehouse.js';

/** A view to drop and recreate around the replacement of a relation it reads. */
export interface DependentView {
  readonly schema: string;
  readonly name: string;
  readonly definition: string;
}

/**
 * Views that read `schema.name`, directly or through other views, in creation order (a view after
 * those it reads), with their definitions. Replacing a relation means dropping these first; dbt
 * drops them with CASCADE and leaves them missing until rebuilt, Sluice recreates them in the same
 * transaction, so their readers too see old or new, never nothing.
 */
export async function dependentViews(tx: WarehouseTx, schema: string, name: string): Promise<DependentView[]> {
  const { rows } = await tx.query<DependentView>(
    `with recursive deps(oid, depth) as (
       select v.oid, 1
         from pg_catalog.pg_depend d
         join pg_catalog.pg_rewrite r on r.oid = d.objid
         join pg_catalog.pg_class v on v.oid = r.ev_class
        where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refobjid = $1::regclass
          and v.oid <> $1::regclass and v.relkind = 'v'
       union all
       select v.oid, deps.depth + 1
         from deps
         join pg_catalog.pg_depend d on d.refobjid = deps.oid and d.classid = 'pg_catalog.pg_rewrite'::regclass
         join pg_catalog.pg_rewrite r on r.oid = d.objid
         join pg_catalog.pg_class v on v.oid = r.ev_class
        where v.oid <> deps.oid and v.relkind = 'v' and deps.depth < 100
     )
     select n.nspname as schema, c.relname as name, pg_catalog.pg_get_viewdef(c.oid) as definition
       from deps
       join pg_catalog.pg_class c on c.oid = deps.oid
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      group by n.nspname, c.relname, c.oid
      order by max(deps.depth), n.nspname, c.relname`,
    [qualified(schema, name)],
  );
  return rows;
}

/** Drops `views` (dependents first). */
export async function dropViews(tx: WarehouseTx, views: readonly DependentView[]): Promise<void> {
  for (const view of [...views].reverse()) await tx.query(`drop view ${qualified(view.schema, view.name)}`);
}

/** Recreates `views` from their definitions, in order. */
export async function recreateViews(tx: WarehouseTx, views: readonly DependentView[]): Promise<void> {
  for (const view of views) await tx.query(`create view ${qualified(view.schema, view.name)} as ${view.definition}`);
}
