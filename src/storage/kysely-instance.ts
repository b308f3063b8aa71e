import type { ErrorInfo, EventRecord, NewEvent } from '../core/events.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { StorageDb } from './database.js';
import type {
  AssetPartitionRecord,
  BackfillRecord,
  BackfillRunRecord,
  BackfillStatus,
  NewBackfill,
  AssetCursorRecord,
  AssetLockRecord,
  CheckResultRecord,
  FinishStepResult,
  Heartbeat,
  Instance,
  ListRunsOptions,
  MaterializationRecord,
  NewRun,
  RunConfigRecord,
  RunConfigSummary,
  RunRecord,
  RunStepStats,
  ScheduleState,
  StartStepResult,
  StepOutcome,
  StepReports,
  StepRecord,
  TickOutcome,
  TickRecord,
  TickStatus,
} from './instance.js';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';
import { appendEvents } from './sql/append-events.js';
import { assetPartitions } from './sql/asset-partitions.js';
import { createBackfill, finishBackfillIfDone, getBackfill, listBackfillRuns, listBackfills, requestBackfillCancel } from './sql/backfills.js';
import { listAssetLocks } from './sql/asset-locks.js';
import { getCursor } from './sql/asset-cursors.js';
import { cancelPendingSteps } from './sql/cancel-pending-steps.js';
import { checkResults, latestCheckResults } from './sql/check-results.js';
import { createRun } from './sql/create-run.js';
import { finishStep } from './sql/finish-step.js';
import { heartbeat, listHeartbeats, removeHeartbeat } from './sql/heartbeats.js';
import { acquireLease, getLease, releaseLease } from './sql/leases.js';
import { listEvents } from './sql/list-events.js';
import { getRun, listRuns } from './sql/list-runs.js';
import { listSteps } from './sql/list-steps.js';
import { latestMaterializations, materializationHistory } from './sql/materializations.js';
import { readySteps } from './sql/ready-steps.js';
import { unfinishedStepCount } from './sql/unfinished-step-count.js';
import { retryStep } from './sql/retry-step.js';
import { recordStepReports } from './sql/record-step-reports.js';
import { reportedKeys } from './sql/reported-keys.js';
import { getRunConfig, listRunConfigs, putRunConfig } from './sql/run-configs.js';
import { runStepStats } from './sql/run-step-stats.js';
import { setQueueReason } from './sql/set-queue-reason.js';
import { setRunStatus } from './sql/set-run-status.js';
import { startStep } from './sql/start-step.js';
import { advanceScheduleCursor, ensureScheduleState, getScheduleState, listScheduleStates, setScheduleStatus } from './sql/schedule-states.js';
import { claimTick, finishTick, listTicks } from './sql/schedule-ticks.js';

/**
 * The Instance over kysely: one SQL implementation for server Postgres and PGlite. `db` is bound
 * to the instance's schema (withSchema); each method is one function of ./sql/.
 */
export class KyselyInstance implements Instance {
  readonly dialect: 'postgres' | 'pglite';
  readonly #db: StorageDb;
  readonly #schema: string;
  readonly #close: () => Promise<void>;

  /** `db` is bound to `schema` (the hand-written statements of ./sql/ qualify their tables with it); `close` releases the connection(s): the unscoped Kysely's destroy. */
  constructor(db: StorageDb, schema: string, dialect: 'postgres' | 'pglite', close: () => Promise<void>) {
    this.#db = db;
    this.#schema = schema;
    this.dialect = dialect;
    this.#close = close;
  }

  createRun(run: NewRun): Promise<RunRecord> {
    return createRun(this.#db, run);
  }

  getRun(id: string): Promise<RunRecord | undefined> {
    return getRun(this.#db, id);
  }

  listRuns(options?: ListRunsOptions): Promise<RunRecord[]> {
    return listRuns(this.#db, options);
  }

  runStepStats(runIds: readonly string[]): Promise<Map<string, RunStepStats>> {
    return runStepStats(this.#db, runIds);
  }

  setRunStatus(id: string, status: RunStatus, at: Date, error?: ErrorInfo): Promise<boolean> {
    return setRunStatus(this.#db, id, status, at, error);
  }

  listSteps(runId: string): Promise<StepRecord[]> {
    return listSteps(this.#db, runId);
  }

  unfinishedStepCount(runId: string): Promise<number> {
    return unfinishedStepCount(this.#db, runId);
  }

  readySteps(runId: string): Promise<string[]> {
    return readySteps(this.#db, runId);
  }

  startStep(runId: string, stepKey: string, attempt: number, at: Date, worker: string): Promise<StartStepResult> {
    return startStep(this.#db, this.#schema, runId, stepKey, attempt, at, worker);
  }

  finishStep(runId: string, stepKey: string, outcome: StepOutcome): Promise<FinishStepResult> {
    return finishStep(this.#db, this.#schema, runId, stepKey, outcome);
  }
  getCursor(assetKey: string, partitionKey?: string): Promise<AssetCursorRecord | undefined> {
    return getCursor(this.#db, assetKey, partitionKey);
  }


  retryStep(runId: string, stepKey: string, outcome: StepOutcome & { retryDelayMs: number }): Promise<boolean> {
    return retryStep(this.#db, runId, stepKey, outcome);
  }

  recordStepReports(runId: string, stepKey: string, attempt: number, reports: StepReports): Promise<boolean> {
    return recordStepReports(this.#db, runId, stepKey, attempt, reports);
  }

  reportedKeys(runId: string, stepKey: string, assetKeys: readonly string[], partitions: readonly string[] | null): Promise<string[]> {
    return reportedKeys(this.#db, runId, stepKey, assetKeys, partitions);
  }

  cancelPendingSteps(runId: string, at: Date): Promise<string[]> {
    return cancelPendingSteps(this.#db, runId, at);
  }

  listAssetLocks(): Promise<AssetLockRecord[]> {
    return listAssetLocks(this.#db);
  }

  setQueueReason(runId: string, reason: string | null): Promise<void> {
    return setQueueReason(this.#db, runId, reason);
  }

  heartbeat(beat: Heartbeat): Promise<void> {
    return heartbeat(this.#db, beat);
  }

  listHeartbeats(): Promise<Heartbeat[]> {
    return listHeartbeats(this.#db);
  }

  removeHeartbeat(id: string): Promise<void> {
    return removeHeartbeat(this.#db, id);
  }

  acquireLease(name: string, holder: string, ttlMs: number, at: Date): Promise<boolean> {
    return acquireLease(this.#db, name, holder, ttlMs, at);
  }

  getLease(name: string): Promise<{ holder: string; expiresAt: Date } | undefined> {
    return getLease(this.#db, name);
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return releaseLease(this.#db, name, holder);
  }

  createBackfill(backfill: NewBackfill, runs: readonly NewRun[]): Promise<BackfillRecord> {
    return createBackfill(this.#db, backfill, runs);
  }

  getBackfill(id: string): Promise<BackfillRecord | undefined> {
    return getBackfill(this.#db, id);
  }

  listBackfills(options?: { limit?: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillRecord[]> {
    return listBackfills(this.#db, options);
  }

  listBackfillRuns(id: string): Promise<BackfillRunRecord[]> {
    return listBackfillRuns(this.#db, id);
  }

  requestBackfillCancel(id: string, at: Date): Promise<boolean> {
    return requestBackfillCancel(this.#db, id, at);
  }

  finishBackfillIfDone(id: string, at: Date): Promise<BackfillStatus | undefined> {
    return finishBackfillIfDone(this.#db, id, at);
  }

  assetPartitions(assetKeys?: readonly string[]): Promise<AssetPartitionRecord[]> {
    return assetPartitions(this.#db, assetKeys);
  }

  appendEvents(events: readonly NewEvent[]): Promise<void> {
    return appendEvents(this.#db, events);
  }

  listEvents(runId: string, options?: { afterId?: number; beforeId?: number; limit?: number; types?: readonly string[]; stepKey?: string }): Promise<EventRecord[]> {
    return listEvents(this.#db, runId, options);
  }

  latestMaterializations(assetKeys?: readonly string[]): Promise<Map<string, MaterializationRecord>> {
    return latestMaterializations(this.#db, assetKeys);
  }

  materializations(assetKey: string, options?: { limit?: number; partitionKey?: string }): Promise<MaterializationRecord[]> {
    return materializationHistory(this.#db, assetKey, options);
  }

  checkResults(filter: { runId?: string; assetKey?: string; limit?: number }): Promise<CheckResultRecord[]> {
    return checkResults(this.#db, filter);
  }

  latestCheckResults(assetKeys: readonly string[]): Promise<CheckResultRecord[]> {
    return latestCheckResults(this.#db, assetKeys);
  }

  putRunConfig(name: string, body: Record<string, unknown>, at: Date): Promise<RunConfigRecord> {
    return putRunConfig(this.#db, name, body, at);
  }

  getRunConfig(name: string, version?: number): Promise<RunConfigRecord | undefined> {
    return getRunConfig(this.#db, name, version);
  }

  listRunConfigs(): Promise<RunConfigSummary[]> {
    return listRunConfigs(this.#db);
  }

  ensureScheduleState(name: string, defaultStatus: ScheduleStatus, at: Date): Promise<ScheduleState> {
    return ensureScheduleState(this.#db, name, defaultStatus, at);
  }

  setScheduleStatus(name: string, status: ScheduleStatus, at: Date): Promise<ScheduleState> {
    return setScheduleStatus(this.#db, name, status, at);
  }

  getScheduleState(name: string): Promise<ScheduleState | undefined> {
    return getScheduleState(this.#db, name);
  }

  listScheduleStates(): Promise<ScheduleState[]> {
    return listScheduleStates(this.#db);
  }

  advanceScheduleCursor(name: string, cursor: Date, at: Date): Promise<void> {
    return advanceScheduleCursor(this.#db, name, cursor, at);
  }

  claimTick(tick: { schedule: string; scheduledFor: Date; claimedBy: string; at: Date }): Promise<TickRecord | undefined> {
    return claimTick(this.#db, tick);
  }

  finishTick(id: number, outcome: TickOutcome, at: Date): Promise<boolean> {
    return finishTick(this.#db, id, outcome, at);
  }

  listTicks(schedule: string, options?: { limit?: number; statuses?: readonly TickStatus[] }): Promise<TickRecord[]> {
    return listTicks(this.#db, schedule, options);
  }

  close(): Promise<void> {
    return this.#close();
  }
}
