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
