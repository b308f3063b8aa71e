import type { Insertable } from 'kysely';
import type { NewEvent } from '../../core/events.js';
import type { EventsTable, StorageDb } from '../database.js';
import { chunkRows } from './chunk-rows.js';

export function toEventRow(event: NewEvent): Insertable<EventsTable> {
  return { run_id: event.runId, step_key: event.stepKey, type: event.type, at: event.at, data: JSON.stringify(event.data) };
}

/**
 * Inserts events in the given order, in as few statements as the parameter limit allows. For
 * createRun only: nobody else can write to a run before its row is committed. Every other writer
 * draws event ids under the run row's lock (see finishStep).
 */
export async function insertEvents(db: StorageDb, events: readonly NewEvent[]): Promise<void> {
  for (const rows of chunkRows(events.map(toEventRow), 5)) await db.insertInto('events').values(rows).execute();
}
