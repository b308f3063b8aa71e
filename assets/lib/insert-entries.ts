import { qualified, type WarehouseTx } from 'sluice';
import type { GlucoseEntry } from './generate-entries.js';

const COLUMNS = ['id', 'sgv', 'date', 'date_string', 'direction', 'device', 'type'] as const;

/** DDL of a raw entries table (one row per Nightscout entry; `id` is the row's position). */
export function createRawEntriesSql(schema: string, table: string): string {
  return `create table ${qualified(schema, table)} (
    id integer primary key,
    sgv integer,
    date bigint not null,
    date_string text not null,
    direction text,
    device text not null,
    type text not null
  )`;
}

/**
 * Inserts `entries` into `schema.table` with parameterized multi-row INSERTs of `batchSize` rows.
 * Calls `beforeBatch` before each one (to honour cancellation).
 */
export async function insertEntries(
  tx: WarehouseTx,
  schema: string,
  table: string,
  entries: readonly GlucoseEntry[],
  options: { batchSize?: number; beforeBatch?: () => void } = {},
): Promise<void> {
  const batchSize = options.batchSize ?? 500;
  for (let offset = 0; offset < entries.length; offset += batchSize) {
    options.beforeBatch?.();
    const batch = entries.slice(offset, offset + batchSize);
    const params: unknown[] = [];
    const tuples = batch.map((entry, i) => {
      params.push(offset + i, entry.sgv, entry.date, entry.dateString, entry.direction, entry.device, entry.type);
      const base = i * COLUMNS.length;
      return `(${COLUMNS.map((_, c) => `$${base + c + 1}`).join(', ')})`;
    });
    await tx.query(`insert into ${qualified(schema, table)} (${COLUMNS.join(', ')}) values ${tuples.join(', ')}`, params);
  }
}
