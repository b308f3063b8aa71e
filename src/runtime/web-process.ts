import type { Redis } from 'ioredis';
import { InProcessLauncher } from '../execution/in-process/in-process-launcher.js';
import type { RunLauncher } from '../execution/run-launcher.js';
import { openRuntime } from './runtime.js';
import { servedRunService } from './store-run-service.js';
import { serveDashboard, type WebBinding } from './serve-dashboard.js';
import type { Settings } from './settings.js';

export interface WebProcess {
  readonly url: string;
  /** Runs launched from it are started by a daemon over Redis (else they wait for one). */
  readonly distributed: boolean;
  close(): Promise<void>;
}

/**
 * `sluice web`: the dashboard alone, on the project's store. Runs it launches are written QUEUED
 * and started by a daemon (announced over Redis in distributed mode); with the embedded store no
 * daemon can run beside it (PGlite is single-process), so `sluice daemon` is the usual way.
 */
export async function startWebProcess(settings: Settings, binding: WebBinding): Promise<WebProcess> {
  // BullMQ and ioredis only with Redis, loaded before the project (see daemon-process.ts).
  const distributed = settings.redisUrl ? await import('./distributed.js') : undefined;
  const runtime = await openRuntime(settings);
  let redis: Redis | undefined;
  try {
    let launcher: RunLauncher;
    let stepQueueDepth: (() => Promise<Record<string, number>>) | undefined;
    if (settings.redisUrl && distributed) {
      const connected = await distributed.connectRedis(settings.redisUrl);
      redis = connected;
      const bull = distributed.bullmqLauncher(settings, runtime.instance, runtime.project.graph, connected);
      launcher = bull;
      stepQueueDepth = () => bull.queue.depth();
    } else {
      // Executes nothing: it only cancels what storage holds (queued runs, runs nobody executes).
      launcher = new InProcessLauncher(runtime.stepHost());
    }
    const onQueued = (runId: string) => {
      if (redis && distributed) distributed.announceQueuedRun(redis, settings.redisPrefix, runId).catch(() => {});
    };
    const runs = servedRunService(runtime.instance, () => runtime.project.graph, launcher, onQueued);
    const server = await serveDashboard({ runtime, binding, runs, redis, ...(stepQueueDepth ? { stepQueueDepth } : {}) });
    return {
      url: server.url,
      distributed: redis !== undefined,
      async close() {
        try {
          await launcher.close();
          await server.close();
        } finally {
          await runtime.close();
          redis?.disconnect();
        }
      },
    };
  } catch (error) {
    await runtime.close();
    redis?.disconnect();
    throw error;
  }
}
