import { sql, type QueryCreator } from 'kysely';
import type { Database } from '../database.js';

/**
 * The CTE that releases a step's asset locks once its attempt ended: `delete from asset_locks where
 * asset_key in (the step's asset, or a multi-asset step's keys) and run_id = $runId and step_key =
 * $stepKey`. `ended` is the CTE of the guarded update that ended the attempt, so a repeated or
 * stale call (no row ended) releases nothing; a check step matches no lock row (its key is not its
 * asset's step key). The rows are locked in (asset, partition) order before they are deleted, the
 * order in which starts take them (see finishStep's lock order). The delete is by primary key.
 */
export function releaseAssetLock<Ended extends { asset_key: string; asset_keys: string[] | null }>(qb: QueryCreator<Database & { ended: Ended }>, runId: string, stepKey: string) {
  return qb
    .deleteFrom('asset_locks')
    .where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple('asset_key', 'partition_key'),
        'in',
        selectFrom('asset_locks as held')
          .select(['held.asset_key', 'held.partition_key'])
          .where('held.asset_key', 'in', (eb) => eb.selectFrom('ended').select(sql<string>`unnest(coalesce(ended.asset_keys, array[ended.asset_key]))`.as('key')))
          .where('held.run_id', '=', runId)
          .where('held.step_key', '=', stepKey)
          .orderBy('held.asset_key')
          .orderBy('held.partition_key')
          .forUpdate()
          .$asTuple('asset_key', 'partition_key'),
      ),
    )
    .returning('asset_key');
}
