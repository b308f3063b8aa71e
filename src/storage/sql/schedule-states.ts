import type { Selectable } from 'kysely';
import type { ScheduleStatus } from '../../core/schedule/schedule-definition.js';
import type { ScheduleStatesTable, StorageDb } from '../database.js';
import type { ScheduleState } from '../instance.js';

function toScheduleState(row: Selectable<ScheduleStatesTable>): ScheduleState {
  return { name: row.name, status: row.status, startedAt: row.started_at, cursor: row.cursor, updatedAt: row.updated_at };
}

/** Insert-if-absent, then read: of concurrent callers the first insert wins and all read its row. */
export async function ensureScheduleState(db: StorageDb, name: string, defaultStatus: ScheduleStatus, at: Date): Promise<ScheduleState> {
  await db
    .insertInto('schedule_states')
    .values({ name, status: defaultStatus, started_at: defaultStatus === 'RUNNING' ? at : null, cursor: null, updated_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await getScheduleState(db, name))!;
}

/**
 * One upsert. To RUNNING: startedAt becomes `at` unless the row already was RUNNING. To STOPPED:
 * startedAt and the cursor are kept (a later start sets a new startedAt).
 */
export async function setScheduleStatus(db: StorageDb, name: string, status: ScheduleStatus, at: Date): Promise<ScheduleState> {
  const row = await db
    .insertInto('schedule_states')
    .values({ name, status, started_at: status === 'RUNNING' ? at : null, cursor: null, updated_at: at })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        started_at:
          status === 'RUNNING'
            ? eb.case().when('schedule_states.status', '=', 'RUNNING').then(eb.ref('schedule_states.started_at')).else(eb.ref('excluded.started_at')).end()
            : eb.ref('schedule_states.started_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toScheduleState(row);
}

export async function getScheduleState(db: StorageDb, name: string): Promise<ScheduleState | undefined> {
  const row = await db.selectFrom('schedule_states').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toScheduleState(row) : undefined;
}

export async function listScheduleStates(db: StorageDb): Promise<ScheduleState[]> {
  return (await db.selectFrom('schedule_states').selectAll().orderBy('name').execute()).map(toScheduleState);
}

/** One statement: cursor = greatest(cursor, $cursor) (greatest ignores a null cursor). */
export async function advanceScheduleCursor(db: StorageDb, name: string, cursor: Date, at: Date): Promise<void> {
  await db
    .updateTable('schedule_states')
    .set({ cursor, updated_at: at })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('cursor', 'is', null), eb('cursor', '<', cursor)]))
    .execute();
}
