import { sql } from 'kysely';
import type { StorageDb } from '../database.js';
import type { FeedWatermark } from '../sensor-storage.js';

/**
 * The highest id of an append-only table with the transactions running in the same snapshot (one
 * statement): what a feed needs to read only ids no transaction in flight can still commit below
 * (sensor-feed.ts advanceFeedCursor). Used by the sensor and alert feeds (events) and by
 * automation's tracker (materializations, check results).
 */
export async function feedWatermark(db: StorageDb, table: 'events' | 'materializations' | 'check_results'): Promise<FeedWatermark> {
  const row = await db
    .selectFrom(table)
    .select((eb) => [
      eb.fn.max('id').as('max_id'),
      sql<string>`pg_snapshot_xmin(pg_current_snapshot())::text`.as('xmin'),
      sql<string | null>`(select max(x)::text from pg_snapshot_xip(pg_current_snapshot()) as x)`.as('xip_max'),
    ])
    .executeTakeFirstOrThrow();
  return { maxEventId: Number(row.max_id ?? 0), xmin: row.xmin, xipMax: row.xip_max };
}
