import type { Warehouse, WarehouseTx } from './warehouse.js';

/** The key in a schema's comment (JSON) that marks it as a release tagged by tagRelease. */
export const RELEASE_MARKER = 'sluice_release';

export interface ReleaseSummary {
  readonly name: string;
  /** The schema it is a snapshot of. */
  readonly from: string;
  readonly createdAt: string;
  readonly tables: number;
}

interface Row {
  name: string;
  comment: string | null;
  tables: number;
}

const RELEASES_SQL = `
  select n.nspname as name, obj_description(n.oid, 'pg_namespace') as comment,
         (select count(*)::int from pg_catalog.pg_class c where c.relnamespace = n.oid and c.relkind in ('r', 'p')) as tables
    from pg_catalog.pg_namespace n
   where n.nspname like 'release\\_%'`;

function parse(row: Row): ReleaseSummary | undefined {
  try {
    const marker = JSON.parse(row.comment ?? '') as Record<string, unknown>;
    if (marker?.[RELEASE_MARKER] !== true || typeof marker.from !== 'string' || typeof marker.createdAt !== 'string') return undefined;
    return { name: row.name, from: marker.from, createdAt: marker.createdAt, tables: row.tables };
  } catch {
    return undefined;
  }
}

/** Releases tagged by tagRelease, by name (so by date for release_YYYY_MM_DD). Other schemas named release_* are not listed. */
export async function listReleases(warehouse: Warehouse): Promise<ReleaseSummary[]> {
  const { rows } = await warehouse.query<Row>(`${RELEASES_SQL} order by n.nspname collate "C"`);
  return rows.map(parse).filter((r): r is ReleaseSummary => r !== undefined);
}

/** The release named `name`, or undefined when there is no such schema or it is not a release. */
export async function readRelease(tx: WarehouseTx, name: string): Promise<ReleaseSummary | undefined> {
  const { rows } = await tx.query<Row>(`${RELEASES_SQL} and n.nspname = $1`, [name]);
  return rows[0] ? parse(rows[0]) : undefined;
}
