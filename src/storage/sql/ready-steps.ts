import type { StorageDb } from '../database.js';

/**
 * PENDING steps of the run whose deps have all SUCCEEDED, sorted by key; only among `candidates`
 * when given (finishStep passes the finished step's children, so it reads a handful of rows by
 * primary key instead of the run's PENDING steps).
 */
export async function readySteps(db: StorageDb, runId: string, candidates?: readonly string[]): Promise<string[]> {
  if (candidates?.length === 0) return [];
  let query = db
    .selectFrom('run_steps as c')
    .select('c.step_key')
    .where('c.run_id', '=', runId)
    .where('c.status', '=', 'PENDING')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('run_steps as d')
            .select('d.step_key')
            .whereRef('d.run_id', '=', 'c.run_id')
            .where('d.step_key', '=', eb.fn.any('c.deps'))
            .where('d.status', '<>', 'SUCCEEDED'),
        ),
      ),
    );
  if (candidates) query = query.where('c.step_key', 'in', candidates);
  const rows = await query.orderBy('c.step_key').execute();
  return rows.map((row) => row.step_key);
}
