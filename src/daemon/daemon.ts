import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { RunQueueLimits } from '../core/run/run-queue-policy.js';
import { HeartbeatWriter } from '../execution/heartbeat-writer.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import type { ScheduleTarget, TickDecision } from '../scheduler/scheduler-pass.js';
import type { Instance } from '../storage/instance.js';
import { DaemonLoop, loopServices, type LoopError, type LoopLog, type LoopRedactor } from './daemon-loop.js';
import { settleBackfills } from '../execution/settle-backfills.js';
import { runMonitorTick } from './run-monitor.js';
import { runQueueTick } from './run-queue.js';
import { SchedulerLoop } from './scheduler-loop.js';
import { SensorLoop, type SensorLoopOptions } from './sensor-loop.js';
import type { SensorDefinition } from '../core/sensor/sensor-definition.js';
import { AutomationLoop } from './automation-loop.js';
import type { AlertDefinition } from '../core/alert/alert-definition.js';
import { AlertLoop, alertTickSources, type AlertLoopOptions } from './alert-loop.js';
import { FreshnessLoop, type FreshnessLoopOptions } from './freshness-loop.js';

export interface DaemonOptions {
  readonly limits: RunQueueLimits;
  /** How often the run queue looks for QUEUED runs when nobody wakes it. */
  readonly queueIntervalMs?: number;
  readonly monitorIntervalMs?: number;
  readonly workerTimeoutMs?: number;
  /** Where loop errors are logged (redacted first). */
  readonly log?: LoopLog;
  /** What every loop error goes through before it is logged, kept or written to the heartbeat. */
  readonly redactor?: LoopRedactor;
  /** How often declarative automation evaluates (when `sluice automation start` turned it on). Default 30 s. */
  readonly automationIntervalMs?: number;
  /** The project's schedules: with any, the daemon also runs the scheduler loop. With the graph, it runs the automation loop. */
  readonly scheduler?: {
    readonly graph: AssetGraph;
    readonly schedules: readonly ScheduleTarget[];
    /** Called after a tick's run is written QUEUED (e.g. to announce it to other daemons); this daemon's queue is woken anyway. */
    readonly onLaunched?: (runId: string) => void;
    readonly onDecision?: (decision: TickDecision) => void;
  };
  /**
   * The project's sensors: with any, the daemon also runs the sensor loop (it evaluates them here).
   * Launched runs wake this daemon's queue and go to `onLaunched` like a schedule's.
   */
  readonly sensors?: Omit<SensorLoopOptions, 'instance' | 'claimedBy' | 'now' | 'log' | 'redactor'>;
  /** The project's alert policies: the daemon runs the alert loop (outbox feed and delivery) when there are any. */
  readonly alerts?: Omit<AlertLoopOptions, 'instance' | 'claimedBy' | 'now' | 'log' | 'redactor'>;
  /**
   * Freshness policies and deadlines of the scheduler's graph: with this (and `scheduler`), the
   * daemon runs the freshness loop; its changes raise freshness_violation for the `alerts`.
   */
  readonly freshness?: Pick<FreshnessLoopOptions, 'env' | 'intervalMs' | 'onChanges'>;
}

/**
 * The long-running process: the run queue (starts QUEUED runs within limits), the run monitor
 * (reconciles storage with work in flight), the scheduler (launches schedule ticks), the sensors (evaluates them), the alerts (outbox feed and delivery), freshness and deadline checks and its heartbeat. Each loop catches and records its own
 * errors; any number of daemons may run at once.
 */
export class Daemon {
  readonly heartbeat: HeartbeatWriter;
  private readonly queueLoop: DaemonLoop;
  private readonly monitorLoop: DaemonLoop;
  private schedulerLoop: SchedulerLoop | undefined;
  private sensorLoop: SensorLoop | undefined;
  private readonly automationLoop: AutomationLoop | undefined;
  private alertLoop: AlertLoop | undefined;
  private readonly freshnessLoop: FreshnessLoop | undefined;
  private started = false;
  /** Unfinished step counts per active run at the monitor's previous tick. */
  private readonly progress = new Map<string, number>();

  constructor(
    private readonly instance: Instance,
    private readonly launcher: RunLauncher,
    private readonly options: DaemonOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.heartbeat = new HeartbeatWriter(instance.coordination, 'daemon', () => ({
      executor: launcher.kind,
      activeRuns: launcher.active().length,
      errors: this.errors().slice(-5),
    }));
    const queueIntervalMs = options.queueIntervalMs ?? 1000;
    const common = loopServices({ ...options, now });
    this.queueLoop = new DaemonLoop({
      name: 'run-queue',
      intervalMs: queueIntervalMs,
      ...common,
      tick: async () => {
        await runQueueTick({
          instance,
          launcher,
          limits: options.limits,
          daemonId: this.heartbeat.id,
          leaseTtlMs: Math.max(5000, queueIntervalMs * 5),
          now: this.now,
        });
      },
    });
    this.monitorLoop = new DaemonLoop({
      name: 'run-monitor',
      intervalMs: options.monitorIntervalMs ?? 3000,
      ...common,
      tick: async () => {
        await runMonitorTick({ instance, launcher, workerTimeoutMs: options.workerTimeoutMs ?? 15_000, now: this.now, progress: this.progress });
        // Backfills end when their runs have: COMPLETED, FAILED, or (after a cancel) CANCELED.
        await settleBackfills(instance.backfills, (runId) => launcher.cancel(runId), this.now);
      },
    });
    const scheduler = options.scheduler;
    if (scheduler && scheduler.schedules.length > 0) this.schedulerLoop = this.newSchedulerLoop(scheduler.graph, scheduler.schedules);
    if (options.sensors && options.sensors.sensors.length > 0) this.sensorLoop = this.newSensorLoop(options.sensors.graph, options.sensors.sensors);
    if (scheduler) {
      this.automationLoop = new AutomationLoop({
        ...this.loopHost(), graph: scheduler.graph, holder: this.heartbeat.id, ...(options.automationIntervalMs ? { intervalMs: options.automationIntervalMs } : {}),
        onLaunched: (runIds) => { this.queueLoop.wake(); for (const runId of runIds) scheduler.onLaunched?.(runId); },
      });
    }
    if (options.alerts && options.alerts.alerts.length > 0) this.alertLoop = this.newAlertLoop(options.alerts.graph, options.alerts.alerts);
    if (scheduler && options.freshness) {
      this.freshnessLoop = new FreshnessLoop({ ...options.freshness, ...this.loopHost(), graph: scheduler.graph, alerts: options.alerts?.alerts ?? [], holder: this.heartbeat.id });
    }
  }

  /** What every loop of this daemon is given: the store, the clock, the logger and the redactor. */
  private loopHost() {
    return { instance: this.instance, now: this.now, log: this.options.log, redactor: this.options.redactor };
  }

  private newAlertLoop(graph: AssetGraph, alerts: readonly AlertDefinition[]): AlertLoop {
    const o = this.options;
    const tickSources = alertTickSources(graph, o.scheduler?.schedules ?? [], o.sensors?.sensors ?? []);
    return new AlertLoop({ heartbeatTimeoutMs: o.workerTimeoutMs ?? 15_000, ...o.alerts!, ...this.loopHost(), graph, alerts, tickSources, claimedBy: this.heartbeat.id });
  }

  private newSensorLoop(graph: AssetGraph, sensors: readonly SensorDefinition[]): SensorLoop {
    const given = this.options.sensors!;
    return new SensorLoop({
      ...given,
      ...this.loopHost(),
      graph,
      sensors,
      claimedBy: this.heartbeat.id,
      onLaunched: (runId) => {
        this.queueLoop.wake();
        given.onLaunched?.(runId);
      },
    });
  }

  private newSchedulerLoop(graph: AssetGraph, schedules: readonly ScheduleTarget[]): SchedulerLoop {
    const scheduler = this.options.scheduler;
    return new SchedulerLoop({
      ...this.loopHost(),
      graph,
      schedules,
      claimedBy: this.heartbeat.id,
      onLaunched: (runId) => {
        this.queueLoop.wake();
        scheduler?.onLaunched?.(runId);
      },
      ...(scheduler?.onDecision ? { onDecision: scheduler.onDecision } : {}),
    });
  }

  /**
   * The scheduler follows these definitions from its next pass on (`sluice dev` reloaded the
   * project); a daemon started without schedules starts its scheduler loop when some appear.
   */
  setDefinitions(graph: AssetGraph, schedules: readonly ScheduleTarget[], sensors?: readonly SensorDefinition[], alerts?: readonly AlertDefinition[]): void {
    this.automationLoop?.setGraph(graph);
    this.freshnessLoop?.setDefinitions(graph, alerts);
    if (alerts && this.options.alerts) {
      if (this.alertLoop) this.alertLoop.setDefinitions(graph, alerts, alertTickSources(graph, schedules, sensors ?? []));
      else if (alerts.length > 0) {
        this.alertLoop = this.newAlertLoop(graph, alerts);
        if (this.started) this.alertLoop.start();
      }
    }
    if (sensors && this.options.sensors) {
      if (this.sensorLoop) this.sensorLoop.setDefinitions(graph, sensors);
      else if (sensors.length > 0) {
        this.sensorLoop = this.newSensorLoop(graph, sensors);
        if (this.started) this.sensorLoop.start();
      }
    }
    if (this.schedulerLoop) this.schedulerLoop.setDefinitions(graph, schedules);
    else if (schedules.length > 0) {
      this.schedulerLoop = this.newSchedulerLoop(graph, schedules);
      if (this.started) this.schedulerLoop.start();
    }
  }

  async start(): Promise<void> {
    this.started = true;
    await this.heartbeat.start();
    this.queueLoop.start();
    this.monitorLoop.start();
    this.schedulerLoop?.start();
    this.sensorLoop?.start();
    this.automationLoop?.start();
    this.alertLoop?.start();
    this.freshnessLoop?.start();
  }

  /** A run was submitted: look at the queue now rather than at the next interval. */
  wake(): void {
    this.queueLoop.wake();
  }

  errors(): LoopError[] {
    return [...this.queueLoop.errors, ...this.monitorLoop.errors, ...(this.schedulerLoop?.errors ?? []), ...(this.sensorLoop?.errors ?? []), ...(this.automationLoop?.errors ?? []), ...(this.alertLoop?.errors ?? []), ...(this.freshnessLoop?.errors ?? [])].sort((a, b) => a.at.localeCompare(b.at));
  }

  async stop(): Promise<void> {
    await Promise.all([this.queueLoop.stop(), this.monitorLoop.stop(), this.schedulerLoop?.stop(), this.sensorLoop?.stop(), this.automationLoop?.stop(), this.alertLoop?.stop(), this.freshnessLoop?.stop()]);
    await this.launcher.close();
    await this.instance.coordination.releaseLease('run-queue', this.heartbeat.id).catch(() => {});
    await this.heartbeat.stop();
  }
}
