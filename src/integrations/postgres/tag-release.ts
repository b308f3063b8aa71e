import { SluiceError } from '../../core/errors.js';
import { listTables } from './list-tables.js';
import { lockTables } from './lock-tables.js';
import { readRelease, RELEASE_MARKER } from './list-releases.js';
import { qualified, quoteIdent } from './quote-ident.js';
import { assertReleaseName } from './release-name.js';
import { replaceTable } from './replace-table.js';
import type { Warehouse } from './warehouse.js';

export interface TagReleaseOptions {
  /** The schema to snapshot (`main`). */
  readonly from: string;
  /** `release_YYYY_MM_DD` (see releaseName). */
  readonly name: string;
  /**
   * When a release of that name exists: `error` (default; releases are immutable) or `replace` (a
   * re-run of the same day's pipeline). A schema of that name that is not a release is never replaced.
   */
  readonly ifExists?: 'error' | 'replace';
  /** Recorded in the release's marker (default: the database clock). */
  readonly at?: Date;
}

export interface ReleaseInfo {
  readonly name: string;
  readonly from: string;
  readonly createdAt: string;
  readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number }>;
}

/**
 * Tags a release: a read-only snapshot of every table of `from` as the schema `name`, in one
 * transaction (SHARE locks on `from`, so the snapshot is of one instant). Querying the release is
 * querying that schema: `select * from release_2024_10_15.daily_glucose`.
 *
 * Read-only, on every backend: each table gets a statement trigger that raises 25006
 * (read_only_sql_transaction) on INSERT, UPDATE, DELETE and TRUNCATE, which holds for superusers
 * too (PGlite runs as one); and INSERT, UPDATE, DELETE, TRUNCATE are revoked from PUBLIC and from
 * the owner, so a non-superuser owner is refused by privileges as well. Dropping the schema remains
 * possible for its owner (to retire a release).
 */
export async function tagRelease(warehouse: Warehouse, options: TagReleaseOptions): Promise<ReleaseInfo> {
  const name = assertReleaseName(options.name);
  const { from } = options;
  quoteIdent(from);
  const schema = quoteIdent(name);
  return warehouse.transaction(async (tx) => {
    const { rows: found } = await tx.query<{ n: number }>('select count(*)::int as n from pg_catalog.pg_namespace where nspname = $1', [name]);
    if (found[0]!.n > 0) {
      const existing = await readRelease(tx, name);
      if (!existing) {
        throw new SluiceError('SCHEMA_EXISTS', `tagRelease: schema "${name}" exists and is not a Sluice release; choose another name or drop it yourself`, { name });
      }
      if ((options.ifExists ?? 'error') === 'error') {
        throw new SluiceError(
          'RELEASE_EXISTS',
          `tagRelease: release "${name}" already exists (from "${existing.from}" at ${existing.createdAt}); releases are immutable: pass ifExists: 'replace' to re-tag it`,
          { name },
        );
      }
      await tx.query(`drop schema ${schema} cascade`);
    }
    await tx.query(`create schema ${schema}`);
    const tables = await listTables(tx, from);
    await lockTables(tx, from, tables, 'share');
    await tx.query(
      `create function ${schema}.sluice_read_only() returns trigger language plpgsql as $body$
       begin
         raise exception 'release %.% is read-only', tg_table_schema, tg_table_name using errcode = '25006';
       end
       $body$`,
    );
    const copied: Array<{ name: string; rows: number }> = [];
    for (const table of tables) {
      const rows = await replaceTable(tx, { schema: from, table }, { schema: name, table }, { keepIndexes: true });
      await tx.query(
        `create trigger sluice_read_only before insert or update or delete or truncate on ${qualified(name, table)}
           for each statement execute function ${schema}.sluice_read_only()`,
      );
      copied.push({ name: table, rows });
    }
    if (tables.length > 0) {
      await tx.query(`revoke insert, update, delete, truncate on all tables in schema ${schema} from public, current_user`);
    }
    const { rows: now } = await tx.query<{ at: Date }>('select coalesce($1::timestamptz, now()) as at', [options.at?.toISOString() ?? null]);
    const createdAt = new Date(now[0]!.at).toISOString();
    const marker = JSON.stringify({ [RELEASE_MARKER]: true, from, createdAt });
    // COMMENT takes no parameters: the JSON goes in as a dollar-quoted literal with a tag it cannot contain.
    await tx.query(`comment on schema ${schema} is $sluice_marker$${marker.replaceAll('$', '')}$sluice_marker$`);
    return { name, from, createdAt, tables: copied };
  });
}
