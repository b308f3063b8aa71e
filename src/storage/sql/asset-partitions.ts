import type { StorageDb } from '../database.js';
import type { AssetPartitionRecord } from '../instance.js';

/** The state rows of `assetKeys` (every asset when omitted), by asset key then partition key. */
export async function assetPartitions(db: StorageDb, assetKeys?: readonly string[]): Promise<AssetPartitionRecord[]> {
  if (assetKeys?.length === 0) return [];
  let query = db.selectFrom('asset_partitions').selectAll().orderBy('asset_key').orderBy('partition_key');
  if (assetKeys) query = query.where('asset_key', 'in', [...new Set(assetKeys)]);
  const rows = await query.execute();
  return rows.map((row) => ({
    assetKey: row.asset_key,
    partitionKey: row.partition_key,
    status: row.status,
    materializedAt: row.materialized_at,
    codeVersion: row.code_version,
    runId: row.run_id,
    stepKey: row.step_key,
    updatedAt: row.updated_at,
  }));
}
