import type { EventRecord } from '../../core/events.js';
import type { StorageDb } from '../database.js';
import { toEventRecord } from './row-mappers.js';

/** The run's events in log (id) order, after `afterId`, of `types` and of one step when `stepKey` is given, at most `limit`. */
export async function listEvents(
  db: StorageDb,
  runId: string,
  options: { afterId?: number; limit?: number; types?: readonly string[]; stepKey?: string } = {},
): Promise<EventRecord[]> {
  let query = db.selectFrom('events').selectAll().where('run_id', '=', runId).orderBy('id');
  if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
  if (options.stepKey !== undefined) query = query.where('step_key', '=', options.stepKey);
  if (options.types) {
    if (options.types.length === 0) return [];
    query = query.where('type', 'in', [...options.types]);
  }
  if (options.limit !== undefined) query = query.limit(options.limit);
  return (await query.execute()).map(toEventRecord);
}
