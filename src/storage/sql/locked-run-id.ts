import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../database.js';

/**
 * `(select id from runs where id = $runId for no key update)`: the run's id, read under the run
 * row's lock. Every write that appends events to a run takes this lock before its first insert and
 * holds it to commit (setRunStatus takes it by updating the row), so event ids of one run are
 * increasing in commit order, and finishStep calls of one run see each other's results (two
 * parents of one child never both miss, or both release, the child). Use it as the run_id of the
 * first statement of such a write.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lockedRunId(eb: ExpressionBuilder<Database, any>, runId: string) {
  return eb.selectFrom('runs').select('runs.id').where('runs.id', '=', runId).forNoKeyUpdate();
}
