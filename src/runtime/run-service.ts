import type { EventRecord } from '../core/events.js';
import { SluiceError } from '../core/errors.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { AssetStatusView } from '../core/staleness/asset-status.js';
import { loadAssetPartitions, type AssetPartitionsView } from '../execution/asset-partitions.js';
import { loadAssetStatuses } from '../execution/asset-statuses.js';
import { describeBackfill, listBackfillItems, type BackfillListItem, type BackfillSummary } from '../execution/backfill-summary.js';
import { runListItems, type RunListItem } from '../execution/run-list-item.js';
import { describeRun, type RunSummary } from '../execution/run-summary.js';
import type { BackfillStatus, Heartbeat, Instance } from '../storage/instance.js';
import type {
  ApiEvent,
  AssetWithStatusView,
  CheckResultView,
  MaterializationView,
  HeartbeatView,
  LaunchBackfillRequest,
  LaunchBackfillResponse,
  LaunchRunRequest,
  LaunchRunResponse,
  RunConfigSummaryView,
  RunConfigView,
  JsonRouteName,
  RouteResponse,
  ScheduleStateView,
  TickView,
} from '../web/api-contract.js';
import { apiClient, ApiUnreachableError, type CallInput } from '../web/api-client.js';
import { checkResultView, materializationView } from '../web/asset-views.js';
import { runConfigView } from '../web/config-routes.js';
import { loadNamedConfig } from '../execution/named-run-config.js';
import { scheduleStateView, tickView } from '../web/schedule-views.js';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';
import type { DaemonAddress } from './embedded-daemon.js';

/**
 * What the CLI asks of a project's runs, whether it holds the store itself or talks to the
 * embedded daemon that holds it. Both answer with the API contract's shapes.
 */
/** Which runs `listRuns` returns (newest first). */
export interface RunFilter {
  readonly limit: number;
  readonly statuses?: RunStatus[];
  /** Every one of these tags (key = value). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Created at or after. */
  readonly since?: Date;
}

export interface RunService {
  readonly remote: boolean;
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

export function heartbeatView(b: Heartbeat): HeartbeatView {
  return { id: b.id, kind: b.kind, host: b.host, pid: b.pid, startedAt: b.startedAt.toISOString(), lastSeen: b.at.toISOString(), info: b.info };
}

export class LocalRunService implements RunService {
  readonly remote = false;
  constructor(private readonly instance: Instance) {}

  async listRuns(options: RunFilter): Promise<RunListItem[]> {
    return runListItems(this.instance, await this.instance.listRuns(options));
  }

  summary(runId: string): Promise<RunSummary> {
    return describeRun(this.instance, runId);
  }

  events(runId: string, afterId: number): Promise<EventRecord[]> {
    return this.instance.listEvents(runId, { afterId });
  }

  async heartbeats(): Promise<HeartbeatView[]> {
    return (await this.instance.listHeartbeats()).map(heartbeatView);
  }

  async scheduleStates(): Promise<ScheduleStateView[]> {
    return (await this.instance.listScheduleStates()).map(scheduleStateView);
  }

  async setScheduleStatus(name: string, status: ScheduleStatus): Promise<ScheduleStateView> {
    return scheduleStateView(await this.instance.setScheduleStatus(name, status, new Date()));
  }

  async ticks(name: string, limit: number): Promise<TickView[]> {
    return (await this.instance.listTicks(name, { limit })).map(tickView);
  }

  async latestCheckResults(assetKeys: readonly string[]): Promise<LatestCheckResult[]> {
    return (await this.instance.latestCheckResults(assetKeys)).map((r) => ({
      assetKey: r.assetKey,
      checkName: r.checkName,
      passed: r.passed,
      at: r.at.toISOString(),
      runId: r.runId,
    }));
  }

  async assetHistory(assetKey: string, limit: number): Promise<AssetHistory> {
    const [materializations, checks] = await Promise.all([
      this.instance.materializations(assetKey, { limit }),
      this.instance.checkResults({ assetKey, limit }),
    ]);
    return { materializations: materializations.map(materializationView), checks: checks.map(checkResultView) };
  }

  async putRunConfig(name: string, body: Record<string, unknown>): Promise<RunConfigView> {
    return runConfigView(await this.instance.putRunConfig(name, body, new Date()));
  }

  async getRunConfig(name: string, version?: number): Promise<RunConfigView> {
    return runConfigView(await loadNamedConfig(this.instance, name, version));
  }

  async listRunConfigs(): Promise<RunConfigSummaryView[]> {
    return (await this.instance.listRunConfigs()).map((c) => ({ name: c.name, latestVersion: c.latestVersion, updatedAt: c.updatedAt.toISOString() }));
  }

  assetStatuses(graph: AssetGraph): Promise<Map<string, AssetStatusView>> {
    return loadAssetStatuses(this.instance, graph, new Date());
  }

  assetPartitions(graph: AssetGraph, assetKey: string): Promise<AssetPartitionsView> {
    return loadAssetPartitions(this.instance, graph, assetKey, new Date());
  }

  listBackfills(filter: { limit: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillListItem[]> {
    return listBackfillItems(this.instance, filter);
  }

  backfill(id: string): Promise<BackfillSummary> {
    return describeBackfill(this.instance, id);
  }
}

/** Talks to an embedded daemon's local API (api-contract.ts). */
export class RemoteRunService implements RunService {
  readonly remote = true;
  constructor(private readonly address: DaemonAddress) {}

  /** Calls one route of the API contract on the daemon (api-client.ts); its input and answer are the contract's types. */
  async request<K extends JsonRouteName>(route: K, ...input: {} extends CallInput<K> ? [input?: CallInput<K>] : [input: CallInput<K>]): Promise<RouteResponse<K>> {
    try {
      return await apiClient(this.address.url, this.address.token).call(route, ...input);
    } catch (error) {
      if (!(error instanceof ApiUnreachableError)) throw error;
      throw new SluiceError(
        'DAEMON_UNREACHABLE',
        `the sluice daemon (pid ${this.address.pid}) holds this project's embedded store but does not answer at ${this.address.url}: ${(error.cause as Error).message}; restart it, or stop it to use the store directly`,
        { pid: this.address.pid },
        { kind: 'internal' },
      );
    }
  }

  launch(body: LaunchRunRequest): Promise<LaunchRunResponse> {
    return this.request('launchRun', { body });
  }

  async cancel(runId: string): Promise<RunStatus> {
    return (await this.request('cancelRun', { params: { id: runId } })).status;
  }

  async listRuns(options: RunFilter): Promise<RunListItem[]> {
    const query = {
      limit: options.limit,
      ...(options.statuses ? { status: options.statuses.join(',') } : {}),
      tag: Object.entries(options.tags ?? {}).map(([key, value]) => `${key}=${value}`),
      ...(options.since ? { since: options.since.toISOString() } : {}),
    };
    return [...(await this.request('listRuns', { query })).runs];
  }

  summary(runId: string): Promise<RunSummary> {
    return this.request('getRun', { params: { id: runId } });
  }

  async events(runId: string, afterId: number): Promise<EventRecord[]> {
    const { events } = await this.request('runEvents', { params: { id: runId }, query: { after: afterId } });
    return events.map((e: ApiEvent) => ({ ...e, at: new Date(e.at) }) as EventRecord);
  }

  async heartbeats(): Promise<HeartbeatView[]> {
    return [...(await this.request('heartbeats')).heartbeats];
  }

  async scheduleStates(): Promise<ScheduleStateView[]> {
    return [...(await this.request('scheduleStates')).states];
  }

  async setScheduleStatus(name: string, status: ScheduleStatus): Promise<ScheduleStateView> {
    return (await this.request('setScheduleState', { params: { name }, body: { status } })).state;
  }

  async ticks(name: string, limit: number): Promise<TickView[]> {
    return [...(await this.request('scheduleTicks', { params: { name }, query: { limit } })).ticks];
  }

  /** From the daemon's asset states (one request, whatever the number of assets). */
  async latestCheckResults(assetKeys: readonly string[]): Promise<LatestCheckResult[]> {
    const wanted = new Set(assetKeys);
    const { states } = await this.request('assetStates');
    return states
      .filter((state) => wanted.has(state.key))
      .flatMap((state) =>
        state.checks.flatMap((c) => (c.passed === null || c.at === null || c.runId === null ? [] : [{ assetKey: state.key, checkName: c.name, passed: c.passed, at: c.at, runId: c.runId }])),
      );
  }

  async assetHistory(assetKey: string, limit: number): Promise<AssetHistory> {
    const detail = await this.request('getAsset', { params: { key: assetKey }, query: { limit } });
    return { materializations: detail.materializations, checks: detail.checkHistory };
  }

  putRunConfig(name: string, body: Record<string, unknown>): Promise<RunConfigView> {
    return this.request('putConfig', { params: { name }, body: { body } });
  }

  getRunConfig(name: string, version?: number): Promise<RunConfigView> {
    return this.request('getConfig', { params: { name }, query: { version } });
  }

  async listRunConfigs(): Promise<RunConfigSummaryView[]> {
    return [...(await this.request('listConfigs')).configs];
  }

  async assetStatuses(): Promise<Map<string, AssetStatusView>> {
    const { assets } = await this.request('listAssets', { query: { status: 'true' } });
    return new Map((assets as readonly AssetWithStatusView[]).map((a) => [a.key, { status: a.status, reason: a.statusReason, partitions: a.partitions }]));
  }

  assetPartitions(_graph: AssetGraph, assetKey: string): Promise<AssetPartitionsView> {
    return this.request('assetPartitions', { params: { key: assetKey } });
  }

  launchBackfill(body: LaunchBackfillRequest): Promise<LaunchBackfillResponse> {
    return this.request('launchBackfill', { body });
  }

  async listBackfills(filter: { limit: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillListItem[]> {
    return [...(await this.request('listBackfills', { query: { limit: filter.limit, ...(filter.statuses ? { status: filter.statuses.join(',') } : {}) } })).backfills];
  }

  backfill(id: string): Promise<BackfillSummary> {
    return this.request('getBackfill', { params: { id } });
  }

  async cancelBackfill(id: string): Promise<string | undefined> {
    return (await this.request('cancelBackfill', { params: { id } })).status;
  }
}
