import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import { Daemon } from '../daemon/daemon.js';
import { InProcessLauncher } from '../execution/in-process/in-process-launcher.js';
import type { BullmqLauncher } from '../execution/bullmq/bullmq-launcher.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import { startApiServer } from '../web/api-server.js';
import type { WebBinding, WebServer } from './serve-dashboard.js';
import { requireRedisUrl } from './require-redis-url.js';
import { newApiToken, writeDaemonAddress } from './embedded-daemon.js';
import { openRuntime } from './runtime.js';
import { servedRunService } from './store-run-service.js';
import type { Settings } from './settings.js';

export interface DaemonProcessOptions {
  /** Runs executed at once in this process (the embedded default). */
  readonly concurrency: number;
  /** Where the dashboard listens; none without it. */
  readonly binding?: WebBinding | undefined;
  /** The dashboard's port was asked for: not getting it fails the daemon (else it runs without a dashboard). */
  readonly webPortAskedFor: boolean;
  /** Lines for the operator (stderr). */
  readonly say: (line: string) => void;
}

export interface DaemonProcess {
  readonly id: string;
  readonly executor: RunLauncher['kind'];
  readonly projectDir: string;
  readonly schedules: number;
  readonly sensors: number;
  readonly dashboardUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * `sluice daemon`: the run queue, the run monitor, the scheduler, the sensors (evaluated here) and heartbeats. With
 * SLUICE_REDIS_URL steps go to BullMQ workers; without it (the embedded default) the daemon
 * executes runs itself and serves the project's other commands through a local API (loopback, a
 * random port, a token in .sluice/daemon.json), since it holds the embedded store.
 */
export async function startDaemonProcess(settings: Settings, options: DaemonProcessOptions): Promise<DaemonProcess> {
  // The dashboard's modules load while the project and the store open.
  const dashboardModule = options.binding ? import('./serve-dashboard.js') : undefined;
  dashboardModule?.catch(() => {}); // awaited below; this only keeps an early exit from reporting it unhandled
  const url = settings.redisUrl ? requireRedisUrl(settings, 'sluice daemon') : undefined;
  // BullMQ and ioredis (~290 modules, ~0.4 s of CPU) only with Redis; loaded before the project,
  // whose TypeScript loader would otherwise see each of them.
  const distributed = url ? await import('./distributed.js') : undefined;
  const runtime = await openRuntime(settings);
  let redis: Redis | undefined;
  let subscriber: Redis | undefined;
  let api: { server: Server; removeAddress: () => void } | undefined;
  let dashboard: WebServer | undefined;
  let daemon: Daemon | undefined;
  const close = async () => {
    await dashboard?.close();
    api?.removeAddress();
    api?.server.close();
    subscriber?.disconnect();
    await daemon?.stop();
    await runtime.close();
    redis?.disconnect();
  };
  try {
    let launcher: RunLauncher;
    if (url && distributed) {
      redis = await distributed.connectRedis(url);
      const bull = distributed.bullmqLauncher(settings, runtime.instance, runtime.project.graph, redis);
      await bull.queue.applyPoolLimits();
      launcher = bull;
    } else {
      launcher = new InProcessLauncher(runtime.stepHost({ logDestination: process.stderr }), { concurrency: options.concurrency }, (runId, error) =>
        runtime.logger.error({ runId, err: error }, 'run execution failed'),
      );
    }
    const { announceQueuedRun, onQueuedRun } = await import('../execution/bullmq/run-wakeup.js');
    const d = new Daemon(runtime.instance, launcher, {
      limits: settings.limits,
      log: runtime.logger,
      redactor: runtime.redactor,
      workerTimeoutMs: settings.workerTimeoutMs,
      monitorIntervalMs: settings.monitorIntervalMs,
      automationIntervalMs: settings.automationIntervalMs,
      scheduler: {
        graph: runtime.project.graph,
        schedules: runtime.project.schedules,
        // Another daemon may hold the run-queue lease: tell every daemon about the new run.
        onLaunched: (runId) => {
          if (redis) announceQueuedRun(redis, settings.redisPrefix, runId).catch(() => {});
        },
        onDecision: (decision) => {
          const fields = { schedule: decision.schedule, scheduledFor: decision.scheduledFor.toISOString(), runId: decision.runId, reason: decision.reason, error: decision.error };
          if (decision.status === 'FAILURE') runtime.logger.error(fields, 'schedule tick failed');
          else runtime.logger.info(fields, decision.status === 'SUCCESS' ? 'schedule tick launched a run' : 'schedule tick skipped');
        },
      },
      sensors: {
        graph: runtime.project.graph,
        sensors: runtime.project.sensors.map((s) => s.definition),
        resources: (map) => runtime.resources.resolve(map),
        sensorLog: (sensor) => runtime.logger.child({ sensor }),
        pollMs: settings.sensorPollMs,
        retention: settings.sensorTickRetention,
        onLaunched: (runId) => {
          if (redis) announceQueuedRun(redis, settings.redisPrefix, runId).catch(() => {});
        },
        onDecision: (decision) => {
          const fields = { sensor: decision.sensor, runIds: decision.runIds, skipReason: decision.skipReason, error: decision.error };
          if (decision.status === 'FAILURE') runtime.logger.error(fields, 'sensor tick failed');
          else runtime.logger.info(fields, decision.status === 'SUCCESS' ? 'sensor tick launched runs' : 'sensor tick skipped');
        },
      },
      alerts: {
        graph: runtime.project.graph,
        alerts: runtime.project.alerts.map((a) => a.definition),
        // Channel URLs and secrets are read from here at each pass; a channel whose variable is unset is inactive.
        env: process.env,
        dashboardUrl: process.env.SLUICE_DASHBOARD_URL || undefined,
        onFeed: (fed) => {
          if (fed.started) runtime.logger.info({}, 'alert feed started: events from now on raise alerts');
          if (fed.written > 0) runtime.logger.info({ deliveries: fed.written }, 'alert deliveries queued');
        },
        onOutcome: (channel, outcome) => runtime.logger.info({ channel, outcome }, 'alert delivery attempt'),
      },
      freshness: {
        env: process.env,
        intervalMs: settings.freshnessPollMs,
        onChanges: (result) => {
          for (const c of result.changes) runtime.logger[c.level === 'PASS' ? 'info' : 'warn']({ asset: c.assetKey, kind: c.kind, partition: c.partitionKey || undefined, verdict: c.level, was: c.before, summary: c.summary }, 'freshness verdict changed');
        },
      },
    });
    daemon = d;
    const runs = servedRunService(runtime.instance, () => runtime.project.graph, launcher, (runId) => {
      d.wake();
      if (redis) announceQueuedRun(redis, settings.redisPrefix, runId).catch(() => {});
    });
    await d.start();
    if (redis) subscriber = await onQueuedRun(redis, settings.redisPrefix, () => d.wake());
    else {
      const token = newApiToken();
      const { server, url: apiUrl } = await startApiServer(
        {
          instance: runtime.instance,
          graph: runtime.project.graph,
          schedules: runtime.project.schedules,
          sensors: runtime.project.sensors.map((s) => s.definition),
          sensorResources: (map) => runtime.resources.resolve(map),
          alerts: runtime.project.alerts.map((a) => a.definition),
          runs,
          token,
        },
        '127.0.0.1',
        0,
      );
      api = { server, removeAddress: writeDaemonAddress(settings.projectDir, { pid: process.pid, url: apiUrl, token }) };
    }
    if (options.binding) {
      try {
        dashboard = await (await dashboardModule!).serveDashboard({
          runtime,
          binding: options.binding,
          runs,
          redis,
          ...(launcher.kind === 'bullmq' ? { stepQueueDepth: () => (launcher as BullmqLauncher).queue.depth() } : {}),
        });
      } catch (error) {
        // The default port may be taken (another daemon of this machine): run without a dashboard
        // then, and say so; a port asked for explicitly must be served or the daemon fails.
        if (options.webPortAskedFor || (error as { code?: string }).code !== 'WEB_LISTEN_FAILED') throw error;
        options.say(`sluice daemon: warning: ${(error as Error).message}; running without the dashboard`);
      }
    }
    return { id: d.heartbeat.id, executor: launcher.kind, projectDir: runtime.project.dir, schedules: runtime.project.schedules.length, sensors: runtime.project.sensors.length, dashboardUrl: dashboard?.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
