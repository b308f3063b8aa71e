import type { StorageDb } from '../database.js';

/** The run's counter of steps still PENDING or RUNNING (0 means the run can end; 0 for an unknown run). One primary-key read. */
export async function unfinishedStepCount(db: StorageDb, runId: string): Promise<number> {
  const row = await db.selectFrom('runs').select('unfinished').where('id', '=', runId).executeTakeFirst();
  return row?.unfinished ?? 0;
}
