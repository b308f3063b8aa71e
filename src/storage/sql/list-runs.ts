import { sql } from 'kysely';
import type { StorageDb } from '../database.js';
import type { ListRunsOptions, RunRecord } from '../instance.js';
import { toRunRecord } from './row-mappers.js';

export async function getRun(db: StorageDb, id: string): Promise<RunRecord | undefined> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRunRecord(row);
}

/**
 * Newest first (ties broken by id), every run unless `limit` is given; filtered by status, tags
 * (jsonb containment: every given key = value) and creation time, in the database.
 */
export async function listRuns(db: StorageDb, options: ListRunsOptions = {}): Promise<RunRecord[]> {
  let query = db.selectFrom('runs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (options.statuses) {
    if (options.statuses.length === 0) return [];
    query = query.where('status', 'in', [...options.statuses]);
  }
  if (options.tags && Object.keys(options.tags).length > 0) query = query.where(sql<boolean>`tags @> ${JSON.stringify(options.tags)}::jsonb`);
  if (options.since) query = query.where('created_at', '>=', options.since);
  if (options.limit !== undefined) query = query.limit(options.limit);
  return (await query.execute()).map(toRunRecord);
}
