import type { Command } from 'commander';
import { SluiceError } from '../../core/errors.js';
import { announceQueuedRun } from '../../execution/bullmq/run-wakeup.js';
import { InProcessLauncher } from '../../execution/in-process/in-process-launcher.js';
import type { RunLauncher } from '../../execution/run-launcher.js';
import { boardQueues } from '../../runtime/board-queues.js';
import { bullmqLauncher, connectRedis } from '../../runtime/distributed.js';
import { openRuntime, type Runtime } from '../../runtime/runtime.js';
import { resolveWebBinding, type WebBinding } from '../../web/web-binding.js';
import { startWebServer, type WebServer } from '../../web/web-server.js';
import { EXIT, settingsFor } from '../cli-context.js';
import { untilSignal } from '../until-signal.js';

type Redis = Awaited<ReturnType<typeof connectRedis>>;

export interface WebFlags {
  readonly webHost: string;
  readonly webPort: string;
}

export const DEFAULT_WEB_HOST = '127.0.0.1';
export const DEFAULT_WEB_PORT = '3000';

/** Where the dashboard listens, checked before anything is opened (no token off loopback: exit 2). */
export function webBindingFor(opts: WebFlags, env: NodeJS.ProcessEnv = process.env): WebBinding {
  return resolveWebBinding({ host: opts.webHost, port: opts.webPort, token: env.SLUICE_WEB_TOKEN });
}

/**
 * Serves the dashboard for a runtime: the daemon and `sluice web` both call this. With Redis,
 * bull-board shows the step queues at /queues. Resolves once listening; `close` stops it.
 */
export async function serveDashboard(args: {
  runtime: Runtime;
  binding: WebBinding;
  launcher: RunLauncher;
  onQueued: (runId: string) => void;
  redis?: Redis | undefined;
  stepQueueDepth?: () => Promise<Record<string, number>>;
}): Promise<WebServer> {
  const { runtime, binding, redis } = args;
  const board = redis ? boardQueues(runtime.settings, redis) : undefined;
  try {
    // bull-board (express, its UI) loads only when there are queues to show.
    const queueBoard = board ? (await import('../../web/queue-board.js')).queueBoard : undefined;
    const server = await startWebServer({
      api: { instance: runtime.instance, graph: runtime.project.graph, launcher: args.launcher, onQueued: args.onQueued, schedules: runtime.project.schedules },
      binding,
      metrics: { heartbeatTimeoutMs: runtime.settings.workerTimeoutMs, ...(args.stepQueueDepth ? { stepQueueDepth: args.stepQueueDepth } : {}) },
      ...(board && queueBoard ? { queueBoard: queueBoard(board.queues) } : {}),
      onError: (error, context) => runtime.logger.error({ err: error, context }, 'dashboard request failed'),
    });
    return {
      ...server,
      async close() {
        await server.close();
        await board?.close();
      },
    };
  } catch (error) {
    await board?.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new SluiceError(
        'WEB_LISTEN_FAILED',
        `the dashboard cannot listen on ${binding.host}:${binding.port} (${code}); pick another --web-port or --web-host`,
        { host: binding.host, port: binding.port, code },
      );
    }
    throw error;
  }
}

/**
 * `sluice web`: the dashboard alone, on the project's store. Runs it launches are written QUEUED
 * and started by a daemon (announced over Redis in distributed mode); with the embedded store no
 * daemon can run beside it (PGlite is single-process), so `sluice daemon` is the usual way.
 */
export async function web(cmd: Command, opts: WebFlags): Promise<number> {
  const settings = settingsFor(cmd);
  const binding = webBindingFor(opts);
  const runtime = await openRuntime(settings);
  let redis: Redis | undefined;
  let server: WebServer | undefined;
  try {
    let launcher: RunLauncher;
    let stepQueueDepth: (() => Promise<Record<string, number>>) | undefined;
    if (settings.redisUrl) {
      const connected = await connectRedis(settings.redisUrl);
      redis = connected;
      const bull = bullmqLauncher(settings, runtime.instance, runtime.project.graph, connected);
      launcher = bull;
      stepQueueDepth = () => bull.queue.depth();
    } else {
      // Executes nothing: it only cancels what storage holds (queued runs, runs nobody executes).
      launcher = new InProcessLauncher(runtime.stepHost());
    }
    const onQueued = (runId: string) => {
      if (redis) announceQueuedRun(redis, settings.redisPrefix, runId).catch(() => {});
    };
    server = await serveDashboard({ runtime, binding, launcher, onQueued, redis, ...(stepQueueDepth ? { stepQueueDepth } : {}) });
    process.stderr.write(
      `sluice web: dashboard at ${server.url}${binding.token ? ' (SLUICE_WEB_TOKEN required)' : ''}${redis ? '' : '; runs it launches wait for a daemon'}\n`,
    );
    const signal = await untilSignal();
    process.stderr.write(`sluice web: ${signal}, stopping\n`);
    await launcher.close();
  } finally {
    await server?.close();
    await runtime.close();
    redis?.disconnect();
  }
  return EXIT.ok;
}
