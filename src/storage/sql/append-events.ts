import { sql } from 'kysely';
import type { NewEvent } from '../../core/events.js';
import type { StorageDb } from '../database.js';
import { EVENT_COLUMNS, jsonEventColumns, jsonEvents } from './json-events.js';

/**
 * One statement, committed on its own: lock the rows of the runs the events belong to (in id order,
 * so concurrent appends cannot deadlock; always the last locks a writer takes, see finishStep),
 * then insert the events in the given order, their ids drawn under those locks. An event of an
 * unknown run fails the foreign key, and nothing is written.
 */
export async function appendEvents(db: StorageDb, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const runIds = [...new Set(events.map((event) => event.runId))].sort();
  await db
    .with('locked', (qb) => qb.selectFrom('runs').select('id').where('id', 'in', runIds).orderBy('id').forNoKeyUpdate())
    .insertInto('events')
    .columns(EVENT_COLUMNS)
    .expression((eb) =>
      eb
        .selectFrom(jsonEvents(events))
        .select(jsonEventColumns())
        // Evaluated before the first row: every lock is taken before the first id is drawn.
        .where(sql<boolean>`(select count(*) from locked) >= 0`)
        .orderBy(sql`e.ordinality`),
    )
    .execute();
}
