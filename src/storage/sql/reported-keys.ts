import type { StorageDb } from '../database.js';

/**
 * Of `assetKeys`, those whose every partition (of the step; '' when unpartitioned) has its
 * asset_partitions row MATERIALIZED by this run and step: what earlier attempts of a multi-asset's
 * step reported. Primary-key lookups only.
 */
export async function reportedKeys(db: StorageDb, runId: string, stepKey: string, assetKeys: readonly string[], partitions: readonly string[] | null): Promise<string[]> {
  if (assetKeys.length === 0) return [];
  const parts = partitions && partitions.length > 0 ? partitions : [''];
  const rows = await db
    .selectFrom('asset_partitions')
    .select(['asset_key', 'partition_key'])
    .where('asset_key', 'in', [...assetKeys])
    .where('partition_key', 'in', [...parts])
    .where('run_id', '=', runId)
    .where('step_key', '=', stepKey)
    .where('status', '=', 'MATERIALIZED')
    .execute();
  const count = new Map<string, number>();
  for (const row of rows) count.set(row.asset_key, (count.get(row.asset_key) ?? 0) + 1);
  return assetKeys.filter((key) => count.get(key) === new Set(parts).size);
}
