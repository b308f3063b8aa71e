import type { StorageDb } from '../database.js';
import type { StepRecord } from '../instance.js';
import { toStepRecord } from './row-mappers.js';

/** The run's steps in plan (dependency) order. */
export async function listSteps(db: StorageDb, runId: string): Promise<StepRecord[]> {
  const rows = await db.selectFrom('run_steps').selectAll().where('run_id', '=', runId).orderBy('position').execute();
  return rows.map(toStepRecord);
}
