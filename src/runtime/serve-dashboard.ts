import type { Redis } from 'ioredis';
import { SluiceError } from '../core/errors.js';
import type { RunService } from './run-service.js';
import type { WebBinding } from '../web/web-binding.js';
import { startWebServer, type WebServer } from '../web/web-server.js';
import type { Runtime } from './runtime.js';

export type { WebBinding } from '../web/web-binding.js';
export type { WebServer } from '../web/web-server.js';

/**
 * Serves the dashboard for a runtime: the daemon and `sluice web` both call this. With Redis,
 * bull-board shows the step queues at /queues. Resolves once listening; `close` stops it.
 */
export async function serveDashboard(args: {
  runtime: Runtime;
  binding: WebBinding;
  /** The run port its routes launch and cancel through. */
  runs: RunService;
  redis?: Redis | undefined;
  stepQueueDepth?: () => Promise<Record<string, number>>;
}): Promise<WebServer> {
  const { runtime, binding, redis } = args;
  // bullmq only with Redis (bull-board's queues).
  const board = redis ? (await import('./board-queues.js')).boardQueues(runtime.settings, redis) : undefined;
  try {
    // bull-board (express, its UI) loads only when there are queues to show.
    const queueBoard = board ? (await import('../web/queue-board.js')).queueBoard : undefined;
    const server = await startWebServer({
      api: {
        instance: runtime.instance,
        graph: runtime.project.graph,
        runs: args.runs,
        schedules: runtime.project.schedules,
        sensors: runtime.project.sensors.map((s) => s.definition),
        sensorResources: (map) => runtime.resources.resolve(map),
        alerts: runtime.project.alerts.map((a) => a.definition),
      },
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
