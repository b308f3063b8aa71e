import type { Selectable } from 'kysely';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';
import type { ScheduleStatesTable, ScheduleTicksTable, StorageDb } from './database.js';
import type { ScheduleState, ScheduleStorage, TickOutcome, TickRecord, TickStatus } from './schedule-storage.js';

function toScheduleState(row: Selectable<ScheduleStatesTable>): ScheduleState {
  return { name: row.name, status: row.status, startedAt: row.started_at, cursor: row.cursor, updatedAt: row.updated_at };
}

function toTickRecord(row: Selectable<ScheduleTicksTable>): TickRecord {
  return {
    id: Number(row.id),
    schedule: row.schedule,
    scheduledFor: row.scheduled_for,
    status: row.status,
    runId: row.run_id,
    reason: row.reason,
    error: row.error,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    endedAt: row.ended_at,
  };
}

/** ScheduleStorage over kysely: each method is one statement (ensureScheduleState: an insert, then a read). */
export class KyselyScheduleStorage implements ScheduleStorage {
  readonly #db: StorageDb;

  constructor(db: StorageDb) {
    this.#db = db;
  }

  /** Insert-if-absent, then read: of concurrent callers the first insert wins and all read its row. */
  async ensureScheduleState(name: string, defaultStatus: ScheduleStatus, at: Date): Promise<ScheduleState> {
    await this.#db
      .insertInto('schedule_states')
      .values({ name, status: defaultStatus, started_at: defaultStatus === 'RUNNING' ? at : null, cursor: null, updated_at: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return (await this.getScheduleState(name))!;
  }

  /**
   * One upsert. To RUNNING: startedAt becomes `at` unless the row already was RUNNING. To STOPPED:
   * startedAt and the cursor are kept (a later start sets a new startedAt).
   */
  async setScheduleStatus(name: string, status: ScheduleStatus, at: Date): Promise<ScheduleState> {
    const row = await this.#db
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

  async getScheduleState(name: string): Promise<ScheduleState | undefined> {
    const row = await this.#db.selectFrom('schedule_states').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toScheduleState(row) : undefined;
  }

  async listScheduleStates(): Promise<ScheduleState[]> {
    return (await this.#db.selectFrom('schedule_states').selectAll().orderBy('name').execute()).map(toScheduleState);
  }

  /** One statement: cursor = greatest(cursor, $cursor) (greatest ignores a null cursor). */
  async advanceScheduleCursor(name: string, cursor: Date, at: Date): Promise<void> {
    await this.#db
      .updateTable('schedule_states')
      .set({ cursor, updated_at: at })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('cursor', 'is', null), eb('cursor', '<', cursor)]))
      .execute();
  }

  /**
   * One statement: `insert ... on conflict (schedule, scheduled_for) do nothing returning *`. The
   * unique constraint makes a second claimer wait for the first's commit and then insert nothing,
   * so exactly one claimer gets the row back.
   */
  async claimTick(tick: { schedule: string; scheduledFor: Date; claimedBy: string; at: Date }): Promise<TickRecord | undefined> {
    const row = await this.#db
      .insertInto('schedule_ticks')
      .values({ schedule: tick.schedule, scheduled_for: tick.scheduledFor, status: 'STARTED', claimed_by: tick.claimedBy, claimed_at: tick.at })
      .onConflict((oc) => oc.columns(['schedule', 'scheduled_for']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? toTickRecord(row) : undefined;
  }

  /** One guarded update: only a STARTED tick takes an outcome. */
  async finishTick(id: number, outcome: TickOutcome, at: Date): Promise<boolean> {
    const result = await this.#db
      .updateTable('schedule_ticks')
      .set({
        status: outcome.status,
        run_id: outcome.status === 'SUCCESS' ? outcome.runId : null,
        reason: outcome.status === 'SKIPPED' ? outcome.reason : null,
        error: outcome.status === 'FAILURE' ? JSON.stringify(outcome.error) : null,
        ended_at: at,
      })
      .where('id', '=', id)
      .where('status', '=', 'STARTED')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Latest scheduled instant first (the unique index serves it). */
  async listTicks(schedule: string, options: { limit?: number; statuses?: readonly TickStatus[]; scheduledFor?: Date } = {}): Promise<TickRecord[]> {
    let query = this.#db.selectFrom('schedule_ticks').selectAll().where('schedule', '=', schedule);
    if (options.scheduledFor) query = query.where('scheduled_for', '=', options.scheduledFor);
    if (options.statuses && options.statuses.length > 0) query = query.where('status', 'in', [...options.statuses]);
    const rows = await query.orderBy('scheduled_for', 'desc').limit(options.limit ?? 100).execute();
    return rows.map(toTickRecord);
  }
}
