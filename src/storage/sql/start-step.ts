import type { StorageDb } from '../database.js';
import { lockedRunId } from './locked-run-id.js';

/**
 * One statement: PENDING -> RUNNING (clearing the previous attempt's end and error) under the run
 * lock and, only when it matched, STEP_STARTED. A concurrent second start re-checks the row after
 * the first commits and matches nothing.
 */
export async function startStep(db: StorageDb, runId: string, stepKey: string, attempt: number, at: Date, worker: string): Promise<boolean> {
  const inserted = await db
    .with('started', (qb) =>
      qb
        .updateTable('run_steps')
        .set({ status: 'RUNNING', attempt, started_at: at, ended_at: null, error: null, worker })
        .where('run_id', '=', (eb) => lockedRunId(eb, runId))
        .where('step_key', '=', stepKey)
        .where('status', '=', 'PENDING')
        .returning(['run_id', 'step_key']),
    )
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
    )
    .returning('id')
    .execute();
  return inserted.length > 0;
}
