import type { Metadata } from '../core/asset/metadata.js';
import type { RunEvent } from '../core/events.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { RunSummary, StepSummary } from '../execution/run-summary.js';
import type { RunListItem } from '../execution/run-list-item.js';
import type { AssetPartitionsView, PartitionStatus, PartitionView } from '../execution/asset-partitions.js';
import type { BackfillListItem, BackfillSummary } from '../execution/backfill-summary.js';
import type { AssetStatusView } from '../core/staleness/asset-status.js';
import type { ErrorInfo } from '../core/events.js';
import type { SensorStatus } from '../core/sensor/sensor-definition.js';
import type { SensorPreview } from '../core/sensor/sensor-preview.js';
import type { ChannelHealth } from '../core/alert/channel-health.js';

export type { SensorPreview };
import type { EvaluationNode } from '../core/automation/automation-snapshot.js';
import type { AutomationLaunch } from '../core/automation/group-requests.js';

export type { EvaluationNode, AutomationLaunch };

/**
 * The shapes the API answers with (api-contract.ts says which route answers which). Dates travel as
 * ISO-8601 strings. Errors are `ApiError` with the HTTP status saying whose fault it was (4xx: the
 * request's, 5xx: ours).
 */
export interface ApiError {
  readonly error: { readonly code: string; readonly message: string };
}


/** A stored run config version. Secret-looking fields only ever hold env references, so the body is safe to show. */
export interface RunConfigView {
  readonly name: string;
  readonly version: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/** A stored config name and its latest version. */
export interface RunConfigSummaryView {
  readonly name: string;
  readonly latestVersion: number;
  readonly updatedAt: string;
}


export interface LaunchBackfillResponse {
  readonly backfillId: string;
  readonly status: string;
  /** Partitions targeted and runs written QUEUED. */
  readonly partitions: number;
  readonly runs: number;
  /** How long the launch (plan and write) took on the server. */
  readonly launchMs: number;
}

export type { AssetPartitionsView, BackfillListItem, BackfillSummary, PartitionStatus, PartitionView };

/** `GET /api/assets?status=true`: each asset with its status from the stored partition states. */
export interface AssetWithStatusView extends AssetView {
  readonly status: AssetStatusView['status'];
  readonly statusReason: string | null;
  /** Partitioned assets: partitions (up to now) per status; null otherwise. */
  readonly partitions: AssetStatusView['partitions'];
  /** The worst current freshness/deadline verdict; null without a policy (or not checked yet). */
  readonly freshness: { readonly level: 'PASS' | 'WARN' | 'FAIL'; readonly summary: string } | null;
}

export interface LaunchRunResponse {
  readonly runId: string;
  readonly status: RunStatus;
  readonly steps: number;
}

export type ApiEvent = RunEvent & { readonly id: number; readonly runId: string; readonly stepKey: string | null; readonly at: string };

export interface EventsResponse {
  readonly events: readonly ApiEvent[];
}

export type RunHeader = Omit<RunSummary, 'steps'>;

/** `GET /api/runs`: each run's header with its step statistics (attempts, retries, failures, workers, stepCounts). */
export type { RunListItem, RunSummary, StepSummary };

export interface RunsResponse {
  readonly runs: readonly RunListItem[];
}

export interface AssetView {
  readonly key: string;
  readonly group: string;
  readonly kinds: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly owners: readonly string[];
  readonly deps: readonly string[];
}

export interface HeartbeatView {
  readonly id: string;
  readonly kind: 'daemon' | 'worker';
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly lastSeen: string;
  readonly info: Readonly<Record<string, unknown>>;
}

/** A schedule's persisted state (the definition lives in the project's code). */
export interface ScheduleStateView {
  readonly name: string;
  readonly status: 'RUNNING' | 'STOPPED';
  readonly startedAt: string | null;
  /** The last scheduled instant evaluated. */
  readonly cursor: string | null;
  readonly updatedAt: string;
}

export interface TickView {
  readonly id: number;
  readonly schedule: string;
  readonly scheduledFor: string;
  readonly status: 'STARTED' | 'SUCCESS' | 'SKIPPED' | 'FAILURE';
  readonly runId: string | null;
  readonly reason: string | null;
  readonly error: { readonly name: string; readonly message: string; readonly code?: string } | null;
  readonly claimedBy: string;
  readonly claimedAt: string;
  readonly endedAt: string | null;
}

/** What the lineage and the asset pages color an asset by (see web/asset-status.ts for the rules). */
export type AssetStatus = 'fresh' | 'stale' | 'failed' | 'missing' | 'running';

/** The latest result of one check of an asset; null `passed` = never evaluated. */
export interface CheckBadge {
  readonly name: string;
  readonly severity: 'ERROR' | 'WARN';
  readonly blocking: boolean;
  readonly passed: boolean | null;
  readonly at: string | null;
  readonly runId: string | null;
}

export interface AssetStateView {
  readonly key: string;
  readonly status: AssetStatus;
  readonly lastMaterializedAt: string | null;
  readonly lastRunId: string | null;
  /** Why it is stale or failed, in words. */
  readonly reason: string | null;
  readonly checks: readonly CheckBadge[];
}

export interface MaterializationView {
  readonly id: number;
  readonly runId: string;
  readonly stepKey: string;
  readonly metadata: Metadata;
  readonly dataVersion: string | null;
  readonly at: string;
}

/** An observation of the asset (`sluice assets report --observation`): metadata, no new materialization. */
export interface ObservationView {
  readonly id: number;
  readonly runId: string;
  readonly partition: string | null;
  readonly metadata: Metadata;
  readonly at: string;
}

export interface CheckResultView {
  readonly id: number;
  readonly runId: string;
  readonly checkName: string;
  readonly passed: boolean;
  readonly severity: 'ERROR' | 'WARN';
  readonly blocking: boolean;
  readonly metadata: Metadata;
  readonly description: string | null;
  readonly at: string;
}

export interface AssetDetail {
  readonly asset: AssetView & { readonly description: string | null; readonly codeVersion: string | null; readonly source: string | null };
  readonly state: AssetStateView;
  /** The asset as a selection expression (`key:raw/events`, quoted when it needs to be), for the links that launch it or show it in the lineage. */
  readonly selection: string;
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  /** The asset's config with its defaults applied, or null when it takes no config. */
  readonly configDefaults: unknown;
  readonly takesConfig: boolean;
  /** `daily from 2024-10-01 (UTC)` for a partitioned asset (its partitions: GET /api/assets/:key/partitions), else null. */
  readonly partitionsDefinition: string | null;
  readonly materializations: readonly MaterializationView[];
  /** Observations reported from outside, newest first. */
  readonly observations: readonly ObservationView[];
  readonly checkHistory: readonly CheckResultView[];
  /** The asset's freshness policy and deadline with their verdicts; null when it has neither. */
  readonly freshness: AssetFreshnessView | null;
}

/** One freshness or deadline verdict: current (`at` = since when), or a change in the history. */
export interface FreshnessVerdictView {
  readonly kind: 'freshness' | 'deadline';
  /** '' for the asset as a whole. */
  readonly partitionKey: string;
  readonly level: 'PASS' | 'WARN' | 'FAIL';
  readonly summary: string;
  readonly deadline: string | null;
  readonly at: string;
  /** History: the violation a recovery ends. */
  readonly recovers: string | null;
}

export interface AssetFreshnessView {
  readonly policy: { readonly maxLagMinutes: number; readonly warnAfterMinutes: number | null } | null;
  readonly deadline: { readonly cron: string; readonly timezone: string; readonly warnBeforeMinutes: number | null; readonly customPartition: boolean } | null;
  /** Current verdicts, worst first. */
  readonly current: readonly FreshnessVerdictView[];
  /** Changes (violations and recoveries), newest first. */
  readonly history: readonly FreshnessVerdictView[];
}

/** The whole graph laid out left to right (layer = longest path from a root), computed once per graph. */
export interface LineageView {
  readonly nodes: ReadonlyArray<{ readonly key: string; readonly group: string; readonly x: number; readonly y: number; readonly checks: number }>;
  /** Pairs of node indexes: [from, to] (parent -> child). */
  readonly edges: ReadonlyArray<readonly [number, number]>;
  readonly width: number;
  readonly height: number;
  readonly nodeWidth: number;
  readonly nodeHeight: number;
  readonly groups: readonly string[];
}


/** The assets a selection picks and whether the config is valid for them, nothing written. */
export interface LaunchPreviewResponse {
  readonly keys: readonly string[];
  /** Selected assets that take config, with their defaults. */
  readonly configurable: ReadonlyArray<{ readonly key: string; readonly defaults: unknown }>;
  readonly checks: number;
  /**
   * When the selection holds partitioned assets (a launch then needs `partition`): those assets,
   * their partitions definition in words and its latest partition key up to now (null before the
   * first window ends); null when none is partitioned.
   */
  readonly partitions: { readonly keys: readonly string[]; readonly definition: string; readonly latest: string | null } | null;
  /** The config error, or null when the config is valid for the selection. */
  readonly configError: { readonly code: string; readonly message: string } | null;
}

/** A schedule's definition joined with its persisted state and recent ticks. */
export interface ScheduleView {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly selection: string;
  readonly description: string | null;
  /** The stored status, or the definition's default when it has no state yet. */
  readonly status: 'RUNNING' | 'STOPPED';
  readonly nextTick: string | null;
  readonly lastTick: TickView | null;
}

/** One problem that kept the project's files from loading (as `sluice check` lists it). */
export interface ProjectProblemView {
  readonly code: string;
  readonly file: string | null;
  readonly message: string;
  readonly fix: string;
}

/**
 * The definitions this server serves. Under `sluice dev` they are reloaded as files change:
 * `generation` counts the loads that succeeded, and `failure` holds the latest attempt that did not
 * (the previous generation keeps serving) until a later one succeeds.
 */
export interface ProjectView {
  readonly generation: number;
  readonly loadedAt: string;
  /** True under `sluice dev` (definitions follow the files); false for a daemon or `sluice web`. */
  readonly reloads: boolean;
  readonly assets: number;
  readonly checks: number;
  readonly schedules: number;
  readonly sensors: number;
  readonly failure: { readonly at: string; readonly problems: readonly ProjectProblemView[] } | null;
}

export interface StepsResponse {
  readonly steps: RunSummary['steps'];
}


/** What this server offers the dashboard: a log-in (a token is set) and the queue board (BullMQ). */
export interface SessionView {
  readonly authRequired: boolean;
  readonly queues: boolean;
}

export interface ReexecuteResponse extends LaunchRunResponse {
  readonly parentRunId: string;
  /** The selection of what is rerun (`key:a or key:b`). */
  readonly selection: string;
}

export interface CancelRunResponse {
  readonly runId: string;
  readonly status: RunStatus;
}

export interface CancelBackfillResponse {
  readonly backfillId: string;
  /** Its status after the cancel; undefined when it vanished meanwhile. */
  readonly status: string | undefined;
}

/** A sensor's persisted state, as the API and the CLI show it. */
export interface SensorStateView {
  readonly name: string;
  readonly status: SensorStatus;
  readonly cursor: string | null;
  readonly lastTickAt: string | null;
  readonly updatedAt: string;
}

export interface SensorTickView {
  readonly id: number;
  readonly status: 'SUCCESS' | 'SKIPPED' | 'FAILURE';
  readonly runIds: readonly string[];
  readonly skippedRunKeys: readonly string[];
  readonly skipReason: string | null;
  readonly error: ErrorInfo | null;
  readonly cursorBefore: string | null;
  readonly cursorAfter: string | null;
  readonly startedAt: string;
  readonly endedAt: string;
}

/** `GET /api/sensors`: each sensor the project defines, with its stored (or default) status, cursor and last tick. */
export interface SensorView {
  readonly name: string;
  readonly type: 'standard' | 'asset' | 'run_status';
  /** What it watches, in a few words. */
  readonly watches: string;
  readonly status: SensorStatus;
  /** `default`: never started or stopped (the definition's defaultStatus applies). */
  readonly statusSource: 'stored' | 'default';
  readonly minimumIntervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly cursor: string | null;
  readonly lastTick: SensorTickView | null;
  readonly select: string | null;
  readonly description: string | null;
}

/** Declarative automation: on or off, and its latest evaluation. */
export interface AutomationStatusView {
  readonly status: 'RUNNING' | 'STOPPED';
  readonly updatedAt: string;
  readonly lastEvaluation: {
    readonly id: number;
    readonly evaluatedAt: string;
    readonly requestedCount: number;
    readonly runIds: readonly string[];
    readonly backfillIds: readonly string[];
    readonly errors: readonly { readonly name: string; readonly message: string }[];
  } | null;
}

/** What the next evaluation would request and launch (nothing launched, nothing saved). */
export interface AutomationPreviewView {
  readonly evaluatedAt: string;
  readonly requested: readonly { readonly asset: string; readonly partitions: readonly string[] }[];
  readonly launches: readonly AutomationLaunch[];
  /** Assets whose condition could not be evaluated. */
  readonly errors: readonly { readonly asset: string; readonly message: string }[];
}

/** An asset's latest stored automation evaluation (null when none is kept). */
export interface AssetAutomationView {
  readonly asset: string;
  readonly evaluation: {
    readonly id: number;
    readonly evaluatedAt: string;
    readonly requested: readonly string[];
    readonly tree: EvaluationNode | null;
    readonly error: { readonly name: string; readonly message: string } | null;
  } | null;
}

/** One outbox row, as the API and the CLI show it (no secret is ever in one). */
export interface AlertDeliveryView {
  readonly id: number;
  readonly idempotencyKey: string;
  readonly alert: string;
  readonly channel: string;
  readonly event: string;
  readonly runId: string | null;
  /** The failed step (step_failure, check_failure), when the event has one. */
  readonly stepKey: string | null;
  readonly status: 'PENDING' | 'SENT' | 'FAILED';
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

/** Deliveries per alert, channel and status (with the newest error), and the most recent ones. */
export interface AlertDeliveriesView {
  readonly counts: ReadonlyArray<{ readonly alert: string; readonly channel: string; readonly status: 'PENDING' | 'SENT' | 'FAILED'; readonly count: number; readonly lastError: string | null }>;
  readonly recent: readonly AlertDeliveryView[];
}

/** One channel of an alert policy: where it sends (variable names only, never their values) and how its deliveries went. */
export interface AlertChannelView {
  /** The secret-free id the outbox uses (`webhook:ALERT_URL`). */
  readonly id: string;
  readonly type: 'webhook' | 'slack' | 'email';
  /** The environment variables it reads (the URL's, the secret's); names only. */
  readonly env: readonly string[];
  /** email: the recipients. */
  readonly to: readonly string[] | null;
  readonly counts: { readonly PENDING: number; readonly SENT: number; readonly FAILED: number };
  /** Judged by its newest delivery (core/alert/channel-health.ts); `failing`: a channel that keeps failing. */
  readonly health: ChannelHealth;
  /** The newest delivery's error (redacted when stored), if it has one. */
  readonly lastError: string | null;
  /** When its newest delivery was written (the newest alert raised through it). */
  readonly lastRaisedAt: string | null;
}

/** An alert policy as the project defines it, with its channels' outcomes. */
export interface AlertPolicyView {
  readonly name: string;
  readonly description: string | null;
  /** The events it listens to. */
  readonly on: readonly string[];
  /** Its selection; null = every asset. */
  readonly select: string | null;
  readonly channels: readonly AlertChannelView[];
}

/** `GET /api/alerts`: the project's policies and the newest deliveries (of one status, one alert, when asked). */
export interface AlertFeedView {
  readonly policies: readonly AlertPolicyView[];
  readonly deliveries: readonly AlertDeliveryView[];
}
