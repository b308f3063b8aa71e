import type { StorageDb } from '../database.js';
import { lockedRunId } from './locked-run-id.js';

/** One statement: every PENDING step of the run -> CANCELED under the run lock, with STEP_CANCELED each. Keys sorted. */
export async function cancelPendingSteps(db: StorageDb, runId: string, at: Date): Promise<string[]> {
  const rows = await db
    .with('canceled', (qb) =>
      qb
        .updateTable('run_steps')
        .set({ status: 'CANCELED', ended_at: at })
        .where('run_id', '=', (eb) => lockedRunId(eb, runId))
        .where('status', '=', 'PENDING')
        .returning(['run_id', 'step_key']),
    )
    .insertInto('events')
    .columns(['run_id', 'step_key', 'type', 'at', 'data'])
    .expression((eb) =>
      eb
        .selectFrom('canceled')
        .select([
          'canceled.run_id',
          'canceled.step_key',
          eb.cast<string>(eb.val('STEP_CANCELED'), 'text').as('type'),
          eb.cast<Date>(eb.val(at), 'timestamptz').as('at'),
          eb.cast<string>(eb.val('{}'), 'jsonb').as('data'),
        ])
        .orderBy('canceled.step_key'),
    )
    .returning('step_key')
    .execute();
  return rows.map((row) => row.step_key ?? '').sort();
}
