import type { StorageDb } from '../database.js';
import type { Heartbeat } from '../instance.js';
import { toHeartbeat } from './row-mappers.js';

/** One statement: inserts the process's row or replaces every field of it (by id). */
export async function heartbeat(db: StorageDb, beat: Heartbeat): Promise<void> {
  const fields = {
    kind: beat.kind,
    host: beat.host,
    pid: beat.pid,
    started_at: beat.startedAt,
    at: beat.at,
    info: JSON.stringify(beat.info),
  };
  await db
    .insertInto('heartbeats')
    .values({ id: beat.id, ...fields })
    .onConflict((oc) => oc.column('id').doUpdateSet(fields))
    .execute();
}

/** Every heartbeat, newest `at` first (ties by id). */
export async function listHeartbeats(db: StorageDb): Promise<Heartbeat[]> {
  const rows = await db.selectFrom('heartbeats').selectAll().orderBy('at', 'desc').orderBy('id').execute();
  return rows.map(toHeartbeat);
}

export async function removeHeartbeat(db: StorageDb, id: string): Promise<void> {
  await db.deleteFrom('heartbeats').where('id', '=', id).execute();
}
