import type { Metadata } from '../core/asset/metadata.js';
import type { EventRecord, NewEvent } from '../core/events.js';
import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';
import type { ApiEvent, AssetWithStatusView, JsonRouteName, RouteResponse } from '../web/api-contract.js';
import { apiClient, ApiUnreachableError, type CallInput } from '../web/api-client.js';
import type { DaemonAddress } from './embedded-daemon.js';
import { followBackfill } from './follow-backfill.js';
import { followRun } from './follow-run.js';
import type {
  AlertDeliveriesView,
  AssetEventReport,
  AssetHistory,
  AssetPartitionsView,
  AwaitedBackfill,
  BackfillLaunch,
  BackfillListItem,
  BackfillRunEnded,
  BackfillStatus,
  BackfillSummary,
  HeartbeatView,
  LatestCheckResult,
  LaunchedBackfill,
  LaunchedRun,
  RunConfigSummaryView,
  RunConfigView,
  RunFilter,
  RunLaunch,
  RunListItem,
  RunService,
  RunStatus,
  RunSummary,
  ScheduleStateView,
  SensorPreview,
  SensorStateView,
  SensorStatus,
  SensorTickView,
  TickView,
  AssetStatusWithFreshness,
} from './run-service.js';
import type { AssetAutomationView, AutomationPreviewView, AutomationStatusView } from '../web/api-contract.js';

/** The launch body's `configName`/`configVersion` (the daemon resolves the name where the store is). */
function configNameFields(ref: RunLaunch['configName']): { configName?: string; configVersion?: number } {
  if (!ref) return {};
  return { configName: ref.name, ...(ref.version === undefined ? {} : { configVersion: ref.version }) };
}

/** The run port through an embedded daemon's API (web/api-contract.ts, called with the typed client): the daemon executes. */
export class RemoteRunService implements RunService {
  readonly executor = 'daemon' as const;
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

  async launchRun(request: RunLaunch): Promise<LaunchedRun> {
    const body = {
      selection: request.selection,
      ...(request.config === undefined ? {} : { config: request.config }),
      ...configNameFields(request.configName),
      tags: { ...request.tags },
      trigger: request.trigger,
      ...(request.allowFailedChecks ? { allowFailedChecks: true } : {}),
      ...(request.partition === undefined ? {} : { partition: request.partition }),
    };
    const launched = await this.request('launchRun', { body });
    return { ...launched, executor: this.executor, notices: [] };
  }

  async cancelRun(runId: string): Promise<RunStatus> {
    return (await this.request('cancelRun', { params: { id: runId } })).status;
  }

  async reexecuteRun(runId: string, trigger: RunLaunch['trigger']): Promise<LaunchedRun & { parentRunId: string; selection: string }> {
    const launched = await this.request('reexecuteRun', { params: { id: runId }, body: { trigger } });
    return { ...launched, executor: this.executor, notices: [] };
  }

  /** Tails the run's events through the daemon; `signal` cancels the run there. */
  awaitRun(runId: string, options: { onEvent?: (event: NewEvent) => void; signal?: AbortSignal } = {}): Promise<RunSummary> {
    return followRun(this, runId, options.onEvent ?? (() => {}), { signal: options.signal });
  }

  /** The daemon records it; the report keeps who made it (`trigger`: the CLI's reports are `external:cli` there too). */
  reportAssetEvent(report: AssetEventReport): Promise<{ runId: string }> {
    const body = {
      ...(report.partition === undefined ? {} : { partition: report.partition }),
      ...(report.metadata ? { metadata: report.metadata } : {}),
      ...(report.kind ? { kind: report.kind } : {}),
      trigger: report.source,
    };
    return this.request('reportAssetEvent', { params: { key: report.assetKey }, body });
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

  async sensorStates(): Promise<SensorStateView[]> {
    return [...(await this.request('sensorStates')).states];
  }

  async setSensorStatus(name: string, status: SensorStatus): Promise<SensorStateView> {
    return (await this.request('setSensorState', { params: { name }, body: { status } })).state;
  }

  async setSensorCursor(name: string, cursor: string | null, defaultStatus: SensorStatus): Promise<SensorStateView> {
    return (await this.request('setSensorCursor', { params: { name }, body: { cursor, defaultStatus } })).state;
  }

  async sensorTicks(name: string, limit: number): Promise<SensorTickView[]> {
    return [...(await this.request('sensorTicks', { params: { name }, query: { limit } })).ticks];
  }

  alertDeliveries(limit: number): Promise<AlertDeliveriesView> {
    return this.request('alertDeliveries', { query: { limit } });
  }

  previewSensor(name: string): Promise<SensorPreview> {
    return this.request('previewSensor', { params: { name } });
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
    return { materializations: detail.materializations, observations: detail.observations, checks: detail.checkHistory };
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

  async assetStatuses(): Promise<Map<string, AssetStatusWithFreshness>> {
    const { assets } = await this.request('listAssets', { query: { status: 'true' } });
    return new Map((assets as readonly AssetWithStatusView[]).map((a) => [a.key, { status: a.status, reason: a.statusReason, partitions: a.partitions, freshness: a.freshness }]));
  }

  assetPartitions(_graph: AssetGraph, assetKey: string): Promise<AssetPartitionsView> {
    return this.request('assetPartitions', { params: { key: assetKey } });
  }

  async launchBackfill(request: BackfillLaunch): Promise<LaunchedBackfill> {
    const body = {
      selection: request.selection,
      from: request.from,
      to: request.to,
      policy: request.policy ?? 'per-partition',
      maxConcurrentRuns: request.maxConcurrentRuns ?? null,
      onlyFailed: request.onlyFailed === true,
      onlyMissing: request.onlyMissing === true,
      ...(request.config === undefined ? {} : { config: request.config }),
      ...configNameFields(request.configName),
      tags: { ...request.tags },
      trigger: request.trigger,
      allowFailedChecks: request.allowFailedChecks === true,
    };
    const launched = await this.request('launchBackfill', { body });
    return { backfillId: launched.backfillId, partitions: launched.partitions, runs: launched.runs, launchMs: launched.launchMs, executor: this.executor, notices: [] };
  }

  awaitBackfill(id: string, options: { onRunEnded?: (ended: BackfillRunEnded) => void; signal?: AbortSignal } = {}): Promise<AwaitedBackfill> {
    return followBackfill(this, id, options);
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

  automationStatus(): Promise<AutomationStatusView> {
    return this.request('automationStatus');
  }

  setAutomationStatus(status: 'RUNNING' | 'STOPPED'): Promise<AutomationStatusView> {
    return this.request(status === 'RUNNING' ? 'startAutomation' : 'stopAutomation');
  }

  automationPreview(): Promise<AutomationPreviewView> {
    return this.request('automationPreview');
  }

  assetAutomation(assetKey: string): Promise<AssetAutomationView> {
    return this.request('assetAutomation', { params: { key: assetKey } });
  }

  async close(): Promise<void> {}
}
