import type { StorageDb } from '../database.js';
import type { AssetLockRecord } from '../instance.js';
import { toAssetLockRecord } from './row-mappers.js';

/** Every asset lock held now, by asset key. Locks are taken by startStep (see start-step.ts). */
export async function listAssetLocks(db: StorageDb): Promise<AssetLockRecord[]> {
  const rows = await db.selectFrom('asset_locks').selectAll().orderBy('asset_key').execute();
  return rows.map(toAssetLockRecord);
}
