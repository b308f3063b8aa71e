import type { Selectable } from 'kysely';
import type { ScheduleTicksTable, StorageDb } from '../database.js';
import type { TickOutcome, TickRecord, TickStatus } from '../instance.js';

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

/**
 * One statement: `insert ... on conflict (schedule, scheduled_for) do nothing returning *`. The
 * unique constraint makes a second claimer wait for the first's commit and then insert nothing,
 * so exactly one claimer gets the row back.
 */
export async function claimTick(db: StorageDb, tick: { schedule: string; scheduledFor: Date; claimedBy: string; at: Date }): Promise<TickRecord | undefined> {
  const row = await db
    .insertInto('schedule_ticks')
    .values({ schedule: tick.schedule, scheduled_for: tick.scheduledFor, status: 'STARTED', claimed_by: tick.claimedBy, claimed_at: tick.at })
    .onConflict((oc) => oc.columns(['schedule', 'scheduled_for']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toTickRecord(row) : undefined;
}

/** One guarded update: only a STARTED tick takes an outcome. */
export async function finishTick(db: StorageDb, id: number, outcome: TickOutcome, at: Date): Promise<boolean> {
  const result = await db
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
export async function listTicks(db: StorageDb, schedule: string, options: { limit?: number; statuses?: readonly TickStatus[] } = {}): Promise<TickRecord[]> {
  let query = db.selectFrom('schedule_ticks').selectAll().where('schedule', '=', schedule);
  if (options.statuses && options.statuses.length > 0) query = query.where('status', 'in', [...options.statuses]);
  const rows = await query.orderBy('scheduled_for', 'desc').limit(options.limit ?? 100).execute();
  return rows.map(toTickRecord);
}
