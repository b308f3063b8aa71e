import type { StorageDb } from '../database.js';

/** The asset keys each run's steps materialize or check (a multi-asset step's every key), by run id. */
export async function runAssetKeys(db: StorageDb, runIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const keys = new Map<string, Set<string>>();
  if (runIds.length === 0) return keys;
  const steps = await db.selectFrom('run_steps').select(['run_id', 'asset_key', 'asset_keys']).where('run_id', 'in', [...new Set(runIds)]).execute();
  for (const step of steps) {
    const set = keys.get(step.run_id) ?? new Set<string>();
    for (const key of step.asset_keys ?? [step.asset_key]) set.add(key);
    keys.set(step.run_id, set);
  }
  return keys;
}
