import type { Command } from 'commander';
import { Daemon } from '../../daemon/daemon.js';
import { onQueuedRun } from '../../execution/bullmq/run-wakeup.js';
import { InProcessLauncher } from '../../execution/in-process/in-process-launcher.js';
import type { RunLauncher } from '../../execution/run-launcher.js';
import { bullmqLauncher, connectRedis, requireRedisUrl } from '../../runtime/distributed.js';
import type { Server } from 'node:http';
import { newApiToken, writeDaemonAddress } from '../../runtime/embedded-daemon.js';
import { openRunService } from '../../runtime/open-run-service.js';
import { openRuntime } from '../../runtime/runtime.js';
import { startApiServer } from '../../web/api-server.js';

type Redis = Awaited<ReturnType<typeof connectRedis>>;
import { EXIT, parsePositiveInt, printJson, settingsFor } from '../cli-context.js';
import { duration, table } from '../output/format.js';
import { untilSignal } from '../until-signal.js';

/**
 * `sluice daemon`: the run queue, the run monitor and heartbeats. With SLUICE_REDIS_URL, steps go to
 * BullMQ workers; without it (the embedded default), the daemon executes runs itself.
 */
export async function daemon(cmd: Command, opts: { concurrency: string }): Promise<number> {
  const settings = settingsFor(cmd);
  const concurrency = parsePositiveInt(opts.concurrency, '--concurrency');
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
  const d = new Daemon(runtime.instance, launcher, {
    limits: settings.limits,
    workerTimeoutMs: settings.workerTimeoutMs,
    monitorIntervalMs: settings.monitorIntervalMs,
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
    process.stderr.write(`sluice daemon ${d.heartbeat.id} ready: executor ${launcher.kind}, project ${runtime.project.dir}\n`);
    const signal = await untilSignal();
    process.stderr.write(`sluice daemon: ${signal}, stopping\n`);
  } finally {
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
