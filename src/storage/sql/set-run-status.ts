import type { ErrorInfo } from '../../core/events.js';
import { isTerminalRunStatus, type RunStatus } from '../../core/run/run-status.js';
import type { StorageDb } from '../database.js';

/** The statuses a run may move to each status from; QUEUED is only ever written by createRun. */
const ALLOWED_FROM: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  QUEUED: [],
  STARTED: ['QUEUED'],
  SUCCESS: ['STARTED'],
  FAILURE: ['STARTED'],
  CANCELING: ['STARTED'],
  CANCELED: ['QUEUED', 'STARTED', 'CANCELING'],
};

/**
 * One statement: the guarded update of the run row and, only when it matched, the RUN_<status>
 * event. The update locks the row before the event gets its id, and holds it to commit (see
 * finishStep). Every allowed move leaves QUEUED (or was already out of it), so it also clears the
 * queue reason.
 */
export async function setRunStatus(db: StorageDb, id: string, status: RunStatus, at: Date, error?: ErrorInfo): Promise<boolean> {
  const from = ALLOWED_FROM[status];
  if (from.length === 0) return false;
  const data = status === 'FAILURE' && error ? { error } : {};
  const inserted = await db
    .with('moved', (qb) =>
      qb
        .updateTable('runs')
        .set({
          status,
          queue_reason: null,
          ...(status === 'STARTED' ? { started_at: at } : {}),
          ...(isTerminalRunStatus(status) ? { ended_at: at } : {}),
          ...(error ? { error: JSON.stringify(error) } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', from)
        .returning('id'),
    )
    .insertInto('events')
    .columns(['run_id', 'step_key', 'type', 'at', 'data'])
    .expression((eb) =>
      eb
        .selectFrom('moved')
        .select([
          'moved.id',
          eb.cast<string | null>(eb.val(null), 'text').as('step_key'),
          eb.cast<string>(eb.val(`RUN_${status}`), 'text').as('type'),
          eb.cast<Date>(eb.val(at), 'timestamptz').as('at'),
          eb.cast<string>(eb.val(JSON.stringify(data)), 'jsonb').as('data'),
        ]),
    )
    .returning('id')
    .execute();
  return inserted.length > 0;
}
