import type { RunQueueLimits } from '../core/run/run-queue-policy.js';
import { HeartbeatWriter } from '../execution/heartbeat-writer.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import type { Instance } from '../storage/instance.js';
import { DaemonLoop, type LoopError } from './daemon-loop.js';
import { runMonitorTick } from './run-monitor.js';
import { runQueueTick } from './run-queue.js';

export interface DaemonOptions {
  readonly limits: RunQueueLimits;
  /** How often the run queue looks for QUEUED runs when nobody wakes it. */
  readonly queueIntervalMs?: number;
  readonly monitorIntervalMs?: number;
  readonly workerTimeoutMs?: number;
}

/**
 * The long-running process: the run queue (starts QUEUED runs within limits), the run monitor
 * (reconciles storage with work in flight) and its heartbeat. Each loop catches and records its own
 * errors; any number of daemons may run at once.
 */
export class Daemon {
  readonly heartbeat: HeartbeatWriter;
  private readonly queueLoop: DaemonLoop;
  private readonly monitorLoop: DaemonLoop;
  /** Unfinished step counts per active run at the monitor's previous tick. */
  private readonly progress = new Map<string, number>();

  constructor(
    private readonly instance: Instance,
    private readonly launcher: RunLauncher,
    private readonly options: DaemonOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.heartbeat = new HeartbeatWriter(instance, 'daemon', () => ({
      executor: launcher.kind,
      activeRuns: launcher.active().length,
      errors: this.errors().slice(-5),
    }));
    const queueIntervalMs = options.queueIntervalMs ?? 1000;
    this.queueLoop = new DaemonLoop('run-queue', queueIntervalMs, async () => {
      await runQueueTick({
        instance,
        launcher,
        limits: options.limits,
        daemonId: this.heartbeat.id,
        leaseTtlMs: Math.max(5000, queueIntervalMs * 5),
        now: this.now,
      });
    });
    this.monitorLoop = new DaemonLoop('run-monitor', options.monitorIntervalMs ?? 3000, async () => {
      await runMonitorTick({ instance, launcher, workerTimeoutMs: options.workerTimeoutMs ?? 15_000, now: this.now, progress: this.progress });
    });
  }

  async start(): Promise<void> {
    await this.heartbeat.start();
    this.queueLoop.start();
    this.monitorLoop.start();
  }

  /** A run was submitted: look at the queue now rather than at the next interval. */
  wake(): void {
    this.queueLoop.wake();
  }

  errors(): LoopError[] {
    return [...this.queueLoop.errors, ...this.monitorLoop.errors].sort((a, b) => a.at.localeCompare(b.at));
  }

  async stop(): Promise<void> {
    await Promise.all([this.queueLoop.stop(), this.monitorLoop.stop()]);
    await this.launcher.close();
    await this.instance.releaseLease('run-queue', this.heartbeat.id).catch(() => {});
    await this.heartbeat.stop();
  }
}
