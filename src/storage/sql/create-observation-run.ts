import type { StorageDb } from '../database.js';
import type { AssetObservation, NewRun, RunRecord } from '../run-storage.js';
import { createRuns } from './create-run.js';
import { insertEvents } from './insert-events.js';
import { toRunRecord } from './row-mappers.js';

/**
 * One transaction: the run (written as createRun writes it, with no steps), moved straight to
 * SUCCESS, and its events RUN_QUEUED, RUN_STARTED, ASSET_OBSERVATION, RUN_SUCCESS. Nothing else:
 * no materialization row, no asset partition state, no lock, so staleness and automation do not
 * take an observation for an update. Either all of it is written or none.
 */
export async function createObservationRun(db: StorageDb, run: NewRun, observation: AssetObservation): Promise<RunRecord> {
  const [record] = await createRuns(db, [{ ...run, steps: [] }], (write) =>
    db.transaction().execute(async (trx) => {
      await write(trx);
      const row = await trx.updateTable('runs').set({ status: 'SUCCESS', started_at: run.at, ended_at: run.at }).where('id', '=', run.id).returningAll().executeTakeFirstOrThrow();
      const data = { assetKey: observation.assetKey, metadata: observation.metadata, ...(observation.partition === undefined ? {} : { partition: observation.partition }) };
      await insertEvents(trx, [
        { type: 'RUN_STARTED', runId: run.id, stepKey: null, at: run.at, data: {} },
        { type: 'ASSET_OBSERVATION', runId: run.id, stepKey: null, at: run.at, data },
        { type: 'RUN_SUCCESS', runId: run.id, stepKey: null, at: run.at, data: {} },
      ]);
      return [toRunRecord(row)];
    }),
  );
  return record!;
}
