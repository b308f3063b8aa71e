import { sql } from 'kysely';
import type { StorageDb } from '../database.js';
import type { StepOutcome } from '../run-storage.js';
import { EVENT_COLUMNS, jsonEventColumns, jsonEvents } from './json-events.js';
import { outcomeEvents } from './outcome-events.js';
import { releaseAssetLock } from './release-asset-lock.js';

/**
 * One statement, committed on its own, with its locks in the store's order (step row, asset lock,
 * run row last): RUNNING (that attempt) -> PENDING, keeping the error and end time until the next
 * start; the step's asset lock released (the next start takes it again, or finds it busy); then,
 * from the run row locked last, the attempt's events and STEP_FAILED with willRetry (ids drawn
 * under the run lock, see finishStep). The step stays unfinished, so the run's counter is
 * unchanged. Writes nothing and returns false when the step was not RUNNING that attempt.
 */
export async function retryStep(db: StorageDb, runId: string, stepKey: string, outcome: StepOutcome & { retryDelayMs: number }): Promise<boolean> {
  // Retry events name neither the asset nor the check, so the step row is not needed to build them.
  const events = outcomeEvents({ runId, stepKey, assetKey: '', checkName: null }, outcome, outcome.retryDelayMs);
  const inserted = await db
    .with('ended', (qb) =>
      qb
        .updateTable('run_steps')
        .set({ status: 'PENDING', ended_at: outcome.at, error: outcome.error ? JSON.stringify(outcome.error) : null })
        .where('run_id', '=', runId)
        .where('step_key', '=', stepKey)
        .where('status', '=', 'RUNNING')
        .where('attempt', '=', outcome.attempt)
        .returning(['asset_key', 'asset_keys']),
    )
    .with('released', (qb) => releaseAssetLock(qb, runId, stepKey))
    .with('run', (qb) =>
      qb
        .selectFrom('runs')
        .select('runs.id')
        .where('runs.id', '=', runId)
        .where((eb) => eb.exists(eb.selectFrom('ended').select('ended.asset_key')))
        .where((eb) => eb(eb.selectFrom('released').select((eb) => eb.fn.countAll<number>().as('n')), '>=', 0))
        .forNoKeyUpdate(),
    )
    .insertInto('events')
    .columns(EVENT_COLUMNS)
    .expression((eb) => eb.selectFrom(['run', jsonEvents(events)]).select(jsonEventColumns()).orderBy(sql`e.ordinality`))
    .returning('id')
    .execute();
  return inserted.length > 0;
}
