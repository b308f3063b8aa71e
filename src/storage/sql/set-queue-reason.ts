import type { StorageDb } from '../database.js';

/**
 * One statement: sets (or, with null, clears) why the run waits, only while it is QUEUED; a run
 * that has left QUEUED keeps its null reason (setRunStatus cleared it).
 */
export async function setQueueReason(db: StorageDb, runId: string, reason: string | null): Promise<void> {
  await db.updateTable('runs').set({ queue_reason: reason }).where('id', '=', runId).where('status', '=', 'QUEUED').execute();
}
