import type { Metadata } from '../core/asset/metadata.js';
import type { CheckSeverity } from '../core/checks/check-definition.js';
import type { ErrorInfo, EventRecord, NewEvent } from '../core/events.js';
import type { PlanStep } from '../core/plan/execution-plan.js';
import type { RunStatus, StepStatus } from '../core/run/run-status.js';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';

export interface NewRun {
  readonly id: string;
  /** The selection expression as the user wrote it. */
  readonly selection: string;
  /** What launched it: `cli`, `schedule:<name>`, `web`, `backfill:<id>`. */
  readonly trigger: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Inline run config (per asset key), already validated. Secrets never go here. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The named config version the run used, when it used one. */
  readonly configRef: { readonly name: string; readonly version: number } | null;
  readonly steps: readonly PlanStep[];
  readonly at: Date;
  /** The run's partition: a key, or a range `from...to`; null/omitted when unpartitioned. */
  readonly partition?: string | null;
  /** The backfill that launched it. */
  readonly backfillId?: string | null;
}

export interface RunRecord {
  readonly id: string;
  readonly status: RunStatus;
  readonly selection: string;
  readonly trigger: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly configRef: { readonly name: string; readonly version: number } | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  readonly error: ErrorInfo | null;
  /** Why a QUEUED run has not started yet (the limit holding it back), null otherwise. */
  readonly queueReason: string | null;
  /** A partition key, a range `from...to`, or null when unpartitioned. */
  readonly partition: string | null;
  readonly backfillId: string | null;
}

export interface StepRecord {
  readonly runId: string;
  readonly key: string;
  readonly kind: 'asset' | 'check';
  readonly assetKey: string;
  readonly checkName: string | null;
  readonly deps: readonly string[];
  readonly status: StepStatus;
  /** The current (or last) attempt, 0 before the first start. */
  readonly attempt: number;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  readonly error: ErrorInfo | null;
  /** Who ran the last attempt (host:pid or a worker id). */
  readonly worker: string | null;
  /** The partition keys it materializes or checks; null when its asset is unpartitioned. */
  readonly partitions: readonly string[] | null;
  /** A multi-asset's step: the keys it materializes (`assetKey` is the first); null otherwise. */
  readonly assetKeys: readonly string[] | null;
  /** A multi-asset's step: the multi-asset's name. */
  readonly multi?: string;
}

export interface MaterializationRecord {
  readonly id: number;
  readonly assetKey: string;
  readonly runId: string;
  readonly stepKey: string;
  readonly metadata: Metadata;
  readonly dataVersion: string | null;
  readonly at: Date;
  /** null when the asset is unpartitioned. */
  readonly partitionKey: string | null;
  /** The asset's code version when it was materialized. */
  readonly codeVersion: string | null;
}

export interface CheckResultRecord {
  readonly id: number;
  readonly runId: string;
  readonly assetKey: string;
  readonly checkName: string;
  readonly passed: boolean;
  readonly severity: CheckSeverity;
  readonly blocking: boolean;
  readonly metadata: Metadata;
  readonly description: string | null;
  readonly at: Date;
  /** The partition checked (single-partition runs), else null. */
  readonly partitionKey: string | null;
}

/** What `finishStep` changed: steps now ready, steps skipped, steps of the run still PENDING or RUNNING. */
export interface FinishStepResult {
  readonly ready: string[];
  readonly skipped: string[];
  readonly remaining: number;
}

/** Whether `startStep` started the step, and if not, why. */
export type StartStepResult =
  /** `assetKeys`, `partitions`: a multi-asset step's keys and partition keys, as its row has them. */
  | { readonly started: true; readonly assetKeys?: readonly string[]; readonly partitions?: readonly string[] | null }
  | { readonly started: false; readonly reason: 'not-pending' }
  | { readonly started: false; readonly reason: 'asset-busy'; readonly holder: { readonly runId: string; readonly stepKey: string } };

/** A lock that keeps one asset from being materialized by two steps at once, anywhere. */
export interface AssetLockRecord {
  readonly assetKey: string;
  /** '' when the asset is unpartitioned. */
  readonly partitionKey: string;
  readonly runId: string;
  readonly stepKey: string;
  readonly worker: string;
  readonly acquiredAt: Date;
}

/** A long-running process announcing that it is alive. */
export interface Heartbeat {
  /** Unique per process: `daemon:<host>:<pid>:<random>` or `worker:...`. */
  readonly id: string;
  readonly kind: 'daemon' | 'worker';
  readonly host: string;
  readonly pid: number;
  readonly startedAt: Date;
  readonly at: Date;
  /** Small JSON facts: concurrency, queues, version, last loop errors. */
  readonly info: Readonly<Record<string, unknown>>;
}

export interface RunConfigRecord {
  readonly name: string;
  readonly version: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

/** How a step attempt ended. Events listed here are written in the same transaction. */
export interface StepOutcome {
  /** CANCELED: the run was canceled while this attempt ran (nothing downstream is skipped; the executor cancels pending steps). */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  readonly attempt: number;
  readonly at: Date;
  readonly durationMs: number;
  readonly error?: ErrorInfo;
  readonly materialization?: {
    readonly metadata: Metadata;
    readonly dataVersion?: string;
    /** The asset's code version, kept with the materialization for staleness. */
    readonly codeVersion?: string;
    /** The run's partition (key or range), for the MATERIALIZATION event; storage records the step's own partition keys. */
    readonly partition?: string;
  };
  readonly check?: {
    readonly passed: boolean;
    readonly severity: CheckSeverity;
    readonly blocking: boolean;
    readonly metadata: Metadata;
    readonly description?: string;
  };
  /** Buffered log events of the attempt, written with the outcome. */
  readonly events?: readonly NewEvent[];
  /** The asset's new cursor (ctx.cursor.set): stored in the same statement as a SUCCEEDED outcome, ignored otherwise. */
  readonly cursor?: { readonly value: unknown };
}

/**
 * What a multi-asset's step reported since its last write: materialized keys (with the cursors they
 * staged), check results, and the events to write with them (in order: log lines,
 * MATERIALIZATION, CHECK_EVALUATION).
 */
export interface StepReports {
  readonly at: Date;
  readonly materializations: ReadonlyArray<{
    readonly assetKey: string;
    readonly metadata: Metadata;
    readonly dataVersion?: string;
    readonly codeVersion?: string;
    readonly cursor?: { readonly value: unknown };
  }>;
  readonly checks: ReadonlyArray<
    Pick<CheckResultRecord, 'assetKey' | 'checkName' | 'passed' | 'severity' | 'blocking' | 'metadata'> & { readonly description?: string }
  >;
  readonly events: readonly NewEvent[];
}

/** An asset's committed incremental state (see StepOutcome.cursor). */
export interface AssetCursorRecord {
  readonly assetKey: string;
  /** '' when the asset is not partitioned. */
  readonly partitionKey: string;
  readonly value: unknown;
  /** The run and step whose success wrote it. */
  readonly runId: string;
  readonly stepKey: string;
  readonly updatedAt: Date;
}

/** The current state of one (asset, partition): the last final outcome of a step that materialized it. */
export interface AssetPartitionRecord {
  readonly assetKey: string;
  /** '' when the asset is unpartitioned. */
  readonly partitionKey: string;
  readonly status: 'MATERIALIZED' | 'FAILED';
  /** When it was last materialized (kept through later failures); null if never. */
  readonly materializedAt: Date | null;
  /** The code version of that materialization. */
  readonly codeVersion: string | null;
  /** The run and step of the last final outcome. */
  readonly runId: string;
  readonly stepKey: string;
  readonly updatedAt: Date;
}

export type BackfillStatus = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED';

/** How a backfill splits its partitions into runs. */
export type BackfillPolicy = { readonly kind: 'per-partition' } | { readonly kind: 'single-run' } | { readonly kind: 'chunks'; readonly size: number };

export interface NewBackfill {
  readonly id: string;
  readonly selection: string;
  readonly from: string;
  readonly to: string;
  readonly policy: BackfillPolicy;
  readonly maxConcurrentRuns: number | null;
  /** Every partition key it targets, in order (after --only-failed filtering). */
  readonly partitions: readonly string[];
  readonly trigger: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly at: Date;
}

export interface BackfillRecord extends Omit<NewBackfill, 'at'> {
  readonly status: BackfillStatus;
  readonly runCount: number;
  readonly createdAt: Date;
  readonly endedAt: Date | null;
}

/** A run of a backfill, as its progress needs it. */
export interface BackfillRunRecord {
  readonly runId: string;
  readonly status: RunStatus;
  readonly partition: string | null;
}

/** The persisted state of a schedule (its definition lives in code). */
export interface ScheduleState {
  readonly name: string;
  readonly status: ScheduleStatus;
  /** When it last went to RUNNING: no tick scheduled before this is ever launched. Null if never started. */
  readonly startedAt: Date | null;
  /** The last scheduled instant a scheduler evaluated; null before the first. Only moves forward. */
  readonly cursor: Date | null;
  readonly updatedAt: Date;
}

export type TickStatus = 'STARTED' | 'SUCCESS' | 'SKIPPED' | 'FAILURE';

/** One decided tick of a schedule: unique per (schedule, scheduledFor). */
export interface TickRecord {
  readonly id: number;
  readonly schedule: string;
  readonly scheduledFor: Date;
  readonly status: TickStatus;
  /** The run launched for it (SUCCESS). */
  readonly runId: string | null;
  /** Why it launched nothing (SKIPPED). */
  readonly reason: string | null;
  /** Why launching failed (FAILURE). */
  readonly error: ErrorInfo | null;
  /** The process that claimed it. */
  readonly claimedBy: string;
  readonly claimedAt: Date;
  readonly endedAt: Date | null;
}

/** How a claimed tick ended. */
export type TickOutcome =
  | { readonly status: 'SUCCESS'; readonly runId: string }
  | { readonly status: 'SKIPPED'; readonly reason: string }
  | { readonly status: 'FAILURE'; readonly error: ErrorInfo };

export interface ListRunsOptions {
  readonly limit?: number;
  readonly statuses?: readonly RunStatus[];
  /** Only runs carrying every one of these tags (key = value). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Only runs created at or after this instant. */
  readonly since?: Date;
}

/** What a runs list shows beside each run, from its steps (see runStepStats). */
export interface RunStepStats {
  /** Attempts started, over all steps. */
  readonly attempts: number;
  /** Attempts beyond each step's first, summed. */
  readonly retries: number;
  /** Steps that ended FAILED. */
  readonly failures: number;
  /** Distinct workers that ran the steps' last attempts, sorted. */
  readonly workers: readonly string[];
  readonly stepCounts: Readonly<Record<StepStatus, number>>;
}

/** One named run config: its latest version. */
export interface RunConfigSummary {
  readonly name: string;
  readonly latestVersion: number;
  readonly updatedAt: Date;
}

/**
 * The one seam to storage. Every state change of runs and steps goes through here and is committed
 * before it is announced anywhere else. Implementations: kysely over server Postgres or PGlite.
 */
export interface Instance {
  readonly dialect: 'postgres' | 'pglite';

  /** Writes the run as QUEUED with its planned steps (all PENDING) and a RUN_QUEUED event. */
  createRun(run: NewRun): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(options?: ListRunsOptions): Promise<RunRecord[]>;
  /** Step statistics of each of `runIds` (every id is in the map), in one query: for a page of listRuns. */
  runStepStats(runIds: readonly string[]): Promise<Map<string, RunStepStats>>;
  /**
   * Moves the run to `status` and appends the matching RUN_* event, only from a status that allows
   * it (QUEUED->STARTED, STARTED->SUCCESS|FAILURE|CANCELING, QUEUED|STARTED|CANCELING->CANCELED).
   * Returns false (and writes nothing) when the run was not in such a status.
   */
  setRunStatus(id: string, status: RunStatus, at: Date, error?: ErrorInfo): Promise<boolean>;

  /** In plan (dependency) order. */
  listSteps(runId: string): Promise<StepRecord[]>;
  /** How many steps of the run are PENDING or RUNNING (O(1): a counter kept on the run row; 0 for an unknown run). */
  unfinishedStepCount(runId: string): Promise<number>;
  /** PENDING steps of the run whose deps have all SUCCEEDED, sorted by key (an index scan of the ready steps only). */
  readySteps(runId: string): Promise<string[]>;
  /**
   * PENDING -> RUNNING with the given attempt, in one transaction. An asset step also takes its
   * asset's lock in that transaction; while another step (of any run) holds it, nothing is written
   * and the result names the holder. Not started either when the step was not PENDING (someone else
   * started it, or it was skipped or canceled). No event is written and the run row is not touched:
   * the caller writes the attempt's STEP_STARTED with its first events (a log batch, or the outcome
   * through finishStep/retryStep), so that a short step costs one run-locked commit, not two.
   */
  startStep(runId: string, stepKey: string, attempt: number, at: Date, worker: string): Promise<StartStepResult>;
  /**
   * Ends a RUNNING attempt, in one transaction: the step's status, STEP_SUCCEEDED or STEP_FAILED,
   * the outcome's events, the materialization or check result; on FAILED every transitive
   * downstream PENDING step becomes SKIPPED (with STEP_SKIPPED events). Returns the steps that became
   * ready, those skipped, and how many steps of the run are still PENDING or RUNNING right after
   * this call (of concurrent finishers of a run, exactly the last one sees 0). A second call for the
   * same attempt changes nothing and returns empty lists and the current count.
   */
  finishStep(runId: string, stepKey: string, outcome: StepOutcome): Promise<FinishStepResult>;
  /** The asset's cursor as the last successful step that set it left it (undefined when none did). */
  getCursor(assetKey: string, partitionKey?: string): Promise<AssetCursorRecord | undefined>;
  /**
   * A RUNNING attempt failed and will be retried: STEP_FAILED (willRetry) and the outcome's events,
   * then the step is PENDING again. Returns false when the step was not RUNNING that attempt.
   */
  retryStep(runId: string, stepKey: string, outcome: StepOutcome & { retryDelayMs: number }): Promise<boolean>;
  /**
   * A multi-asset's step reports keys and checks while it runs (see StepReports): written at once,
   * in one transaction, while the step is RUNNING that attempt; false (nothing written) otherwise.
   */
  recordStepReports(runId: string, stepKey: string, attempt: number, reports: StepReports): Promise<boolean>;
  /**
   * The keys of a multi-asset's step that this run's step materialized (an earlier attempt's
   * reports), of `assetKeys`: the asset_partitions rows it last wrote MATERIALIZED, every partition.
   */
  reportedKeys(runId: string, stepKey: string, assetKeys: readonly string[], partitions: readonly string[] | null): Promise<string[]>;
  /** Every PENDING step of the run becomes CANCELED (with STEP_CANCELED). Returns their keys. */
  cancelPendingSteps(runId: string, at: Date): Promise<string[]>;
  /** Asset locks held now (finishStep and retryStep release the lock their step took). */
  listAssetLocks(): Promise<AssetLockRecord[]>;
  /** Records why a QUEUED run waits (null clears it); does nothing once the run left QUEUED. */
  setQueueReason(runId: string, reason: string | null): Promise<void>;

  /** Upserts the heartbeat of a process (by id). */
  heartbeat(beat: Heartbeat): Promise<void>;
  /** Every heartbeat, newest `at` first. */
  listHeartbeats(): Promise<Heartbeat[]>;
  removeHeartbeat(id: string): Promise<void>;
  /**
   * Takes or renews the named lease for `holder` until `at + ttlMs`: succeeds when the lease is
   * free, expired, or already held by `holder`. One row per name; daemons use it to elect the one
   * that runs the run queue.
   */
  acquireLease(name: string, holder: string, ttlMs: number, at: Date): Promise<boolean>;
  /** Who holds the lease and until when (the expiry may be past), or undefined when nobody does. */
  getLease(name: string): Promise<{ holder: string; expiresAt: Date } | undefined>;
  /** Gives the lease up when `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;

  appendEvents(events: readonly NewEvent[]): Promise<void>;
  /**
   * Writes the backfill (RUNNING) and all its runs (QUEUED, like createRun, each with
   * backfillId set) in one transaction: thousands of runs in a few bulk statements.
   */
  createBackfill(backfill: NewBackfill, runs: readonly NewRun[]): Promise<BackfillRecord>;
  getBackfill(id: string): Promise<BackfillRecord | undefined>;
  /** Newest first. */
  listBackfills(options?: { limit?: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillRecord[]>;
  /** The backfill's runs, oldest first, then by partition. */
  listBackfillRuns(id: string): Promise<BackfillRunRecord[]>;
  /** RUNNING -> CANCELING (cancel requested). Returns false when it was not RUNNING. */
  requestBackfillCancel(id: string, at: Date): Promise<boolean>;
  /**
   * When none of its runs is QUEUED, STARTED or CANCELING any more: RUNNING -> COMPLETED (every run
   * SUCCESS) or FAILED, CANCELING -> CANCELED. Returns the status after the call.
   */
  finishBackfillIfDone(id: string, at: Date): Promise<BackfillStatus | undefined>;
  /** The state of every partition of `assetKeys` that ever ended a step (all assets when omitted), by asset then partition key. */
  assetPartitions(assetKeys?: readonly string[]): Promise<AssetPartitionRecord[]>;

  /**
   * Events in log order, after `afterId` when given. With `beforeId`, the last `limit` events before
   * it (still in log order): the page that precedes `beforeId`, for reading a log backwards.
   */
  listEvents(runId: string, options?: { afterId?: number; beforeId?: number; limit?: number; types?: readonly string[]; stepKey?: string }): Promise<EventRecord[]>;

  /** The latest materialization of each asset (all assets when `assetKeys` is omitted). */
  latestMaterializations(assetKeys?: readonly string[]): Promise<Map<string, MaterializationRecord>>;
  /** Newest first. */
  materializations(assetKey: string, options?: { limit?: number; partitionKey?: string }): Promise<MaterializationRecord[]>;
  /** Newest first. */
  checkResults(filter: { runId?: string; assetKey?: string; limit?: number }): Promise<CheckResultRecord[]>;
  /**
   * The newest result of each (asset, check) of `assetKeys`, sorted by asset key then check name;
   * what cross-run gating and `sluice checks list` read.
   */
  latestCheckResults(assetKeys: readonly string[]): Promise<CheckResultRecord[]>;

  /** Stores a new version of a named run config; returns it (versions start at 1). */
  putRunConfig(name: string, body: Record<string, unknown>, at: Date): Promise<RunConfigRecord>;
  /** The given version, or the latest when `version` is omitted. */
  getRunConfig(name: string, version?: number): Promise<RunConfigRecord | undefined>;
  /** Every named config with its latest version, by name. */
  listRunConfigs(): Promise<RunConfigSummary[]>;

  /**
   * The schedule's state; when it has none yet, first writes `defaultStatus` (RUNNING with
   * startedAt = `at`). Concurrent callers all get the one row that won.
   */
  ensureScheduleState(name: string, defaultStatus: ScheduleStatus, at: Date): Promise<ScheduleState>;
  /**
   * Sets the status (creating the row if needed). STOPPED -> RUNNING (or a first RUNNING) sets
   * startedAt = `at`; RUNNING -> RUNNING keeps the earlier startedAt. The cursor is kept.
   */
  setScheduleStatus(name: string, status: ScheduleStatus, at: Date): Promise<ScheduleState>;
  getScheduleState(name: string): Promise<ScheduleState | undefined>;
  /** Every schedule state, by name. */
  listScheduleStates(): Promise<ScheduleState[]>;
  /** Moves the cursor forward to `cursor` (never back); does nothing for a schedule without a row. */
  advanceScheduleCursor(name: string, cursor: Date, at: Date): Promise<void>;
  /**
   * Claims a tick: inserts its STARTED row unless (schedule, scheduledFor) exists. Returns the new
   * row, or undefined when another claimer already has it (exactly one of concurrent claimers wins).
   */
  claimTick(tick: { schedule: string; scheduledFor: Date; claimedBy: string; at: Date }): Promise<TickRecord | undefined>;
  /** STARTED -> the outcome. Returns false (and writes nothing) when the tick was not STARTED. */
  finishTick(id: number, outcome: TickOutcome, at: Date): Promise<boolean>;
  /** The schedule's ticks, latest scheduled instant first. */
  listTicks(schedule: string, options?: { limit?: number; statuses?: readonly TickStatus[] }): Promise<TickRecord[]>;

  close(): Promise<void>;
}
