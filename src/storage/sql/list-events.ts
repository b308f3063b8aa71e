import type { EventRecord } from '../../core/events.js';
import type { StorageDb } from '../database.js';
import { toEventRecord } from './row-mappers.js';

/**
 * The run's events in log (id) order, after `afterId` and before `beforeId`, of `types` and of one
 * step when `stepKey` is given, at most `limit`: the first `limit` of them, or with `beforeId` the
 * last `limit` (read newest first on the index, returned in log order).
 */
export async function listEvents(
  db: StorageDb,
  runId: string,
  options: { afterId?: number; beforeId?: number; limit?: number; types?: readonly string[]; stepKey?: string } = {},
): Promise<EventRecord[]> {
  const backwards = options.beforeId !== undefined;
  let query = db.selectFrom('events').selectAll().where('run_id', '=', runId).orderBy('id', backwards ? 'desc' : 'asc');
  if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  if (options.stepKey !== undefined) query = query.where('step_key', '=', options.stepKey);
  if (options.types) {
    if (options.types.length === 0) return [];
    query = query.where('type', 'in', [...options.types]);
  }
  if (options.limit !== undefined) query = query.limit(options.limit);
  const rows = (await query.execute()).map(toEventRecord);
  return backwards ? rows.reverse() : rows;
}
