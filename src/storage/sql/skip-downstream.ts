import type { StorageDb } from '../database.js';

/**
 * One statement: every PENDING step downstream of `failedStep` (a recursive walk over `children`,
 * primary-key lookups only) becomes SKIPPED, with a STEP_SKIPPED event each. Returns their keys,
 * sorted. The caller holds the run lock and the transaction.
 */
export async function skipDownstream(trx: StorageDb, runId: string, failedStep: string, at: Date): Promise<string[]> {
  const data = JSON.stringify({ reason: `upstream step "${failedStep}" failed` });
  const rows = await trx
    .withRecursive('downstream(step_key)', (qb) =>
      qb
        .selectFrom('run_steps as f')
        .select((eb) => eb.fn<string>('unnest', ['f.children']).as('step_key'))
        .where('f.run_id', '=', runId)
        .where('f.step_key', '=', failedStep)
        .union((eb) =>
          eb
            .selectFrom('run_steps as s')
            .innerJoin('downstream as d', 'd.step_key', 's.step_key')
            .select((eb) => eb.fn<string>('unnest', ['s.children']).as('step_key'))
            .where('s.run_id', '=', runId),
        ),
    )
    .with('skipped', (qb) =>
      qb
        .updateTable('run_steps')
        .set({ status: 'SKIPPED', ended_at: at })
        .where('run_id', '=', runId)
        .where('status', '=', 'PENDING')
        .where('step_key', 'in', (eb) => eb.selectFrom('downstream').select('downstream.step_key'))
        .returning(['run_id', 'step_key']),
    )
    .insertInto('events')
    .columns(['run_id', 'step_key', 'type', 'at', 'data'])
    .expression((eb) =>
      eb
        .selectFrom('skipped')
        .select([
          'skipped.run_id',
          'skipped.step_key',
          eb.cast<string>(eb.val('STEP_SKIPPED'), 'text').as('type'),
          eb.cast<Date>(eb.val(at), 'timestamptz').as('at'),
          eb.cast<string>(eb.val(data), 'jsonb').as('data'),
        ])
        .orderBy('skipped.step_key'),
    )
    .returning('step_key')
    .execute();
  return rows.map((row) => row.step_key ?? '').sort();
}
