import type { NewEvent } from '../../core/events.js';
import type { StorageDb } from '../database.js';
import { insertEvents } from './insert-events.js';

/**
 * One transaction: lock the runs the events belong to (in id order, so concurrent appends cannot
 * deadlock), then insert the events in the given order. See lockedRunId for why.
 */
export async function appendEvents(db: StorageDb, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const runIds = [...new Set(events.map((event) => event.runId))].sort();
  await db.transaction().execute(async (trx) => {
    await trx.selectFrom('runs').select('id').where('id', 'in', runIds).orderBy('id').forNoKeyUpdate().execute();
    await insertEvents(trx, events);
  });
}
