import { sql } from 'kysely';
import type { NewEvent } from '../../core/events.js';

/**
 * `jsonb_array_elements($1::jsonb) with ordinality as e`: events as one bind parameter, however
 * many there are (no chunking under the parameter limit, so any batch fits in one statement). Read
 * the rows with `jsonEventColumns` and order them by `e.ordinality` to keep the given order.
 */
export function jsonEvents(events: readonly NewEvent[]) {
  const json = jsonEventList(events);
  return sql<{ value: unknown; ordinality: number }>`jsonb_array_elements(${json}::jsonb) with ordinality`.as('e');
}

/** The events table's insert columns (run_id, step_key, type, at, data) of a `jsonEvents` row. */
export function jsonEventColumns() {
  return [
    sql<string>`e.value->>'runId'`.as('run_id'),
    sql<string | null>`e.value->>'stepKey'`.as('step_key'),
    sql<string>`e.value->>'type'`.as('type'),
    sql<Date>`(e.value->>'at')::timestamptz`.as('at'),
    sql<string>`e.value->'data'`.as('data'),
  ] as const;
}

export const EVENT_COLUMNS = ['run_id', 'step_key', 'type', 'at', 'data'] as const;

/** The events as one JSON array text, each `{ runId, stepKey, type, at (ISO), data }`. */
export function jsonEventList(events: readonly NewEvent[]): string {
  return JSON.stringify(events.map((event) => ({ runId: event.runId, stepKey: event.stepKey, type: event.type, at: event.at.toISOString(), data: event.data })));
}
