import type { StorageDb } from '../database.js';

/**
 * PENDING steps of the run none of whose deps is still unsucceeded (waiting = 0), sorted by key:
 * one scan of the partial index run_steps_ready_idx, whatever the size of the run.
 */
export async function readySteps(db: StorageDb, runId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('run_steps')
    .select('step_key')
    .where('run_id', '=', runId)
    .where('status', '=', 'PENDING')
    .where('waiting', '=', 0)
    .orderBy('step_key')
    .execute();
  return rows.map((row) => row.step_key);
}
