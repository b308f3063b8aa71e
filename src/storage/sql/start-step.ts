import type { StorageDb } from '../database.js';
import type { StartStepResult } from '../instance.js';
import { lockedRunId } from './locked-run-id.js';
import { takeAssetLock } from './take-asset-lock.js';

const STARTED: StartStepResult = { started: true };
const NOT_PENDING: StartStepResult = { started: false, reason: 'not-pending' };

/**
 * One transaction. First statement: PENDING -> RUNNING (clearing the previous attempt's end and
 * error) under the run lock and, only when it matched, STEP_STARTED; a concurrent second start of
 * the step re-checks the row after the first commits and matches nothing (not-pending). A check
 * step is then started. An asset step takes its asset's lock next (see takeAssetLock: one
 * statement when free, two when busy); when another step holds it, the transaction rolls back, so
 * the step stays PENDING with no event, and the result names the holder.
 */
export async function startStep(db: StorageDb, runId: string, stepKey: string, attempt: number, at: Date, worker: string): Promise<StartStepResult> {
  const trx = await db.startTransaction().execute();
  let result: StartStepResult;
  try {
    result = await claimStep(trx, runId, stepKey, attempt, at, worker);
  } catch (error) {
    await trx.rollback().execute();
    throw error;
  }
  await (result.started ? trx.commit() : trx.rollback()).execute();
  return result;
}

async function claimStep(trx: StorageDb, runId: string, stepKey: string, attempt: number, at: Date, worker: string): Promise<StartStepResult> {
  const step = await trx
    .with('started', (qb) =>
      qb
        .updateTable('run_steps')
        .set({ status: 'RUNNING', attempt, started_at: at, ended_at: null, error: null, worker })
        .where('run_id', '=', (eb) => lockedRunId(eb, runId))
        .where('step_key', '=', stepKey)
        .where('status', '=', 'PENDING')
        .returning(['run_id', 'step_key', 'kind', 'asset_key']),
    )
    .with('started_event', (qb) =>
      qb
        .insertInto('events')
        .columns(['run_id', 'step_key', 'type', 'at', 'data'])
        .expression((eb) =>
          eb
            .selectFrom('started')
            .select([
              'started.run_id',
              'started.step_key',
              eb.cast<string>(eb.val('STEP_STARTED'), 'text').as('type'),
              eb.cast<Date>(eb.val(at), 'timestamptz').as('at'),
              eb.cast<string>(eb.val(JSON.stringify({ attempt, worker })), 'jsonb').as('data'),
            ]),
        ),
    )
    .selectFrom('started')
    .select(['started.kind', 'started.asset_key'])
    .executeTakeFirst();
  if (!step) return NOT_PENDING;
  if (step.kind === 'check') return STARTED;
  const holder = await takeAssetLock(trx, step.asset_key, runId, stepKey, worker, at);
  return holder === null ? STARTED : { started: false, reason: 'asset-busy', holder };
}
