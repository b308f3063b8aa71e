import type { Redis } from 'ioredis';
import type { BullmqLauncher } from '../execution/bullmq/bullmq-launcher.js';
import type { OpenRunServiceOptions } from './open-run-service.js';
import { projectSensors } from './project-sensors.js';
import { requireRedisUrl } from './require-redis-url.js';
import { openRuntime, openStore } from './runtime.js';
import type { Settings } from './settings.js';
import { StoreRunService } from './store-run-service.js';

/**
 * The run port with Redis: launches are written QUEUED and announced, so the daemon holding the
 * run-queue lease starts them and BullMQ workers execute their steps; cancels go through BullMQ
 * (every worker aborts the run's running steps). Redis is connected on first need only.
 */
export async function distributedRunService(settings: Settings, options: OpenRunServiceOptions): Promise<StoreRunService> {
  const url = requireRedisUrl(settings, 'a distributed run (SLUICE_REDIS_URL)');
  const runtime = options.launch ? await openRuntime(settings) : undefined;
  const store = runtime ? { instance: runtime.instance, release: () => {} } : await openStore(settings);
  const { instance } = store;
  let redis: Promise<Redis> | undefined;
  let launcher: BullmqLauncher | undefined;
  // BullMQ and ioredis load on first use only: reads never need them (~120 ms of a short command's start).
  const distributed = () => import('./distributed.js');
  const connected = () => (redis ??= distributed().then(({ connectRedis }) => connectRedis(url)));
  return new StoreRunService({
    instance,
    executor: 'bullmq',
    ...(runtime ? { graph: () => runtime.project.graph, sensors: () => projectSensors(runtime) } : {}),
    onQueued: async (runId) => {
      await (await distributed()).announceQueuedRun(await connected(), settings.redisPrefix, runId);
    },
    cancel: async (runId) => {
      launcher ??= (await distributed()).bullmqLauncher(settings, instance, runtime?.project.graph, await connected());
      await launcher.cancel(runId);
    },
    launchNotices: async () => {
      const alive = (await instance.coordination.listHeartbeats()).filter((b) => b.kind === 'daemon' && Date.now() - b.at.getTime() <= settings.workerTimeoutMs);
      return alive.length === 0 ? ['no sluice daemon is running; what was launched stays QUEUED until one starts'] : [];
    },
    async close() {
      try {
        await launcher?.close();
        if (redis) (await redis.catch(() => undefined))?.disconnect();
      } finally {
        if (runtime) await runtime.close();
        else {
          try {
            await instance.close();
          } finally {
            store.release();
          }
        }
      }
    },
  });
}
