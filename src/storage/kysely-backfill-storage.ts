import type { Selectable } from 'kysely';
import type { BackfillRecord, BackfillRunRecord, BackfillStatus, BackfillStorage, NewBackfill } from './backfill-storage.js';
import type { BackfillsTable, StorageDb } from './database.js';
import { formatBackfillPolicy, parseBackfillPolicy } from './format-backfill-policy.js';
import type { NewRun } from './run-storage.js';
import type { RunStepStatistics } from './run-step-statistics.js';
import { createRuns } from './sql/create-run.js';

const ACTIVE_RUN_STATUSES = ['QUEUED', 'STARTED', 'CANCELING'] as const;

function toBackfillRecord(row: Selectable<BackfillsTable>): BackfillRecord {
  return {
    id: row.id,
    status: row.status as BackfillStatus,
    selection: row.selection,
    from: row.partition_from,
    to: row.partition_to,
    policy: parseBackfillPolicy(row.policy),
    maxConcurrentRuns: row.max_concurrent_runs,
    partitions: row.partitions,
    runCount: row.run_count,
    trigger: row.trigger,
    tags: row.tags,
    createdAt: row.created_at,
    endedAt: row.ended_at,
  };
}

/** BackfillStorage over kysely. */
export class KyselyBackfillStorage implements BackfillStorage {
  readonly #db: StorageDb;
  readonly #statistics: RunStepStatistics;

  constructor(db: StorageDb, statistics: RunStepStatistics) {
    this.#db = db;
    this.#statistics = statistics;
  }

  /** The backfill row and every run of it, in one transaction: the runs are written as createRun writes them (sql/create-run.ts). */
  async createBackfill(backfill: NewBackfill, runs: readonly NewRun[]): Promise<BackfillRecord> {
    let record: BackfillRecord | undefined;
    await createRuns(
      this.#db,
      runs.map((run) => ({ ...run, backfillId: backfill.id })),
      (write) =>
        this.#db.transaction().execute(async (trx) => {
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
    await this.#statistics.stepsWritten(runs.reduce((n, run) => n + run.steps.length, 0));
    return record!;
  }

  async getBackfill(id: string): Promise<BackfillRecord | undefined> {
    const row = await this.#db.selectFrom('backfills').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toBackfillRecord(row);
  }

  async listBackfills(options: { limit?: number; statuses?: readonly BackfillStatus[] } = {}): Promise<BackfillRecord[]> {
    let query = this.#db.selectFrom('backfills').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (options.statuses) {
      if (options.statuses.length === 0) return [];
      query = query.where('status', 'in', [...options.statuses]);
    }
    if (options.limit !== undefined) query = query.limit(options.limit);
    return (await query.execute()).map(toBackfillRecord);
  }

  async listBackfillRuns(id: string): Promise<BackfillRunRecord[]> {
    const rows = await this.#db
      .selectFrom('runs')
      .select(['id', 'status', 'partition'])
      .where('backfill_id', '=', id)
      .orderBy('created_at')
      .orderBy('partition')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ runId: row.id, status: row.status, partition: row.partition }));
  }

  async requestBackfillCancel(id: string, _at: Date): Promise<boolean> {
    const result = await this.#db.updateTable('backfills').set({ status: 'CANCELING' }).where('id', '=', id).where('status', '=', 'RUNNING').executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * One guarded update: only when no run of the backfill is active; RUNNING becomes COMPLETED when
   * every run succeeded, else FAILED; CANCELING becomes CANCELED. Concurrent callers agree (the row
   * lock serializes them and the second matches nothing).
   */
  async finishBackfillIfDone(id: string, at: Date): Promise<BackfillStatus | undefined> {
    await this.#db
      .updateTable('backfills as b')
      .set((eb) => ({
        status: eb
          .case()
          .when('b.status', '=', 'CANCELING')
          .then('CANCELED')
          .when(eb.exists(eb.selectFrom('runs as r').select('r.id').whereRef('r.backfill_id', '=', 'b.id').where('r.status', '<>', 'SUCCESS')))
          .then('FAILED')
          .else('COMPLETED')
          .end(),
        ended_at: at,
      }))
      .where('b.id', '=', id)
      .where('b.status', 'in', ['RUNNING', 'CANCELING'])
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('runs as r').select('r.id').whereRef('r.backfill_id', '=', 'b.id').where('r.status', 'in', [...ACTIVE_RUN_STATUSES]))),
      )
      .execute();
    const row = await this.#db.selectFrom('backfills').select('status').where('id', '=', id).executeTakeFirst();
    return row?.status as BackfillStatus | undefined;
  }
}
