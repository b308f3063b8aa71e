import type { Metadata } from '../core/asset/metadata.js';
import type { CheckSeverity } from '../core/checks/check-definition.js';
import type { ErrorInfo, NewEvent } from '../core/events.js';
import type { PlanStep } from '../core/plan/execution-plan.js';
import type { RunStatus, StepStatus } from '../core/run/run-status.js';
import type { CheckResultRecord } from './event-log-storage.js';

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

/** An observation of an asset: metadata recorded without a new materialization. */
export interface AssetObservation {
  readonly assetKey: string;
  readonly metadata: Metadata;
  /** The partition observed (a partitioned asset), else omitted. */
  readonly partition?: string;
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

/** Whether `startStep` started the step, and if not, why. */
export type StartStepResult =
  /** `assetKeys`, `partitions`: a multi-asset step's keys and partition keys, as its row has them. */
  | { readonly started: true; readonly assetKeys?: readonly string[]; readonly partitions?: readonly string[] | null }
  | { readonly started: false; readonly reason: 'not-pending' }
  | { readonly started: false; readonly reason: 'asset-busy'; readonly holder: { readonly runId: string; readonly stepKey: string } };

/** What `finishStep` changed: steps now ready, steps skipped, steps of the run still PENDING or RUNNING. */
export interface FinishStepResult {
  readonly ready: string[];
  readonly skipped: string[];
  readonly remaining: number;
}

/**
 * Runs and their steps: the run's lifecycle (QUEUED -> STARTED -> SUCCESS | FAILURE | CANCELED),
 * its steps' lifecycle (start, finish, retry, cancel) and readiness. Every run and step transition
 * is a compare-and-set on the current status, committed before it is announced anywhere else.
 *
 * Some writes here reach tables of other concerns in the same transaction, because the invariant
 * they keep is the run's: `setRunStatus` and `cancelPendingSteps` append their RUN_* / STEP_*
 * events, `startStep` takes the step's asset locks (coordination), `finishStep`,
 * `retryStep` and `recordStepReports` write the attempt's events, materializations, check results,
 * asset partitions and cursors (event log) and release the locks. They belong here: a step ends
 * exactly once, and what it produced is written with that end or not at all.
 */
export interface RunStorage {
  /** Writes the run as QUEUED with its planned steps (all PENDING) and a RUN_QUEUED event. */
  createRun(run: NewRun): Promise<RunRecord>;
  /**
   * Records an observation of an asset made outside Sluice as a run of its own, in one transaction:
   * the run (no steps; its `steps` are ignored) ended SUCCESS with RUN_QUEUED, RUN_STARTED,
   * ASSET_OBSERVATION and RUN_SUCCESS. No materialization or partition state is written.
   */
  createObservationRun(run: NewRun, observation: AssetObservation): Promise<RunRecord>;
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

  /** In plan (dependency) order; with `keys`, only those steps (primary-key lookups, not a read of the whole run). */
  listSteps(runId: string, options?: { readonly keys?: readonly string[] }): Promise<StepRecord[]>;
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
  /**
   * finishStep for several attempts of one run, in one transaction and one commit (group commit):
   * the results in the order given, each what finishStep would have returned had the steps finished
   * one after the other in key order. Events of the batch are written in that order.
   */
  finishSteps(runId: string, finishes: readonly { readonly stepKey: string; readonly outcome: StepOutcome }[]): Promise<FinishStepResult[]>;
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
  /** Records why a QUEUED run waits (null clears it); does nothing once the run left QUEUED. */
  setQueueReason(runId: string, reason: string | null): Promise<void>;
}
