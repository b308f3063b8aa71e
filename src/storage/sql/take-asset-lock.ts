import type { StorageDb } from '../database.js';

/** The step holding an asset's lock. */
export interface AssetLockHolder {
  readonly runId: string;
  readonly stepKey: string;
}

/**
 * Takes `assetKey`'s lock for the step inside the caller's transaction; returns null when the step
 * now holds it, else the holder (and the caller must roll back).
 *
 * One statement when the lock is free or already this step's (a lost attempt restarted: the row
 * takes the new worker and time): insert ... on conflict do update ... where the row is this step's.
 * A concurrent insert of the same key makes it wait for that transaction, so of two steps racing
 * for one asset exactly one gets a row back. When another step holds the lock, the failed
 * conflict update still locks the holder's row, so the second statement, reading the holder, sees
 * it (it cannot be released before this transaction ends).
 */
export async function takeAssetLock(trx: StorageDb, assetKey: string, runId: string, stepKey: string, worker: string, at: Date): Promise<AssetLockHolder | null> {
  const taken = await trx
    .insertInto('asset_locks')
    .values({ asset_key: assetKey, run_id: runId, step_key: stepKey, worker, acquired_at: at })
    .onConflict((oc) =>
      oc
        .column('asset_key')
        .doUpdateSet((eb) => ({ worker: eb.ref('excluded.worker'), acquired_at: eb.ref('excluded.acquired_at') }))
        .where('asset_locks.run_id', '=', runId)
        .where('asset_locks.step_key', '=', stepKey),
    )
    .returning('asset_key')
    .executeTakeFirst();
  if (taken) return null;
  const holder = await trx.selectFrom('asset_locks').select(['run_id', 'step_key']).where('asset_key', '=', assetKey).executeTakeFirstOrThrow();
  return { runId: holder.run_id, stepKey: holder.step_key };
}
