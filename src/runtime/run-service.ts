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
  TickView,
} from '../web/api-contract.js';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';
import type { SensorStatus } from '../core/sensor/sensor-definition.js';
import type { SensorPreview, SensorStateView, SensorTickView } from '../web/sensor-routes.js';
import type { DaemonAddress } from './embedded-daemon.js';
import { followBackfill } from './follow-backfill.js';
import { followRun } from './follow-run.js';

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
  TickView,
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
  /** The newest result of each evaluated check of `assetKeys` (checks never evaluated are absent). */
  latestCheckResults(assetKeys: readonly string[]): Promise<LatestCheckResult[]>;
  /** The asset's materializations and check results, newest first, at most `limit` of each. */
  assetHistory(assetKey: string, limit: number): Promise<AssetHistory>;
  /** Stores a new version of a named config (the caller validated it against the project). */
  putRunConfig(name: string, body: Record<string, unknown>): Promise<RunConfigView>;
  /** The version, or the latest; throws UnknownRunConfigError saying what exists. */
  getRunConfig(name: string, version?: number): Promise<RunConfigView>;
  listRunConfigs(): Promise<RunConfigSummaryView[]>;
  /** Every asset's status from the stored partition states (`graph` is the project's; the daemon uses its own). */
  assetStatuses(graph: AssetGraph): Promise<Map<string, AssetStatusView>>;
  /** Every partition of a partitioned asset up to now, newest first; UNKNOWN_ASSET, UNPARTITIONED_ASSET otherwise. */
  assetPartitions(graph: AssetGraph, assetKey: string): Promise<AssetPartitionsView>;
  /** Backfills newest first, with their counts. */
  listBackfills(filter: { limit: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillListItem[]>;
  /** The backfill with its per-partition progress; UNKNOWN_BACKFILL otherwise. */
  backfill(id: string): Promise<BackfillSummary>;
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
  readonly checks: readonly CheckResultView[];
}


/** The launch body's `configName`/`configVersion` (the daemon resolves the name where the store is). */
function configNameFields(ref: RunLaunch['configName']): { configName?: string; configVersion?: number } {
  if (!ref) return {};
  return { configName: ref.name, ...(ref.version === undefined ? {} : { configVersion: ref.version }) };
}

/** Talks to an embedded daemon's local API (api-contract.ts): the daemon executes. */
export class RemoteRunService implements RunService {
  readonly executor = 'daemon' as const;
  constructor(private readonly address: DaemonAddress) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.address.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.address.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new SluiceError(
        'DAEMON_UNREACHABLE',
        `the sluice daemon (pid ${this.address.pid}) holds this project's embedded store but does not answer at ${this.address.url}: ${(error as Error).message}; restart it, or stop it to use the store directly`,
        { pid: this.address.pid },
        { kind: 'internal' },
      );
    }
    const json = (await res.json()) as T | ApiError;
    if (!res.ok) {
      const { code, message } = (json as ApiError).error;
      throw new SluiceError(code, message, { status: res.status }, { kind: res.status < 500 ? 'input' : 'internal' });
    }
    return json as T;
  }

  async launchRun(request: RunLaunch): Promise<LaunchedRun> {
    const body: LaunchRunRequest = {
      selection: request.selection,
      ...(request.config === undefined ? {} : { config: request.config }),
      ...configNameFields(request.configName),
      tags: request.tags ?? {},
      trigger: request.trigger,
      ...(request.allowFailedChecks ? { allowFailedChecks: true } : {}),
      ...(request.partition === undefined ? {} : { partition: request.partition }),
    };
    const launched = await this.request<LaunchRunResponse>('POST', '/api/runs', body);
    return { ...launched, executor: this.executor, notices: [] };
  }

  async cancelRun(runId: string): Promise<RunStatus> {
    await this.summary(runId); // UNKNOWN_RUN, said by the daemon
    return (await this.request<{ status: RunStatus }>('POST', `/api/runs/${encodeURIComponent(runId)}/cancel`)).status;
  }

  async reexecuteRun(runId: string, trigger: RunLaunch['trigger']): Promise<LaunchedRun & { parentRunId: string; selection: string }> {
    const launched = await this.request<LaunchRunResponse & { parentRunId: string; selection: string }>('POST', `/api/runs/${encodeURIComponent(runId)}/reexecute`, { trigger });
    return { ...launched, executor: this.executor, notices: [] };
  }

  /** Tails the run's events through the daemon; `signal` cancels the run there. */
  async awaitRun(runId: string, options: { onEvent?: (event: NewEvent) => void; signal?: AbortSignal } = {}): Promise<RunSummary> {
    const onAbort = () => void this.cancelRun(runId).catch(() => {});
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await followRun(this, runId, options.onEvent ?? (() => {}));
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async launchBackfill(request: BackfillLaunch): Promise<LaunchedBackfill> {
    const body: LaunchBackfillRequest = {
      selection: request.selection,
      from: request.from,
      to: request.to,
      policy: request.policy ?? 'per-partition',
      maxConcurrentRuns: request.maxConcurrentRuns ?? null,
      onlyFailed: request.onlyFailed === true,
      onlyMissing: request.onlyMissing === true,
      ...(request.config === undefined ? {} : { config: request.config }),
      ...configNameFields(request.configName),
      tags: request.tags ?? {},
      trigger: request.trigger,
      allowFailedChecks: request.allowFailedChecks === true,
    };
    const launched = await this.request<LaunchBackfillResponse>('POST', '/api/backfills', body);
    return { backfillId: launched.backfillId, partitions: launched.partitions, runs: launched.runs, launchMs: launched.launchMs, executor: this.executor, notices: [] };
  }

  awaitBackfill(id: string, options: { onRunEnded?: (ended: BackfillRunEnded) => void; signal?: AbortSignal } = {}): Promise<AwaitedBackfill> {
    return followBackfill(this, id, options);
  }

  async close(): Promise<void> {}

  async listRuns(options: RunFilter): Promise<RunListItem[]> {
    const query = new URLSearchParams({ limit: String(options.limit), ...(options.statuses ? { status: options.statuses.join(',') } : {}) });
    for (const [key, value] of Object.entries(options.tags ?? {})) query.append('tag', `${key}=${value}`);
    if (options.since) query.set('since', options.since.toISOString());
    return [...(await this.request<RunsResponse>('GET', `/api/runs?${query}`)).runs];
  }

  summary(runId: string): Promise<RunSummary> {
    return this.request('GET', `/api/runs/${encodeURIComponent(runId)}`);
  }

  async events(runId: string, afterId: number): Promise<EventRecord[]> {
    const { events } = await this.request<EventsResponse>('GET', `/api/runs/${encodeURIComponent(runId)}/events?after=${afterId}`);
    return events.map((e: ApiEvent) => ({ ...e, at: new Date(e.at) }) as EventRecord);
  }

  async heartbeats(): Promise<HeartbeatView[]> {
    return (await this.request<{ heartbeats: HeartbeatView[] }>('GET', '/api/heartbeats')).heartbeats;
  }

  async scheduleStates(): Promise<ScheduleStateView[]> {
    return [...(await this.request<{ states: ScheduleStateView[] }>('GET', '/api/schedule-states')).states];
  }

  async setScheduleStatus(name: string, status: ScheduleStatus): Promise<ScheduleStateView> {
    return (await this.request<{ state: ScheduleStateView }>('POST', `/api/schedule-states/${encodeURIComponent(name)}`, { status })).state;
  }

  async ticks(name: string, limit: number): Promise<TickView[]> {
    return [...(await this.request<{ ticks: TickView[] }>('GET', `/api/schedule-states/${encodeURIComponent(name)}/ticks?limit=${limit}`)).ticks];
  }

  async sensorStates(): Promise<SensorStateView[]> {
    return [...(await this.request<{ states: SensorStateView[] }>('GET', '/api/sensor-states')).states];
  }

  async setSensorStatus(name: string, status: SensorStatus): Promise<SensorStateView> {
    return (await this.request<{ state: SensorStateView }>('POST', `/api/sensor-states/${encodeURIComponent(name)}`, { status })).state;
  }

  async setSensorCursor(name: string, cursor: string | null, defaultStatus: SensorStatus): Promise<SensorStateView> {
    return (await this.request<{ state: SensorStateView }>('POST', `/api/sensor-states/${encodeURIComponent(name)}/cursor`, { cursor, defaultStatus })).state;
  }

  async sensorTicks(name: string, limit: number): Promise<SensorTickView[]> {
    return [...(await this.request<{ ticks: SensorTickView[] }>('GET', `/api/sensor-states/${encodeURIComponent(name)}/ticks?limit=${limit}`)).ticks];
  }

  previewSensor(name: string): Promise<SensorPreview> {
    return this.request('POST', `/api/sensors/${encodeURIComponent(name)}/preview`);
  }

  /** From the daemon's asset states (one request, whatever the number of assets). */
  async latestCheckResults(assetKeys: readonly string[]): Promise<LatestCheckResult[]> {
    const wanted = new Set(assetKeys);
    const { states } = await this.request<{ states: AssetStateView[] }>('GET', '/api/asset-states');
    return states
      .filter((state) => wanted.has(state.key))
      .flatMap((state) =>
        state.checks.flatMap((c) => (c.passed === null || c.at === null || c.runId === null ? [] : [{ assetKey: state.key, checkName: c.name, passed: c.passed, at: c.at, runId: c.runId }])),
      );
  }

  async assetHistory(assetKey: string, limit: number): Promise<AssetHistory> {
    const detail = await this.request<AssetDetail>('GET', `/api/assets/${encodeURIComponent(assetKey)}?limit=${limit}`);
    return { materializations: detail.materializations, checks: detail.checkHistory };
  }

  putRunConfig(name: string, body: Record<string, unknown>): Promise<RunConfigView> {
    return this.request('POST', `/api/configs/${encodeURIComponent(name)}`, { body });
  }

  getRunConfig(name: string, version?: number): Promise<RunConfigView> {
    return this.request('GET', `/api/configs/${encodeURIComponent(name)}${version === undefined ? '' : `?version=${version}`}`);
  }

  async listRunConfigs(): Promise<RunConfigSummaryView[]> {
    return [...(await this.request<{ configs: RunConfigSummaryView[] }>('GET', '/api/configs')).configs];
  }

  async assetStatuses(): Promise<Map<string, AssetStatusView>> {
    const { assets } = await this.request<{ assets: AssetWithStatusView[] }>('GET', '/api/assets?status=true');
    return new Map(assets.map((a) => [a.key, { status: a.status, reason: a.statusReason, partitions: a.partitions }]));
  }

  assetPartitions(_graph: AssetGraph, assetKey: string): Promise<AssetPartitionsView> {
    return this.request('GET', `/api/assets/${encodeURIComponent(assetKey)}/partitions`);
  }

  async listBackfills(filter: { limit: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillListItem[]> {
    const query = new URLSearchParams({ limit: String(filter.limit), ...(filter.statuses ? { status: filter.statuses.join(',') } : {}) });
    return [...(await this.request<{ backfills: BackfillListItem[] }>('GET', `/api/backfills?${query}`)).backfills];
  }

  backfill(id: string): Promise<BackfillSummary> {
    return this.request('GET', `/api/backfills/${encodeURIComponent(id)}`);
  }

  async cancelBackfill(id: string): Promise<string | undefined> {
    return (await this.request<{ status: string | undefined }>('POST', `/api/backfills/${encodeURIComponent(id)}/cancel`)).status;
  }
}
