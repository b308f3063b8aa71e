import type { StorageDb } from '../database.js';
import type { AssetCursorRecord } from '../instance.js';

/** The committed cursor of (asset, partition): one primary-key read. Written only by finishStep. */
export async function getCursor(db: StorageDb, assetKey: string, partitionKey = ''): Promise<AssetCursorRecord | undefined> {
  const row = await db.selectFrom('asset_cursors').selectAll().where('asset_key', '=', assetKey).where('partition_key', '=', partitionKey).executeTakeFirst();
  return (
    row && { assetKey: row.asset_key, partitionKey: row.partition_key, value: row.value, runId: row.run_id, stepKey: row.step_key, updatedAt: row.updated_at }
  );
}
