import type { Command } from 'commander';
import { Daemon } from '../../daemon/daemon.js';
import { announceQueuedRun, onQueuedRun } from '../../execution/bullmq/run-wakeup.js';
import { InProcessLauncher } from '../../execution/in-process/in-process-launcher.js';
import type { RunLauncher } from '../../execution/run-launcher.js';
import { bullmqLauncher, connectRedis, requireRedisUrl } from '../../runtime/distributed.js';
import type { Server } from 'node:http';
import { newApiToken, writeDaemonAddress } from '../../runtime/embedded-daemon.js';
import { openRunService } from '../../runtime/open-run-service.js';
import { openRuntime } from '../../runtime/runtime.js';
import { startApiServer } from '../../web/api-server.js';
import { resolveWebBinding } from '../../web/web-binding.js';
import type { WebServer } from '../../web/web-server.js';
import type { WebFlags } from './web.js';

type Redis = Awaited<ReturnType<typeof connectRedis>>;
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { duration, table } from '../output/format.js';
import { untilSignal } from '../until-signal.js';

/**
 * `sluice daemon`: the run queue, the run monitor and heartbeats. With SLUICE_REDIS_URL, steps go to
 * BullMQ workers; without it (the embedded default), the daemon executes runs itself.
 */
export async function daemon(cmd: Command, opts: { concurrency: string; web?: boolean } & WebFlags): Promise<number> {
  const settings = settingsFor(cmd);
  const concurrency = parsePositiveInt(opts.concurrency, '--concurrency');
  // Checked first: a non-loopback dashboard without SLUICE_WEB_TOKEN is refused before anything opens.
  const binding = opts.web === false ? undefined : resolveWebBinding({ host: opts.webHost, port: opts.webPort, token: process.env.SLUICE_WEB_TOKEN });
  // The dashboard's modules load while the project and the store open.
  const dashboardModule = binding ? import('./web.js') : undefined;
  dashboardModule?.catch(() => {}); // awaited below; this only keeps an early exit from reporting it unhandled
  const url = settings.redisUrl ? requireRedisUrl(settings, 'sluice daemon') : undefined;
  const runtime = await openRuntime(settings);
  let redis: Redis | undefined;
  let subscriber: Redis | undefined;
  let launcher: RunLauncher;
  if (url) {
    redis = await connectRedis(url);
    const bull = bullmqLauncher(settings, runtime.instance, runtime.project.graph, redis);
    await bull.queue.applyPoolLimits();
    launcher = bull;
  } else {
    launcher = new InProcessLauncher(runtime.stepHost({ logDestination: process.stderr }), { concurrency }, (runId, error) =>
      runtime.logger.error({ runId, err: error }, 'run execution failed'),
    );
  }
  let api: { server: Server; removeAddress: () => void } | undefined;
  let dashboard: WebServer | undefined;
  const d = new Daemon(runtime.instance, launcher, {
    limits: settings.limits,
    log: runtime.logger,
    redactor: runtime.redactor,
    workerTimeoutMs: settings.workerTimeoutMs,
    monitorIntervalMs: settings.monitorIntervalMs,
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
  });
  try {
    await d.start();
    if (redis) subscriber = await onQueuedRun(redis, settings.redisPrefix, () => d.wake());
    else {
      // Embedded store: this process holds it, so other CLI commands of the project reach the runs
      // through this local API (loopback, a random port, a token in .sluice/daemon.json).
      const token = newApiToken();
      const { server, url: apiUrl } = await startApiServer(
        { instance: runtime.instance, graph: runtime.project.graph, launcher, onQueued: () => d.wake(), token },
        '127.0.0.1',
        0,
      );
      api = { server, removeAddress: writeDaemonAddress(settings.projectDir, { pid: process.pid, url: apiUrl, token }) };
    }
    if (binding) {
      try {
        dashboard = await (await dashboardModule!).serveDashboard({
          runtime,
          binding,
          launcher,
          onQueued: () => d.wake(),
          redis,
          ...(launcher.kind === 'bullmq' ? { stepQueueDepth: () => (launcher as ReturnType<typeof bullmqLauncher>).queue.depth() } : {}),
        });
        process.stderr.write(`sluice daemon: dashboard at ${dashboard.url}${binding.token ? ' (SLUICE_WEB_TOKEN required)' : ''}\n`);
      } catch (error) {
        // The default port may be taken (another daemon of this machine): run without a dashboard
        // then, and say so; a port asked for explicitly must be served or the daemon fails.
        if (cmd.getOptionValueSource('webPort') !== 'default' || (error as { code?: string }).code !== 'WEB_LISTEN_FAILED') throw error;
        process.stderr.write(`sluice daemon: warning: ${(error as Error).message}; running without the dashboard\n`);
      }
    }
    const scheduleCount = runtime.project.schedules.length;
    process.stderr.write(
      `sluice daemon ${d.heartbeat.id} ready: executor ${launcher.kind}, project ${runtime.project.dir}, ${scheduleCount} schedule${scheduleCount === 1 ? '' : 's'}\n`,
    );
    const signal = await untilSignal();
    process.stderr.write(`sluice daemon: ${signal}, stopping\n`);
  } finally {
    await dashboard?.close();
    api?.removeAddress();
    api?.server.close();
    subscriber?.disconnect();
    await d.stop();
    await runtime.close();
    redis?.disconnect();
  }
  return EXIT.ok;
}

/** `sluice daemon status [--json]`: the heartbeats of daemons and workers, newest first. */
export async function daemonStatus(cmd: Command, opts: { json?: boolean }): Promise<number> {
  const settings = settingsFor(cmd);
  const opened = await openRunService(settings);
  try {
    const now = Date.now();
    const beats = (await opened.service.heartbeats()).map((b) => {
      const ageMs = now - Date.parse(b.lastSeen);
      return { ...b, ageMs, alive: ageMs <= settings.workerTimeoutMs };
    });
    if (opts.json) printJson(beats);
    else if (beats.length === 0) process.stdout.write('no daemon or worker has reported a heartbeat\n');
    else {
      const rows = beats.map((b) => [b.kind, b.id, b.alive ? 'alive' : 'stale', `${duration(b.ageMs)} ago`, JSON.stringify(b.info)]);
      process.stdout.write(`${table(['KIND', 'ID', 'STATE', 'LAST SEEN', 'INFO'], rows)}\n`);
    }
    return EXIT.ok;
  } finally {
    await opened.close();
  }
}
