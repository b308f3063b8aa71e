import type { StorageDb } from '../database.js';
import type { MaterializationRecord } from '../instance.js';
import { toMaterializationRecord } from './row-mappers.js';

/** The latest materialization of each asset (of `assetKeys`, or of every asset). */
export async function latestMaterializations(db: StorageDb, assetKeys?: readonly string[]): Promise<Map<string, MaterializationRecord>> {
  if (assetKeys?.length === 0) return new Map();
  let query = db.selectFrom('materializations').selectAll().distinctOn('asset_key').orderBy('asset_key').orderBy('id', 'desc');
  if (assetKeys) query = query.where('asset_key', 'in', [...assetKeys]);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.asset_key, toMaterializationRecord(row)]));
}

/** The asset's materializations (of one partition when given), newest first. */
export async function materializationHistory(db: StorageDb, assetKey: string, options: { limit?: number; partitionKey?: string } = {}): Promise<MaterializationRecord[]> {
  let query = db.selectFrom('materializations').selectAll().where('asset_key', '=', assetKey).orderBy('id', 'desc');
  if (options.partitionKey !== undefined) query = query.where('partition_key', '=', options.partitionKey);
  if (options.limit !== undefined) query = query.limit(options.limit);
  return (await query.execute()).map(toMaterializationRecord);
}
