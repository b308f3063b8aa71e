import { hostname } from 'node:os';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { SluiceError } from '../core/errors.js';
import { Redactor, secretsFromEnv } from '../core/redactor.js';
import { Daemon } from '../daemon/daemon.js';
import { InProcessLauncher } from '../execution/in-process/in-process-launcher.js';
import type { StepRunnerContext } from '../execution/step-runner.js';
import { startApiServer } from '../web/api-server.js';
import { servedRunService } from './store-run-service.js';
import type { Definitions, LoadStatus } from '../web/api-routes.js';
import type { WebBinding } from '../web/web-binding.js';
import { startWebServer, type WebServer } from '../web/web-server.js';
import { newApiToken, writeDaemonAddress } from './embedded-daemon.js';
import { createLogger } from './logger.js';
import { ProjectGenerations, type Generation, type ReloadResult } from './project-generations.js';
import { watchProject, type ProjectWatcher } from './project-watcher.js';
import { openStore } from './runtime.js';
import { projectRedactor } from './project-redactor.js';
import { secretEnvOf } from './secret-env.js';
import type { Settings } from './settings.js';

export interface DevSessionOptions {
  readonly binding: WebBinding;
  /** When the binding's port is taken, listen on any free port instead of failing. */
  readonly anyPortWhenTaken: boolean;
  readonly concurrency: number;
  /** Each load's outcome: the first (at start) and every reload after a change. */
  readonly onReload: (result: ReloadResult, changed: readonly string[]) => void;
  readonly onWatchError?: (error: Error, folder: string) => void;
  /** How long the watcher waits for changes to settle (default 150 ms). */
  readonly debounceMs?: number;
}

export interface DevSession {
  readonly generations: ProjectGenerations;
  readonly daemonId: string;
  /** The dashboard. */
  readonly url: string;
  /** The folders watched for changes, absolute. */
  watched(): string[];
  close(): Promise<void>;
}

/**
 * `sluice dev`: the embedded daemon (scheduler, run queue, run monitor, in-process executor), its
 * loopback CLI API and the dashboard, on definitions that follow the project's files. When a change
 * loads without problems, the daemon's scheduler, the executor's step host (graph and resources),
 * the CLI API and the dashboard switch to the new generation in one synchronous step; runs already
 * executing finish with the generation they started with, whose resources close once they have
 * ended. When it does not load, the previous generation keeps serving and the problems are reported
 * (`onReload`, and `GET /api/project` for the dashboard's banner).
 */
export async function startDevSession(settings: Settings, options: DevSessionOptions): Promise<DevSession> {
  const dir = resolve(settings.projectDir);
  const { generations, first } = await ProjectGenerations.open(dir, settings.env);
  const redactor = projectRedactor(generations.current.project.graph, settings.env);
  const logger = createLogger({ level: settings.logLevel, redactor });
  const { instance, release } = await openStore(settings);
  const worker = `${hostname()}:${process.pid}`;
  const hostFor = (generation: Generation): StepRunnerContext => ({
    instance,
    graph: generation.project.graph,
    resources: generation.resources,
    redactor,
    worker,
    logLevel: settings.logLevel,
    now: () => new Date(),
    random: Math.random,
    logDestination: process.stderr,
  });
  let host = hostFor(generations.current);
  const launcher = new InProcessLauncher(host, { concurrency: options.concurrency }, (runId, error) => logger.error({ runId, err: error }, 'run execution failed'));
  const definitionsOf = (generation: Generation): Definitions => ({
    graph: generation.project.graph,
    schedules: generation.project.schedules,
    sensors: generation.project.sensors.map((s) => s.definition),
    sensorResources: (map) => generation.resources.resolve(map),
    alerts: generation.project.alerts.map((a) => a.definition),
  });
  const loadStatus = (): LoadStatus => {
    const failure = generations.failure;
    return {
      generation: generations.current.id,
      loadedAt: generations.current.loadedAt.toISOString(),
      reloads: true,
      failure: failure ? { at: failure.at.toISOString(), problems: failure.problems } : null,
    };
  };
  const daemon = new Daemon(instance, launcher, {
    limits: settings.limits,
    log: logger,
    redactor,
    workerTimeoutMs: settings.workerTimeoutMs,
    monitorIntervalMs: settings.monitorIntervalMs,
    automationIntervalMs: settings.automationIntervalMs,
    scheduler: {
      graph: generations.current.project.graph,
      schedules: generations.current.project.schedules,
      onDecision: (decision) => {
        const fields = { schedule: decision.schedule, scheduledFor: decision.scheduledFor.toISOString(), runId: decision.runId, reason: decision.reason, error: decision.error };
        if (decision.status === 'FAILURE') logger.error(fields, 'schedule tick failed');
        else logger.info(fields, decision.status === 'SUCCESS' ? 'schedule tick launched a run' : 'schedule tick skipped');
      },
    },
    sensors: {
      graph: generations.current.project.graph,
      sensors: generations.current.project.sensors.map((s) => s.definition),
      // The current generation's resources: a reload swaps them with the definitions.
      resources: (map) => generations.current.resources.resolve(map),
      sensorLog: (sensor) => logger.child({ sensor }),
      pollMs: settings.sensorPollMs,
      retention: settings.sensorTickRetention,
      onDecision: (decision) => {
        const fields = { sensor: decision.sensor, runIds: decision.runIds, skipReason: decision.skipReason, error: decision.error };
        if (decision.status === 'FAILURE') logger.error(fields, 'sensor tick failed');
        else logger.info(fields, decision.status === 'SUCCESS' ? 'sensor tick launched runs' : 'sensor tick skipped');
      },
    },
    alerts: {
      graph: generations.current.project.graph,
      alerts: generations.current.project.alerts.map((a) => a.definition),
      env: process.env,
      dashboardUrl: process.env.SLUICE_DASHBOARD_URL || undefined,
      onFeed: (fed) => {
        if (fed.started) logger.info({}, 'alert feed started: events from now on raise alerts');
        if (fed.written > 0) logger.info({ deliveries: fed.written }, 'alert deliveries queued');
      },
      onOutcome: (channel, outcome) => logger.info({ channel, outcome }, 'alert delivery attempt'),
    },
    freshness: {
      env: process.env,
      intervalMs: settings.freshnessPollMs,
      onChanges: (result) => {
        for (const c of result.changes) logger[c.level === 'PASS' ? 'info' : 'warn']({ asset: c.assetKey, kind: c.kind, partition: c.partitionKey || undefined, verdict: c.level, was: c.before, summary: c.summary }, 'freshness verdict changed');
      },
    },
  });
  let api: { server: Server; setDefinitions(d: Definitions): void; removeAddress: () => void } | undefined;
  let web: WebServer | undefined;
  let watcher: ProjectWatcher | undefined;
  /** Replaced generations whose resources close once their last run has ended. */
  const retiring = new Set<Promise<void>>();
  const close = async () => {
    watcher?.close();
    await web?.close();
    api?.removeAddress();
    api?.server.close();
    await daemon.stop();
    await Promise.all(retiring);
    for (const error of await generations.current.resources.closeAll()) logger.warn({ err: error }, 'resource failed to close');
    try {
      await instance.close();
    } finally {
      release();
    }
  };
  try {
    await daemon.start();
    const token = newApiToken();
    const runs = servedRunService(instance, () => generations.current.project.graph, launcher, () => daemon.wake());
    const deps = { instance, runs, loadStatus, ...definitionsOf(generations.current) };
    const started = await startApiServer({ ...deps, token }, '127.0.0.1', 0);
    api = { ...started, removeAddress: writeDaemonAddress(dir, { pid: process.pid, url: started.url, token }) };
    web = await listenDashboard(options, (binding) =>
      startWebServer({
        api: deps,
        binding,
        metrics: { heartbeatTimeoutMs: settings.workerTimeoutMs },
        onError: (error, context) => logger.error({ err: error, context }, 'dashboard request failed'),
      }),
    );
  } catch (error) {
    await close();
    throw error;
  }

  // The switch: everything that serves definitions takes the new generation in this one turn.
  generations.onSwitch((next, previous) => {
    const previousHost = host;
    host = hostFor(next);
    redactor.add(secretsFromEnv(settings.env, secretEnvOf(next.project.graph)));
    launcher.setHost(host);
    daemon.setDefinitions(next.project.graph, next.project.schedules, next.project.sensors.map((s) => s.definition), next.project.alerts.map((a) => a.definition));
    api?.setDefinitions(definitionsOf(next));
    web?.setDefinitions?.(definitionsOf(next));
    const retired: Promise<void> = launcher.whenIdle(previousHost).then(async () => {
      for (const error of await previous.resources.closeAll()) logger.warn({ err: error }, 'resource of a replaced generation failed to close');
      retiring.delete(retired);
    });
    retiring.add(retired);
  });
  options.onReload(first, []);
  watcher = watchProject(
    dir,
    (changed) => {
      generations.reload().then(
        (result) => options.onReload(result, changed),
        (error: unknown) => logger.error({ err: error }, 'reload failed'),
      );
    },
    { ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}), ...(options.onWatchError ? { onError: options.onWatchError } : {}) },
  );
  const session = watcher;
  return { generations, daemonId: daemon.heartbeat.id, url: web.url, watched: () => session.roots(), close };
}

/** Starts the dashboard on the binding; on a taken port, on any free port when allowed. */
async function listenDashboard(options: DevSessionOptions, start: (binding: WebBinding) => Promise<WebServer>): Promise<WebServer> {
  try {
    return await start(options.binding);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && options.anyPortWhenTaken) return start({ ...options.binding, port: 0 });
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new SluiceError(
        'WEB_LISTEN_FAILED',
        `the dashboard cannot listen on ${options.binding.host}:${options.binding.port} (${code}); pick another --web-port or --web-host`,
        { host: options.binding.host, port: options.binding.port, code },
      );
    }
    throw error;
  }
}
