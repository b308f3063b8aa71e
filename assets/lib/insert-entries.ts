import { qualified, type WarehouseTx } from 'sluice';
import type { RawReading } from './day-readings.js';

const COLUMNS = ['id', 'sgv', 'date', 'date_string', 'direction', 'device', 'type', 'received_at'] as const;

/** DDL of a raw entries table (one row per Nightscout entry; `id` is unique across days, see RawReading). */
export function createRawEntriesSql(schema: string, table: string, options: { ifNotExists?: boolean } = {}): string {
  return `create table ${options.ifNotExists ? 'if not exists ' : ''}${qualified(schema, table)} (
    id integer primary key,
    sgv integer,
    date bigint not null,
    date_string text not null,
    direction text,
    device text not null,
    type text not null,
    received_at bigint not null
  )`;
}

/**
 * Inserts `readings` into `schema.table` with parameterized multi-row INSERTs of `batchSize` rows,
 * skipping ids already there (a reading loaded by an earlier run is never loaded twice, whatever
 * the cursor said). Calls `beforeBatch` before each one (to honour cancellation). Returns the
 * number of rows inserted.
 */
export async function insertEntries(
  tx: WarehouseTx,
  schema: string,
  table: string,
  readings: readonly RawReading[],
  options: { batchSize?: number; beforeBatch?: () => void } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let inserted = 0;
  for (let offset = 0; offset < readings.length; offset += batchSize) {
    options.beforeBatch?.();
    const batch = readings.slice(offset, offset + batchSize);
    const params: unknown[] = [];
    const tuples = batch.map((r, i) => {
      params.push(r.id, r.sgv, r.date, r.dateString, r.direction, r.device, r.type, r.receivedAt);
      const base = i * COLUMNS.length;
      return `(${COLUMNS.map((_, c) => `$${base + c + 1}`).join(', ')})`;
    });
    const result = await tx.query(
      `insert into ${qualified(schema, table)} (${COLUMNS.join(', ')}) values ${tuples.join(', ')} on conflict (id) do nothing`,
      params,
    );
    inserted += result.rowCount;
  }
  return inserted;
}
