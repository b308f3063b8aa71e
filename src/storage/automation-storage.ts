import type { AutomationCursor, EvaluationNode } from '../core/automation/automation-snapshot.js';
import type { ErrorInfo } from '../core/events.js';
import type { FeedWatermark } from './sensor-storage.js';

export type AutomationStatus = 'RUNNING' | 'STOPPED';

/** The automation loop's persisted state: on or off, and the cursor the next evaluation starts from. */
export interface AutomationState {
  readonly status: AutomationStatus;
  /** The last saved evaluation's cursor; null before the first. */
  readonly cursor: AutomationCursor | null;
  readonly updatedAt: Date;
}

/** What one evaluation did, for one automated asset. */
export interface NewAssetEvaluation {
  readonly assetKey: string;
  readonly requested: readonly string[];
  readonly tree: EvaluationNode | null;
  readonly error: ErrorInfo | null;
}

export interface NewAutomationEvaluation {
  readonly evaluatedAt: Date;
  /** The runs and backfills it launched. */
  readonly runIds: readonly string[];
  readonly backfillIds: readonly string[];
  /** What failed to launch. */
  readonly errors: readonly ErrorInfo[];
  /** Per asset (an implementation may skip assets whose tree did not change: see the loop). */
  readonly assets: readonly NewAssetEvaluation[];
}

export interface AutomationEvaluationRecord {
  readonly id: number;
  readonly evaluatedAt: Date;
  readonly runIds: readonly string[];
  readonly backfillIds: readonly string[];
  readonly errors: readonly ErrorInfo[];
  /** How many partitions it requested, over all assets. */
  readonly requestedCount: number;
}

export interface AssetEvaluationRecord extends NewAssetEvaluation {
  readonly evaluationId: number;
  readonly evaluatedAt: Date;
}

/** A materialization, as automation reads it. */
export interface AutomationMaterialization {
  readonly id: number;
  readonly assetKey: string;
  /** '' when unpartitioned. */
  readonly partitionKey: string;
}

export interface AutomationCheckResult {
  readonly id: number;
  readonly assetKey: string;
  readonly checkName: string;
  /** '' when the result is of no partition. */
  readonly partitionKey: string;
  readonly passed: boolean;
}

/** The current state of one (asset, partition), as automation reads it. */
export interface AutomationPartitionState {
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly status: 'MATERIALIZED' | 'FAILED';
  /** Ever materialized. */
  readonly materialized: boolean;
}

/** An asset step of a QUEUED or STARTED run: its assets and partitions (null: unpartitioned). */
export interface InProgressStep {
  readonly assetKeys: readonly string[];
  readonly partitions: readonly string[] | null;
}

/**
 * Declarative automation's storage: the loop's state, its evaluation records (each with its
 * per-asset trees, kept for `sluice automation why` and purged after a retention), and the narrow
 * reads an incremental evaluation needs (what was materialized or checked after an id, the asset
 * steps of runs in progress).
 */
export interface AutomationStorage {
  /** The state; STOPPED with no cursor when never written. */
  getState(): Promise<AutomationState>;
  /** Sets on/off; the cursor is kept. */
  setStatus(status: AutomationStatus, at: Date): Promise<AutomationState>;
  /** Writes the evaluation with its asset records and the new cursor in one transaction; returns its id. */
  recordEvaluation(evaluation: NewAutomationEvaluation, cursor: AutomationCursor): Promise<number>;
  /** Newest first. */
  listEvaluations(limit: number): Promise<AutomationEvaluationRecord[]>;
  /** The newest stored evaluation of the asset. */
  latestAssetEvaluation(assetKey: string): Promise<AssetEvaluationRecord | undefined>;
  /** Deletes evaluations (with their asset records) evaluated before `before`; returns how many. */
  purgeEvaluations(before: Date): Promise<number>;
  /** Materializations with an id above `afterId` (and at most `upToId`), by id, at most `limit`. */
  materializationsAfter(afterId: number, limit: number, upToId?: number): Promise<AutomationMaterialization[]>;
  /** Check results with an id above `afterId` (and at most `upToId`), by id, at most `limit`. */
  checkResultsAfter(afterId: number, limit: number, upToId?: number): Promise<AutomationCheckResult[]>;
  /** The highest materialization and check result ids (0 when none). */
  lastEventIds(): Promise<{ materialization: number; checkResult: number }>;
  /**
   * The highest materialization and check result ids, each with the transactions running when it
   * was read (SensorStorage.feedWatermark's, for these tables): ids are drawn before commit, so a
   * reader goes only up to ids no transaction in flight can commit below (advanceFeedCursor).
   */
  feedWatermarks(): Promise<{ materialization: FeedWatermark; checkResult: FeedWatermark }>;
  /** The (asset, partition) states written at or after `since` ('' for unpartitioned). */
  partitionStatesSince(since: Date): Promise<AutomationPartitionState[]>;
  /** The asset steps of every QUEUED or STARTED run. */
  inProgressSteps(): Promise<InProgressStep[]>;
}
