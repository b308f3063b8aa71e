import type { Selectable } from 'kysely';
import type { BackfillsTable, StorageDb } from '../database.js';
import type { BackfillPolicy, BackfillRecord, BackfillRunRecord, BackfillStatus, NewBackfill, NewRun } from '../instance.js';
import { createRuns } from './create-run.js';

const ACTIVE_RUN_STATUSES = ['QUEUED', 'STARTED', 'CANCELING'] as const;

/** `per-partition`, `single-run`, `chunks:N` */
export function formatBackfillPolicy(policy: BackfillPolicy): string {
  return policy.kind === 'chunks' ? `chunks:${policy.size}` : policy.kind;
}

function parseStoredPolicy(text: string): BackfillPolicy {
  if (text.startsWith('chunks:')) return { kind: 'chunks', size: Number(text.slice('chunks:'.length)) };
  return { kind: text === 'single-run' ? 'single-run' : 'per-partition' };
}

function toBackfillRecord(row: Selectable<BackfillsTable>): BackfillRecord {
  return {
    id: row.id,
    status: row.status as BackfillStatus,
    selection: row.selection,
    from: row.partition_from,
    to: row.partition_to,
    policy: parseStoredPolicy(row.policy),
    maxConcurrentRuns: row.max_concurrent_runs,
    partitions: row.partitions,
    runCount: row.run_count,
    trigger: row.trigger,
    tags: row.tags,
    createdAt: row.created_at,
    endedAt: row.ended_at,
  };
}

/** The backfill row and every run of it, in one transaction (see Instance.createBackfill). */
export async function createBackfill(db: StorageDb, backfill: NewBackfill, runs: readonly NewRun[]): Promise<BackfillRecord> {
  let record: BackfillRecord | undefined;
  await createRuns(
    db,
    runs.map((run) => ({ ...run, backfillId: backfill.id })),
    (write) =>
      db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('backfills')
          .values({
            id: backfill.id,
            status: 'RUNNING',
            selection: backfill.selection,
            partition_from: backfill.from,
            partition_to: backfill.to,
            policy: formatBackfillPolicy(backfill.policy),
            max_concurrent_runs: backfill.maxConcurrentRuns,
            partitions: [...backfill.partitions],
            run_count: runs.length,
            trigger: backfill.trigger,
            tags: JSON.stringify(backfill.tags),
            created_at: backfill.at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        record = toBackfillRecord(row);
        return write(trx);
      }),
  );
  return record!;
}

export async function getBackfill(db: StorageDb, id: string): Promise<BackfillRecord | undefined> {
  const row = await db.selectFrom('backfills').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toBackfillRecord(row);
}

export async function listBackfills(db: StorageDb, options: { limit?: number; statuses?: readonly BackfillStatus[] } = {}): Promise<BackfillRecord[]> {
  let query = db.selectFrom('backfills').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (options.statuses) {
    if (options.statuses.length === 0) return [];
    query = query.where('status', 'in', [...options.statuses]);
  }
  if (options.limit !== undefined) query = query.limit(options.limit);
  return (await query.execute()).map(toBackfillRecord);
}

export async function listBackfillRuns(db: StorageDb, id: string): Promise<BackfillRunRecord[]> {
  const rows = await db
    .selectFrom('runs')
    .select(['id', 'status', 'partition'])
    .where('backfill_id', '=', id)
    .orderBy('created_at')
    .orderBy('partition')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ runId: row.id, status: row.status, partition: row.partition }));
}

export async function requestBackfillCancel(db: StorageDb, id: string, _at: Date): Promise<boolean> {
  const result = await db.updateTable('backfills').set({ status: 'CANCELING' }).where('id', '=', id).where('status', '=', 'RUNNING').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * One guarded update: only when no run of the backfill is active; RUNNING becomes COMPLETED when
 * every run succeeded, else FAILED; CANCELING becomes CANCELED. Concurrent callers agree (the row
 * lock serializes them and the second matches nothing).
 */
export async function finishBackfillIfDone(db: StorageDb, id: string, at: Date): Promise<BackfillStatus | undefined> {
  await db
    .updateTable('backfills as b')
    .set((eb) => ({
      status: eb
        .case()
        .when('b.status', '=', 'CANCELING')
        .then('CANCELED')
        .when(
          eb.exists(
            eb
              .selectFrom('runs as r')
              .select('r.id')
              .whereRef('r.backfill_id', '=', 'b.id')
              .where('r.status', '<>', 'SUCCESS'),
          ),
        )
        .then('FAILED')
        .else('COMPLETED')
        .end(),
      ended_at: at,
    }))
    .where('b.id', '=', id)
    .where('b.status', 'in', ['RUNNING', 'CANCELING'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('runs as r')
            .select('r.id')
            .whereRef('r.backfill_id', '=', 'b.id')
            .where('r.status', 'in', [...ACTIVE_RUN_STATUSES]),
        ),
      ),
    )
    .execute();
  const row = await db.selectFrom('backfills').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status as BackfillStatus | undefined;
}
