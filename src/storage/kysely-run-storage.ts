import { sql } from 'kysely';
import type { ErrorInfo } from '../core/events.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { StorageDb } from './database.js';
import type {
  AssetObservation,
  FinishStepResult,
  ListRunsOptions,
  NewRun,
  RunRecord,
  RunStepStats,
  RunStorage,
  StartStepResult,
  StepOutcome,
  StepRecord,
  StepReports,
} from './run-storage.js';
import { cancelPendingSteps } from './sql/cancel-pending-steps.js';
import { createObservationRun } from './sql/create-observation-run.js';
import { createRun } from './sql/create-run.js';
import { FinishStepBatcher } from './finish-step-batcher.js';
import { finishSteps, type StepFinish } from './sql/finish-steps.js';
import { recordStepReports } from './sql/record-step-reports.js';
import { retryStep } from './sql/retry-step.js';
import { toRunRecord, toStepRecord } from './sql/row-mappers.js';
import { runStepStats } from './sql/run-step-stats.js';
import { setRunStatus } from './sql/set-run-status.js';
import { startStep } from './sql/start-step.js';
import type { RunStepStatistics } from './run-step-statistics.js';
import { startSteps } from './sql/start-steps.js';
import { StartStepBatcher } from './start-step-batcher.js';

/**
 * RunStorage over kysely. The short reads and writes are written here; the long statements (the
 * CTEs of a step's start and end, a run's creation, the stats aggregate) each keep a file of
 * ./sql/ of their own, called from the one method below.
 */
export class KyselyRunStorage implements RunStorage {
  readonly #db: StorageDb;
  readonly #schema: string;
  readonly #statistics: RunStepStatistics;
  readonly #finishes = new FinishStepBatcher((runId, finishes) => this.finishSteps(runId, finishes));
  readonly #starts: StartStepBatcher;

  /**
   * `db` is bound to `schema`; the hand-written statements of startStep and finishStep qualify their
   * tables with it. The starts of a run that come while one is written go out together (see
   * StartStepBatcher, startSteps), as its finishes do (FinishStepBatcher).
   */
  constructor(db: StorageDb, schema: string, statistics: RunStepStatistics) {
    this.#db = db;
    this.#schema = schema;
    this.#statistics = statistics;
    this.#starts = new StartStepBatcher(
      (runId, s) => startStep(db, schema, runId, s.stepKey, s.attempt, s.at, s.worker),
      (runId, starts) => startSteps(db, schema, runId, starts),
    );
  }

  /** Refreshes run_steps' statistics after it when they are due (RunStepStatistics). */
  async createRun(run: NewRun): Promise<RunRecord> {
    const created = await createRun(this.#db, run);
    await this.#statistics.stepsWritten(run.steps.length);
    return created;
  }

  /** One transaction (sql/create-observation-run.ts). */
  createObservationRun(run: NewRun, observation: AssetObservation): Promise<RunRecord> {
    return createObservationRun(this.#db, run, observation);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = await this.#db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRunRecord(row);
  }

  /**
   * Newest first (ties broken by id), every run unless `limit` is given; filtered by status, tags
   * (jsonb containment: every given key = value) and creation time, in the database.
   */
  async listRuns(options: ListRunsOptions = {}): Promise<RunRecord[]> {
    let query = this.#db.selectFrom('runs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (options.statuses) {
      if (options.statuses.length === 0) return [];
      query = query.where('status', 'in', [...options.statuses]);
    }
    if (options.tags && Object.keys(options.tags).length > 0) query = query.where(sql<boolean>`tags @> ${JSON.stringify(options.tags)}::jsonb`);
    if (options.since) query = query.where('created_at', '>=', options.since);
    if (options.limit !== undefined) query = query.limit(options.limit);
    return (await query.execute()).map(toRunRecord);
  }

  runStepStats(runIds: readonly string[]): Promise<Map<string, RunStepStats>> {
    return runStepStats(this.#db, runIds);
  }

  setRunStatus(id: string, status: RunStatus, at: Date, error?: ErrorInfo): Promise<boolean> {
    return setRunStatus(this.#db, id, status, at, error);
  }

  /** The run's steps (or those of `keys`) in plan (dependency) order. */
  async listSteps(runId: string, options: { readonly keys?: readonly string[] } = {}): Promise<StepRecord[]> {
    let query = this.#db.selectFrom('run_steps').selectAll().where('run_id', '=', runId);
    if (options.keys) {
      if (options.keys.length === 0) return [];
      // `= any(array)`: one index probe per key whatever the plan cache decides (see finishStep).
      query = query.where(sql<boolean>`step_key = any(${sql.val([...options.keys])}::text[])`);
    }
    const rows = await query.orderBy('position').execute();
    return rows.map(toStepRecord);
  }

  /** The run's counter of steps still PENDING or RUNNING (0 means the run can end; 0 for an unknown run). One primary-key read. */
  async unfinishedStepCount(runId: string): Promise<number> {
    const row = await this.#db.selectFrom('runs').select('unfinished').where('id', '=', runId).executeTakeFirst();
    return row?.unfinished ?? 0;
  }

  /**
   * PENDING steps of the run none of whose deps is still unsucceeded (waiting = 0), sorted by key:
   * one scan of the partial index run_steps_ready_idx, whatever the size of the run.
   */
  async readySteps(runId: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('run_steps')
      .select('step_key')
      .where('run_id', '=', runId)
      .where('status', '=', 'PENDING')
      .where('waiting', '=', 0)
      .orderBy('step_key')
      .execute();
    return rows.map((row) => row.step_key);
  }

  startStep(runId: string, stepKey: string, attempt: number, at: Date, worker: string): Promise<StartStepResult> {
    return this.#starts.start(runId, { stepKey, attempt, at, worker });
  }

  /** Group-committed with the other finishes of the run from this process (see FinishStepBatcher). */
  finishStep(runId: string, stepKey: string, outcome: StepOutcome): Promise<FinishStepResult> {
    return this.#finishes.finish(runId, stepKey, outcome);
  }

  finishSteps(runId: string, finishes: readonly StepFinish[]): Promise<FinishStepResult[]> {
    return finishSteps(this.#db, this.#schema, runId, finishes);
  }

  retryStep(runId: string, stepKey: string, outcome: StepOutcome & { retryDelayMs: number }): Promise<boolean> {
    return retryStep(this.#db, runId, stepKey, outcome);
  }

  recordStepReports(runId: string, stepKey: string, attempt: number, reports: StepReports): Promise<boolean> {
    return recordStepReports(this.#db, runId, stepKey, attempt, reports);
  }

  /**
   * Of `assetKeys`, those whose every partition (of the step; '' when unpartitioned) has its
   * asset_partitions row MATERIALIZED by this run and step: what earlier attempts of a multi-asset's
   * step reported. Primary-key lookups only.
   */
  async reportedKeys(runId: string, stepKey: string, assetKeys: readonly string[], partitions: readonly string[] | null): Promise<string[]> {
    if (assetKeys.length === 0) return [];
    const parts = partitions && partitions.length > 0 ? partitions : [''];
    const rows = await this.#db
      .selectFrom('asset_partitions')
      .select(['asset_key', 'partition_key'])
      .where('asset_key', 'in', [...assetKeys])
      .where('partition_key', 'in', [...parts])
      .where('run_id', '=', runId)
      .where('step_key', '=', stepKey)
      .where('status', '=', 'MATERIALIZED')
      .execute();
    const count = new Map<string, number>();
    for (const row of rows) count.set(row.asset_key, (count.get(row.asset_key) ?? 0) + 1);
    return assetKeys.filter((key) => count.get(key) === new Set(parts).size);
  }

  cancelPendingSteps(runId: string, at: Date): Promise<string[]> {
    return cancelPendingSteps(this.#db, runId, at);
  }

  /**
   * One statement: sets (or, with null, clears) why the run waits, only while it is QUEUED; a run
   * that has left QUEUED keeps its null reason (setRunStatus cleared it).
   */
  async setQueueReason(runId: string, reason: string | null): Promise<void> {
    await this.#db.updateTable('runs').set({ queue_reason: reason }).where('id', '=', runId).where('status', '=', 'QUEUED').execute();
  }
}
