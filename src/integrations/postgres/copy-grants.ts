import type { WarehouseTx } from './warehouse.js';

/**
 * Grants on `from` (a table, as `"schema"."table"`) to roles other than its owner, granted again on
 * `to`: a promoted or replaced table keeps the SELECT a dashboard role had on the old one. The
 * privilege names come from the catalog (a fixed set) and grantees are quoted by quote_ident.
 */
export async function copyGrants(tx: WarehouseTx, from: string, to: string): Promise<number> {
  const { rows } = await tx.query<{ grantee: string; privilege: string }>(
    `select case when a.grantee = 0 then 'public' else quote_ident(r.rolname) end as grantee, a.privilege_type as privilege
       from pg_catalog.pg_class c
       cross join lateral aclexplode(c.relacl) a
       left join pg_catalog.pg_roles r on r.oid = a.grantee
      where c.oid = $1::regclass and a.grantee <> c.relowner`,
    [from],
  );
  for (const row of rows) {
    if (!/^[A-Z ]+$/.test(row.privilege)) continue;
    await tx.query(`grant ${row.privilege} on ${to} to ${row.grantee}`);
  }
  return rows.length;
}
