import type { StorageDb } from '../database.js';
import type { StepOutcome } from '../instance.js';
import { insertEvents } from './insert-events.js';
import { lockedRunId } from './locked-run-id.js';
import { releaseAssetLock } from './release-asset-lock.js';
import { outcomeEvents } from './outcome-events.js';

/**
 * One transaction: RUNNING (that attempt) -> PENDING under the run lock, keeping the error and end
 * time until the next start, and releasing the step's asset lock in the same statement (the next
 * start takes it again, or finds it busy); then the attempt's events and STEP_FAILED with willRetry. Writes
 * nothing and returns false when the step was not RUNNING that attempt.
 */
export async function retryStep(db: StorageDb, runId: string, stepKey: string, outcome: StepOutcome & { retryDelayMs: number }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const step = await trx
      .with('ended', (qb) =>
        qb
          .updateTable('run_steps')
          .set({ status: 'PENDING', ended_at: outcome.at, error: outcome.error ? JSON.stringify(outcome.error) : null })
          .where('run_id', '=', (eb) => lockedRunId(eb, runId))
          .where('step_key', '=', stepKey)
          .where('status', '=', 'RUNNING')
          .where('attempt', '=', outcome.attempt)
          .returning(['asset_key', 'check_name']),
      )
      .with('released', (qb) => releaseAssetLock(qb, runId, stepKey))
      .selectFrom('ended')
      .selectAll()
      .executeTakeFirst();
    if (!step) return false;
    const finished = { runId, stepKey, assetKey: step.asset_key, checkName: step.check_name };
    await insertEvents(trx, outcomeEvents(finished, outcome, outcome.retryDelayMs));
    return true;
  });
}
