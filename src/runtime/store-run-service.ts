import { loadAssetFreshness } from '../execution/asset-freshness.js';
import { SluiceError } from '../core/errors.js';
import type { EventRecord, NewEvent } from '../core/events.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { RunStatus } from '../core/run/run-status.js';
import type { ScheduleStatus } from '../core/schedule/schedule-definition.js';
import { loadAssetPartitions, type AssetPartitionsView } from '../execution/asset-partitions.js';
import { loadAssetStatuses } from '../execution/asset-statuses.js';
import { describeBackfill, listBackfillItems, UnknownBackfillError, type BackfillListItem, type BackfillSummary } from '../execution/backfill-summary.js';
import { cancelableRun, cancelOrphanedRun } from '../execution/cancel-run.js';
import { launchBackfill } from '../execution/launch-backfill.js';
import { parseBackfillPolicy } from '../core/plan/backfill-policy.js';
import { launchRun } from '../execution/launch-run.js';
import { loadNamedConfig } from '../execution/named-run-config.js';
import { reexecuteFromFailure } from '../execution/reexecute.js';
import { reportAssetEvent } from '../execution/report-asset-event.js';
import type { Metadata } from '../core/asset/metadata.js';
import { runListItems, type RunListItem } from '../execution/run-list-item.js';
import { describeRun, type RunSummary } from '../execution/run-summary.js';
import { cancelBackfill } from '../execution/settle-backfills.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import type { BackfillStatus, Instance, RunRecord } from '../storage/instance.js';
import type { AssetAutomationView, AutomationPreviewView, AutomationStatusView, HeartbeatView, RunConfigSummaryView, RunConfigView, ScheduleStateView, TickView } from '../web/api-contract.js';
import { assetAutomationView, automationPreviewView, automationStatusView } from '../web/automation-views.js';
import { UnknownAssetError } from '../core/graph/unknown-asset-error.js';
import { previewAutomation } from '../daemon/automation-pass.js';
import { checkResultView, materializationView, observationView } from '../web/asset-views.js';
import { runConfigView } from '../web/config-routes.js';
import { heartbeatView } from '../web/heartbeat-view.js';
import { scheduleStateView, tickView } from '../web/schedule-views.js';
import type { AlertDeliveriesView, SensorPreview, SensorStateView, SensorTickView } from '../web/api-contract.js';
import { sensorStateView, sensorTickView } from '../web/sensor-views.js';
import type { StepLogger } from '../core/asset/logger.js';
import type { ResourceMap } from '../core/asset/resource.js';
import type { SensorDefinition, SensorStatus } from '../core/sensor/sensor-definition.js';
import { UnknownSensorError } from '../core/sensor/unknown-sensor-error.js';
import { previewSensor } from '../execution/sensor-preview.js';
import { alertDeliveries } from '../web/alert-routes.js';
import { followBackfill } from './follow-backfill.js';
import { followRun } from './follow-run.js';
import type {
  AssetEventReport,
  AssetHistory,
  AwaitedBackfill,
  BackfillLaunch,
  BackfillRunEnded,
  LatestCheckResult,
  LaunchedBackfill,
  LaunchedRun,
  RunExecutor,
  RunFilter,
  RunLaunch,
  RunService,
  AssetStatusWithFreshness,
} from './run-service.js';

export interface StoreRunServiceDeps {
  readonly instance: Instance;
  readonly executor: RunExecutor;
  /** The project's graph now (`sluice dev` swaps it); launching needs it, reads do not. */
  readonly graph?: () => AssetGraph;
  /** Cancels a started run where it executes; absent: in storage alone (nothing else executes it). */
  readonly cancel?: (runId: string) => Promise<void>;
  /** A run was written QUEUED: wake what starts queued runs (the daemon's run queue). */
  readonly onQueued?: (runId: string) => void | Promise<void>;
  /** What to tell whoever launches (e.g. no daemon is alive to start the run). */
  readonly launchNotices?: () => Promise<string[]>;
  /** The backfill limit when a launch gives none (in-process: one run at a time). */
  readonly defaultMaxConcurrentRuns?: number | null;
  /** Releases what the service was opened with (the store, Redis). */
  readonly close?: () => Promise<void>;
  /** The project's sensors and how to build their resources and loggers: a preview evaluates here. */
  readonly sensors?: () => { definitions: readonly SensorDefinition[]; resources: (map: ResourceMap) => Promise<Record<string, unknown>>; log: (sensor: string) => StepLogger };
}


/**
 * The run port over a store this process opened: launches write runs QUEUED and wake the run queue
 * that starts them (the daemon's, here or on another machine through Redis), cancels go to what
 * executes the run, and waiting tails the store. In-process execution builds on it
 * (in-process-run-service.ts).
 */
export class StoreRunService implements RunService {
  readonly executor: RunExecutor;
  readonly instance: Instance;

  constructor(protected readonly deps: StoreRunServiceDeps) {
    this.executor = deps.executor;
    this.instance = deps.instance;
  }

  protected graph(what: string): AssetGraph {
    if (!this.deps.graph) throw new SluiceError('NO_PROJECT', `${what} needs the project's definitions, and this run service was opened without them`, {}, { kind: 'internal' });
    return this.deps.graph();
  }

  protected async launched(run: RunRecord): Promise<LaunchedRun> {
    await this.deps.onQueued?.(run.id);
    const steps = (await this.instance.runs.listSteps(run.id)).length;
    return { runId: run.id, status: run.status, steps, executor: this.executor, notices: (await this.deps.launchNotices?.()) ?? [] };
  }

  private async namedConfig(ref: RunLaunch['configName']): Promise<{ config?: unknown; configRef?: { name: string; version: number } }> {
    if (!ref) return {};
    const record = await loadNamedConfig(this.instance.configs, ref.name, ref.version);
    return { config: record.body, configRef: { name: record.name, version: record.version } };
  }

  async launchRun(request: RunLaunch): Promise<LaunchedRun> {
    const graph = this.graph('launching a run');
    if (request.config !== undefined && request.configName) throw new SluiceError('INVALID_REQUEST', 'give a config or a config name, not both', {});
    const run = await launchRun(
      { instance: this.instance, graph },
      {
        selection: request.selection,
        config: request.config,
        ...(await this.namedConfig(request.configName)),
        tags: request.tags ?? {},
        ...(request.sources?.tags ? { tagsSource: request.sources.tags } : {}),
        ...(request.sources?.selection ? { selectionSource: request.sources.selection } : {}),
        trigger: request.trigger,
        now: new Date(),
        allowFailedChecks: request.allowFailedChecks === true,
        ...(request.partition !== undefined ? { partition: request.partition, partitionSource: request.sources?.partition ?? 'partition' } : {}),
      },
    );
    return this.launched(run);
  }

  async cancelRun(runId: string): Promise<RunStatus> {
    await cancelableRun(this.instance.runs, runId);
    if (this.deps.cancel) await this.deps.cancel(runId);
    else await cancelOrphanedRun(this.instance.runs, runId, new Date());
    return (await this.instance.runs.getRun(runId))!.status;
  }

  async reexecuteRun(runId: string, trigger: RunLaunch['trigger']): Promise<LaunchedRun & { parentRunId: string; selection: string }> {
    const { run, selection } = await reexecuteFromFailure({ instance: this.instance, graph: this.graph('re-executing a run') }, runId, { trigger, now: new Date() });
    return { ...(await this.launched(run)), parentRunId: runId, selection };
  }

  async awaitRun(runId: string, options: { onEvent?: (event: NewEvent) => void; signal?: AbortSignal } = {}): Promise<RunSummary> {
    await this.summary(runId); // UNKNOWN_RUN before waiting
    return followRun(this, runId, options.onEvent ?? (() => {}), { signal: options.signal });
  }

  async launchBackfill(request: BackfillLaunch): Promise<LaunchedBackfill> {
    const graph = this.graph('launching a backfill');
    const started = Date.now();
    const record = await launchBackfill(
      { instance: this.instance, graph },
      {
        selection: request.selection,
        from: request.from,
        to: request.to,
        policy: parseBackfillPolicy(request.policy ?? 'per-partition', 'policy'),
        maxConcurrentRuns: request.maxConcurrentRuns !== undefined ? request.maxConcurrentRuns : (this.deps.defaultMaxConcurrentRuns ?? null),
        onlyFailed: request.onlyFailed === true,
        onlyMissing: request.onlyMissing === true,
        config: request.config,
        ...(await this.namedConfig(request.configName)),
        tags: request.tags ?? {},
        trigger: request.trigger,
        now: new Date(),
        allowFailedChecks: request.allowFailedChecks === true,
      },
    );
    const [first] = await this.instance.backfills.listBackfillRuns(record.id);
    if (first) await this.deps.onQueued?.(first.runId);
    return {
      backfillId: record.id,
      partitions: record.partitions.length,
      runs: record.runCount,
      launchMs: Date.now() - started,
      executor: this.executor,
      notices: (await this.deps.launchNotices?.()) ?? [],
    };
  }

  async cancelBackfill(id: string): Promise<string | undefined> {
    if (!(await this.instance.backfills.getBackfill(id))) throw new UnknownBackfillError(id);
    return cancelBackfill(this.instance.backfills, id, (runId) => this.cancelRun(runId), () => new Date());
  }

  async awaitBackfill(id: string, options: { onRunEnded?: (ended: BackfillRunEnded) => void; signal?: AbortSignal } = {}): Promise<AwaitedBackfill> {
    return followBackfill(this, id, options);
  }

  reportAssetEvent(report: AssetEventReport): Promise<{ runId: string }> {
    return reportAssetEvent({ instance: this.instance, graph: this.graph('reporting an asset event') }, { ...report, now: new Date() });
  }

  async listRuns(options: RunFilter): Promise<RunListItem[]> {
    return runListItems(this.instance.runs, await this.instance.runs.listRuns(options));
  }

  summary(runId: string): Promise<RunSummary> {
    return describeRun(this.instance, runId);
  }

  events(runId: string, afterId: number): Promise<EventRecord[]> {
    return this.instance.eventLog.listEvents(runId, { afterId });
  }

  async heartbeats(): Promise<HeartbeatView[]> {
    return (await this.instance.coordination.listHeartbeats()).map(heartbeatView);
  }

  async sensorStates(): Promise<SensorStateView[]> {
    return (await this.instance.sensors.listSensorStates()).map(sensorStateView);
  }

  async setSensorStatus(name: string, status: SensorStatus): Promise<SensorStateView> {
    return sensorStateView(await this.instance.sensors.setSensorStatus(name, status, new Date()));
  }

  async setSensorCursor(name: string, cursor: string | null, defaultStatus: SensorStatus): Promise<SensorStateView> {
    return sensorStateView(await this.instance.sensors.setSensorCursor(name, cursor, defaultStatus, new Date()));
  }

  async sensorTicks(name: string, limit: number): Promise<SensorTickView[]> {
    return (await this.instance.sensors.listSensorTicks(name, { limit })).map(sensorTickView);
  }

  async previewSensor(name: string): Promise<SensorPreview> {
    const graph = this.graph('previewing a sensor');
    const sensors = this.deps.sensors?.();
    if (!sensors) throw new SluiceError('NO_PROJECT', "previewing a sensor needs the project's sensors, and this run service was opened without them", {}, { kind: 'internal' });
    const sensor = sensors.definitions.find((s) => s.name === name);
    if (!sensor) throw new UnknownSensorError(name, sensors.definitions.map((s) => s.name));
    return previewSensor({ instance: this.instance, graph, storage: this.instance.sensors, resources: sensors.resources, log: sensors.log }, sensor, new Date());
  }

  alertDeliveries(limit: number): Promise<AlertDeliveriesView> {
    return alertDeliveries(this.instance, limit);
  }

  async scheduleStates(): Promise<ScheduleStateView[]> {
    return (await this.instance.schedules.listScheduleStates()).map(scheduleStateView);
  }

  async setScheduleStatus(name: string, status: ScheduleStatus): Promise<ScheduleStateView> {
    return scheduleStateView(await this.instance.schedules.setScheduleStatus(name, status, new Date()));
  }

  async ticks(name: string, limit: number): Promise<TickView[]> {
    return (await this.instance.schedules.listTicks(name, { limit })).map(tickView);
  }

  async latestCheckResults(assetKeys: readonly string[]): Promise<LatestCheckResult[]> {
    return (await this.instance.eventLog.latestCheckResults(assetKeys)).map((r) => ({
      assetKey: r.assetKey,
      checkName: r.checkName,
      passed: r.passed,
      at: r.at.toISOString(),
      runId: r.runId,
    }));
  }

  async assetHistory(assetKey: string, limit: number): Promise<AssetHistory> {
    const [materializations, observations, checks] = await Promise.all([
      this.instance.eventLog.materializations(assetKey, { limit }),
      this.instance.eventLog.observations(assetKey, { limit }),
      this.instance.eventLog.checkResults({ assetKey, limit }),
    ]);
    return { materializations: materializations.map(materializationView), observations: observations.map(observationView), checks: checks.map(checkResultView) };
  }

  async putRunConfig(name: string, body: Record<string, unknown>): Promise<RunConfigView> {
    return runConfigView(await this.instance.configs.putRunConfig(name, body, new Date()));
  }

  async getRunConfig(name: string, version?: number): Promise<RunConfigView> {
    return runConfigView(await loadNamedConfig(this.instance.configs, name, version));
  }

  async listRunConfigs(): Promise<RunConfigSummaryView[]> {
    return (await this.instance.configs.listRunConfigs()).map((c) => ({ name: c.name, latestVersion: c.latestVersion, updatedAt: c.updatedAt.toISOString() }));
  }

  async assetStatuses(graph: AssetGraph): Promise<Map<string, AssetStatusWithFreshness>> {
    const [statuses, freshness] = await Promise.all([loadAssetStatuses(this.instance.eventLog, graph, new Date()), loadAssetFreshness(this.instance.freshness, graph)]);
    return new Map([...statuses].map(([key, s]) => [key, { ...s, freshness: freshness.get(key) ?? null }]));
  }

  assetPartitions(graph: AssetGraph, assetKey: string): Promise<AssetPartitionsView> {
    return loadAssetPartitions(this.instance, graph, assetKey, new Date());
  }

  listBackfills(filter: { limit: number; statuses?: readonly BackfillStatus[] }): Promise<BackfillListItem[]> {
    return listBackfillItems(this.instance.backfills, filter);
  }

  backfill(id: string): Promise<BackfillSummary> {
    return describeBackfill(this.instance.backfills, id);
  }

  async automationStatus(): Promise<AutomationStatusView> {
    const [state, [last]] = await Promise.all([this.instance.automation.getState(), this.instance.automation.listEvaluations(1)]);
    return automationStatusView(state, last);
  }

  async setAutomationStatus(status: 'RUNNING' | 'STOPPED'): Promise<AutomationStatusView> {
    const state = await this.instance.automation.setStatus(status, new Date());
    return automationStatusView(state, (await this.instance.automation.listEvaluations(1))[0]);
  }

  async automationPreview(): Promise<AutomationPreviewView> {
    return automationPreviewView(await previewAutomation(this.instance, this.graph('automation preview'), new Date()));
  }

  async assetAutomation(assetKey: string): Promise<AssetAutomationView> {
    const graph = this.graph('automation why');
    if (!graph.has(assetKey)) throw new UnknownAssetError(assetKey, graph.keys());
    return assetAutomationView(assetKey, await this.instance.automation.latestAssetEvaluation(assetKey));
  }

  async close(): Promise<void> {
    await this.deps.close?.();
  }
}

/**
 * The run port a process that serves the API hands its routes: launches wake its run queue
 * (`onQueued`), cancels go to what executes its runs (`launcher`).
 */
export function servedRunService(instance: Instance, graph: () => AssetGraph, launcher: RunLauncher, onQueued: (runId: string) => void): StoreRunService {
  return new StoreRunService({ instance, executor: launcher.kind === 'bullmq' ? 'bullmq' : 'daemon', graph, cancel: (runId) => launcher.cancel(runId), onQueued });
}
