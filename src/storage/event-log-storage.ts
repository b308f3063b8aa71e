import type { Metadata } from '../core/asset/metadata.js';
import type { CheckSeverity } from '../core/checks/check-definition.js';
import type { EventRecord, NewEvent } from '../core/events.js';

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

/** An ASSET_OBSERVATION event: metadata about an asset recorded without a new materialization. */
export interface ObservationRecord {
  /** The event's id. */
  readonly id: number;
  readonly assetKey: string;
  readonly runId: string;
  readonly metadata: Metadata;
  readonly at: Date;
  /** null when the asset is unpartitioned. */
  readonly partitionKey: string | null;
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

/**
 * What runs produced, read back: the event log, materializations, check results, the state of each
 * (asset, partition) and assets' cursors. Appending events is the only write here; the rest is
 * written by RunStorage with the step outcomes that produce it (see RunStorage).
 */
export interface EventLogStorage {
  /**
   * Appends events to their runs' logs, in the given order, in one statement (ids drawn under the
   * runs' row locks). An event of an unknown run fails, and nothing is written.
   */
  appendEvents(events: readonly NewEvent[]): Promise<void>;
  /**
   * Events in log order, after `afterId` when given. With `beforeId`, the last `limit` events before
   * it (still in log order): the page that precedes `beforeId`, for reading a log backwards.
   */
  listEvents(runId: string, options?: { afterId?: number; beforeId?: number; limit?: number; types?: readonly string[]; stepKey?: string }): Promise<EventRecord[]>;

  /** The latest materialization of each asset (all assets when `assetKeys` is omitted). */
  latestMaterializations(assetKeys?: readonly string[]): Promise<Map<string, MaterializationRecord>>;
  /** Newest first. */
  materializations(assetKey: string, options?: { limit?: number; partitionKey?: string }): Promise<MaterializationRecord[]>;
  /** The asset's observations (ASSET_OBSERVATION events), newest first. */
  observations(assetKey: string, options?: { limit?: number }): Promise<ObservationRecord[]>;
  /** Newest first. */
  checkResults(filter: { runId?: string; assetKey?: string; limit?: number }): Promise<CheckResultRecord[]>;
  /**
   * The newest result of each (asset, check) of `assetKeys`, sorted by asset key then check name;
   * what cross-run gating and `sluice checks list` read.
   */
  latestCheckResults(assetKeys: readonly string[]): Promise<CheckResultRecord[]>;
  /** The state of every partition of `assetKeys` that ever ended a step (all assets when omitted), by asset then partition key. */
  assetPartitions(assetKeys?: readonly string[]): Promise<AssetPartitionRecord[]>;
  /** The asset's cursor as the last successful step that set it left it (undefined when none did). */
  getCursor(assetKey: string, partitionKey?: string): Promise<AssetCursorRecord | undefined>;
}
