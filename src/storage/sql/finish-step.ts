import type { StorageDb } from '../database.js';
import type { StepOutcome } from '../instance.js';
import { lockedRunId } from './locked-run-id.js';
import { readySteps } from './ready-steps.js';
import { releaseAssetLock } from './release-asset-lock.js';
import { recordOutcome } from './record-outcome.js';
import { skipDownstream } from './skip-downstream.js';

/**
 * One transaction of three statements: end the RUNNING attempt (under the run lock; no match means
 * a repeated or stale call, and nothing is written) and, in that statement, release the asset lock
 * the step holds, whatever the outcome (CANCELED included); record the outcome; then release the
 * ready children (SUCCEEDED) or skip everything downstream (FAILED). The run lock makes the
 * children's read see every other finishStep of the run that committed before it.
 */
export async function finishStep(
  db: StorageDb,
  runId: string,
  stepKey: string,
  outcome: StepOutcome,
): Promise<{ ready: string[]; skipped: string[] }> {
  return db.transaction().execute(async (trx) => {
    const step = await trx
      .with('ended', (qb) =>
        qb
          .updateTable('run_steps')
          .set({ status: outcome.status, ended_at: outcome.at, error: outcome.error ? JSON.stringify(outcome.error) : null })
          .where('run_id', '=', (eb) => lockedRunId(eb, runId))
          .where('step_key', '=', stepKey)
          .where('status', '=', 'RUNNING')
          .where('attempt', '=', outcome.attempt)
          .returning(['asset_key', 'check_name', 'children']),
      )
      .with('released', (qb) => releaseAssetLock(qb, runId, stepKey))
      .selectFrom('ended')
      .selectAll()
      .executeTakeFirst();
    if (!step) return { ready: [], skipped: [] };
    await recordOutcome(trx, { runId, stepKey, assetKey: step.asset_key, checkName: step.check_name }, outcome);
    if (outcome.status === 'SUCCEEDED') return { ready: await readySteps(trx, runId, step.children), skipped: [] };
    if (outcome.status === 'CANCELED') return { ready: [], skipped: [] };
    return { ready: [], skipped: await skipDownstream(trx, runId, stepKey, outcome.at) };
  });
}
