import { sql } from 'kysely';
import type { StorageDb } from '../database.js';

/**
 * One statement, committed on its own, with its locks in the store's order (step rows in key order,
 * the run row last): lock the run's PENDING steps by key, move them to CANCELED, subtract them from
 * the run's unfinished count (which locks the run row), and insert STEP_CANCELED for each from
 * that row, in key order (ids drawn under the run lock, see finishStep). Returns the keys, sorted.
 */
export async function cancelPendingSteps(db: StorageDb, runId: string, at: Date): Promise<string[]> {
  const rows = await db
    .with('locked', (qb) =>
      qb.selectFrom('run_steps').select('step_key').where('run_id', '=', runId).where('status', '=', 'PENDING').orderBy('step_key').forNoKeyUpdate(),
    )
    .with('canceled', (qb) =>
      qb
        .updateTable('run_steps')
        .set({ status: 'CANCELED', ended_at: at })
        .where('run_id', '=', runId)
        .where('status', '=', 'PENDING')
        .where('step_key', 'in', (eb) => eb.selectFrom('locked').select('locked.step_key'))
        .returning('step_key'),
    )
    .with('run', (qb) =>
      qb
        .updateTable('runs')
        .set((eb) => ({ unfinished: sql<number>`${eb.ref('unfinished')} - (select count(*) from canceled)` }))
        .where('id', '=', runId)
        .where((eb) => eb.exists(eb.selectFrom('canceled').select('canceled.step_key')))
        .returning('id'),
    )
    .insertInto('events')
    .columns(['run_id', 'step_key', 'type', 'at', 'data'])
    .expression((eb) =>
      eb
        .selectFrom(['run', 'canceled'])
        .select([
          'run.id',
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
