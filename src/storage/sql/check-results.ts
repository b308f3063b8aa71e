import type { StorageDb } from '../database.js';
import type { CheckResultRecord } from '../instance.js';
import { toCheckResultRecord } from './row-mappers.js';

/** Check results of a run and/or an asset (all when neither is given), newest first. */
export async function checkResults(
  db: StorageDb,
  filter: { runId?: string; assetKey?: string; limit?: number },
): Promise<CheckResultRecord[]> {
  let query = db.selectFrom('check_results').selectAll().orderBy('id', 'desc');
  if (filter.runId !== undefined) query = query.where('run_id', '=', filter.runId);
  if (filter.assetKey !== undefined) query = query.where('asset_key', '=', filter.assetKey);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(toCheckResultRecord);
}

/**
 * The newest result of each (asset, check) of `assetKeys`, ordered by asset key then check name.
 * One index-backed DISTINCT ON over check_results (asset_key, id desc).
 */
export async function latestCheckResults(db: StorageDb, assetKeys: readonly string[]): Promise<CheckResultRecord[]> {
  if (assetKeys.length === 0) return [];
  const rows = await db
    .selectFrom('check_results')
    .selectAll()
    .distinctOn(['asset_key', 'check_name'])
    .where('asset_key', 'in', [...new Set(assetKeys)])
    .orderBy('asset_key')
    .orderBy('check_name')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toCheckResultRecord);
}
