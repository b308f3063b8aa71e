import type { StorageDb } from '../database.js';

/** One indexed count: the run's steps still PENDING or RUNNING (0 means the run can end). */
export async function unfinishedStepCount(db: StorageDb, runId: string): Promise<number> {
  const row = await db
    .selectFrom('run_steps')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('run_id', '=', runId)
    .where('status', 'in', ['PENDING', 'RUNNING'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
