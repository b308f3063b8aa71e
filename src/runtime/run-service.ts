import type { AssetFreshness } from '../execution/asset-freshness.js';
import type { Metadata } from '../core/asset/metadata.js';
import type { EventRecord, NewEvent } from '../core/events.js';
import { SluiceError } from '../core/errors.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { AssetStatusView } from '../core/staleness/asset-status.js';
import type { AssetPartitionsView } from '../execution/asset-partitions.js';
import type { BackfillListItem, BackfillSummary } from '../execution/backfill-summary.js';
import type { RunListItem } from '../execution/run-list-item.js';
import type { RunSummary } from '../execution/run-summary.js';
import type { BackfillStatus } from '../storage/instance.js';
import type {
  ApiError,
  ApiEvent,
  AssetDetail,
  AssetStateView,
  AssetWithStatusView,
  CheckResultView,
  MaterializationView,
  ObservationView,
  EventsResponse,
  HeartbeatView,
  LaunchBackfillRequest,
  LaunchBackfillResponse,
  LaunchRunRequest,
  LaunchRunResponse,
  RunConfigSummaryView,
  RunConfigView,
  RunsResponse,
  ScheduleStateView,
  SensorPreview,
  SensorStateView,
  SensorTickView,
  AlertDeliveriesView,
  AlertDeliveryView,
  TickView,
  AutomationStatusView,
  AutomationPreviewView,
  AssetAutomationView,
} from '../web/api-contract.js';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';
import type { SensorStatus } from '../core/sensor/sensor-definition.js';
import type { DaemonAddress } from './embedded-daemon.js';
import { followBackfill } from './follow-backfill.js';
import { followRun } from './follow-run.js';

/** An asset event made outside Sluice, as `sluice assets report` and `POST /api/assets/:key/events` give it. */
export interface AssetEventReport {
  readonly assetKey: string;
  readonly partition?: string;
  readonly metadata?: Metadata;
  /** Default `materialization`. */
  readonly kind?: 'materialization' | 'observation';
  /** Who reported it: the run's trigger is `external:<source>`. */
  readonly source: 'cli' | 'api';
}

/** What the port answers with (the CLI imports them from here, not from the layers below). */
export type {
  AssetPartitionsView,
  AssetStatusView,
  BackfillListItem,
  BackfillStatus,
  BackfillSummary,
  HeartbeatView,
  RunConfigSummaryView,
  RunConfigView,
  RunListItem,
  RunStatus,
  RunSummary,
  ScheduleStateView,
  SensorPreview,
  SensorStateView,
  SensorStatus,
  SensorTickView,
  AlertDeliveriesView,
  AlertDeliveryView,
  TickView,
  AutomationStatusView,
  AutomationPreviewView,
  AssetAutomationView,
};

/** Which runs `listRuns` returns (newest first). */
export interface RunFilter {
  readonly limit: number;
  readonly statuses?: RunStatus[];
  /** Every one of these tags (key = value). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Created at or after. */
  readonly since?: Date;
}

/** Where the runs launched through a RunService execute. */
export type RunExecutor = 'daemon' | 'bullmq' | 'in-process';

/** A run to launch: what `sluice materialize`, the dashboard and `POST /api/runs` ask for. */
export interface RunLaunch {
  readonly selection: string;
  /** Run config keyed by asset key (or multi-asset name); not with `configName`. */
  readonly config?: unknown;
  /** A stored run config, resolved where the store is. */
  readonly configName?: { readonly name: string; readonly version?: number | undefined };
  readonly tags?: Readonly<Record<string, string>>;
  readonly trigger: 'api' | 'cli' | 'web';
  readonly allowFailedChecks?: boolean;
  /** A partition key, or a range `FROM...TO`. */
  readonly partition?: string;
  /** Where the request's fields came from, for error messages (`--select`, `--tag`, `--partition-range`). */
  readonly sources?: { readonly selection?: string; readonly tags?: string; readonly partition?: string };
}

export interface LaunchedRun {
  readonly runId: string;
  readonly status: RunStatus;
  readonly steps: number;
  /** Where it executes. */
  readonly executor: RunExecutor;
  /** Things the person launching should know (no daemon alive to start it, ...). */
  readonly notices: readonly string[];
}

/** A backfill to launch (`sluice backfill`, `POST /api/backfills`). */
export interface BackfillLaunch {
  readonly selection: string;
  readonly from: string;
  readonly to: string;
  /** `per-partition` (default), `single-run` or `chunks:N`. */
  readonly policy?: string;
  /** At most this many of its runs at once; null = only the global limits; absent = the executor's default. */
  readonly maxConcurrentRuns?: number | null;
  readonly onlyFailed?: boolean;
  readonly onlyMissing?: boolean;
  readonly config?: unknown;
  readonly configName?: { readonly name: string; readonly version?: number | undefined };
  readonly tags?: Readonly<Record<string, string>>;
  readonly trigger: 'api' | 'cli' | 'web';
  readonly allowFailedChecks?: boolean;
}

export interface LaunchedBackfill {
  readonly backfillId: string;
  readonly partitions: number;
  readonly runs: number;
  /** How long planning and writing it took where the store is. */
  readonly launchMs: number;
  readonly executor: RunExecutor;
  readonly notices: readonly string[];
}

/** One of a backfill's runs ended, as `awaitBackfill` reports it. */
export interface BackfillRunEnded {
  readonly runId: string;
  /** The partition keys (or the range) the run covered. */
  readonly partitions: readonly string[];
  readonly state: 'done' | 'failed' | 'canceled';
  readonly endedRuns: number;
  readonly totalRuns: number;
  readonly notSuccessful: number;
}

export interface AwaitedBackfill {
  readonly summary: BackfillSummary;
  /** Set when `signal` ended the wait: the backfill was canceled (executed here) or goes on without us. */
  readonly interrupted?: 'canceled' | 'detached';
}

/**
 * The one port to a project's runs: launch, cancel, re-execute, backfills, following, and every
 * read. Three implementations, chosen once by `openRunService` (runtime/open-run-service.ts): the
 * embedded daemon's API (a daemon holds the embedded store), BullMQ (SLUICE_REDIS_URL: the daemon's
 * run queue starts runs, workers execute steps) and in-process (this process executes). The CLI,
 * the dashboard and the daemon's API call it; none of them picks an executor.
 */
export interface RunService {
  /** Where runs launched here execute. */
  readonly executor: RunExecutor;
  launchRun(request: RunLaunch): Promise<LaunchedRun>;
  /** Cancels a run that has not ended (RUN_ALREADY_ENDED otherwise); returns its status after. */
  cancelRun(runId: string): Promise<RunStatus>;
  /** Launches what a FAILURE or CANCELED run did not finish (see execution/reexecute.ts). */
  reexecuteRun(runId: string, trigger: RunLaunch['trigger']): Promise<LaunchedRun & { readonly parentRunId: string; readonly selection: string }>;
  /**
   * Waits for the run to end, handing each of its events to `onEvent` in order; executes it when
   * the executor is this process. `signal` cancels the run (the wait goes on until it ends).
   */
  awaitRun(runId: string, options?: { onEvent?: (event: NewEvent) => void; signal?: AbortSignal }): Promise<RunSummary>;
  launchBackfill(request: BackfillLaunch): Promise<LaunchedBackfill>;
  /** Queued runs never start, running ones are canceled; returns the backfill's status after. */
  cancelBackfill(id: string): Promise<string | undefined>;
  /**
   * Waits until none of the backfill's runs is queued or running, executing them when the executor
   * is this process. `signal` cancels the backfill when it executes here, and otherwise only stops
   * the wait.
   */
  awaitBackfill(id: string, options?: { onRunEnded?: (ended: BackfillRunEnded) => void; signal?: AbortSignal }): Promise<AwaitedBackfill>;

  /**
   * Records a materialization (or, with kind `observation`, an observation: metadata without a new
   * materialization) made outside Sluice, as its own run (trigger `external:<source>`, never started
   * by the run queue), so staleness, asset sensors and automation see it.
   */
  reportAssetEvent(report: AssetEventReport): Promise<{ runId: string }>;

  /** Each run's header with its step statistics. */
  listRuns(options: RunFilter): Promise<RunListItem[]>;
  summary(runId: string): Promise<RunSummary>;
  /** Events after `afterId`, in log order. */
  events(runId: string, afterId: number): Promise<EventRecord[]>;
  heartbeats(): Promise<HeartbeatView[]>;
  /** Persisted schedule states (schedules never started, stopped or seen by a daemon have none). */
  scheduleStates(): Promise<ScheduleStateView[]>;
  setScheduleStatus(name: string, status: ScheduleStatus): Promise<ScheduleStateView>;
  /** A schedule's ticks, latest scheduled instant first. */
  ticks(name: string, limit: number): Promise<TickView[]>;
  /** Persisted sensor states (sensors never started, stopped or seen by a daemon have none). */
  sensorStates(): Promise<SensorStateView[]>;
  setSensorStatus(name: string, status: SensorStatus): Promise<SensorStateView>;
  /** Sets the cursor (null clears it); a sensor without a state gets one with `defaultStatus`. */
  setSensorCursor(name: string, cursor: string | null, defaultStatus: SensorStatus): Promise<SensorStateView>;
  /** A sensor's ticks, newest first. */
  sensorTicks(name: string, limit: number): Promise<SensorTickView[]>;
  /** Evaluates the sensor once where its definitions are (the daemon, or this process) and launches nothing. */
  previewSensor(name: string): Promise<SensorPreview>;
  /** The alerts outbox: counts per alert, channel and status, and the `limit` newest deliveries. */
  alertDeliveries(limit: number): Promise<AlertDeliveriesView>;
  /** The newest result of each evaluated check of `assetKeys` (checks never evaluated are absent). */
  latestCheckResults(assetKeys: readonly string[]): Promise<LatestCheckResult[]>;
  /** The asset's materializations and check results, newest first, at most `limit` of each. */
  assetHistory(assetKey: string, limit: number): Promise<AssetHistory>;
  /** Stores a new version of a named config (the caller validated it against the project). */
  putRunConfig(name: string, body: Record<string, unknown>): Promise<RunConfigView>;
  /** The version, or the latest; throws UnknownRunConfigError saying what exists. */
  getRunConfig(name: string, version?: number): Promise<RunConfigView>;
  listRunConfigs(): Promise<RunConfigSummaryView[]>;
  /** Every asset's status from the stored partition states, with its worst freshness verdict (`graph` is the project's; the daemon uses its own). */
  assetStatuses(graph: AssetGraph): Promise<Map<string, AssetStatusWithFreshness>>;
  /** Every partition of a partitioned asset up to now, newest first; UNKNOWN_ASSET, UNPARTITIONED_ASSET otherwise. */
  assetPartitions(graph: AssetGraph, assetKey: string): Promise<AssetPartitionsView>;
  /** Backfills newest first, with their counts. */
  listBackfills(filter: { limit: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillListItem[]>;
  /** The backfill with its per-partition progress; UNKNOWN_BACKFILL otherwise. */
  backfill(id: string): Promise<BackfillSummary>;
  /** Declarative automation: on or off, and its latest evaluation. */
  automationStatus(): Promise<AutomationStatusView>;
  /** Turns automation on or off (the daemon's automation loop evaluates while it is RUNNING). */
  setAutomationStatus(status: 'RUNNING' | 'STOPPED'): Promise<AutomationStatusView>;
  /** What the next evaluation would launch, from the stored cursor; launches and saves nothing. */
  automationPreview(): Promise<AutomationPreviewView>;
  /** The asset's latest stored evaluation tree (`sluice automation why`). */
  assetAutomation(assetKey: string): Promise<AssetAutomationView>;
  /** Releases what the service holds (the store, Redis connections); an executing run is canceled. */
  close(): Promise<void>;
}

/** The latest evaluation of one check, as `sluice checks list` shows it. */
export interface LatestCheckResult {
  readonly assetKey: string;
  readonly checkName: string;
  readonly passed: boolean;
  readonly at: string;
  readonly runId: string;
}

export interface AssetHistory {
  readonly materializations: readonly MaterializationView[];
  /** Observations reported from outside (metadata, no new materialization). */
  readonly observations: readonly ObservationView[];
  readonly checks: readonly CheckResultView[];
}

/** An asset's status and, when it has a freshness policy or deadline the daemon checked, its worst verdict. */
export type AssetStatusWithFreshness = AssetStatusView & { readonly freshness: AssetFreshness | null };
