import type { Redis } from 'ioredis';
import { SluiceError } from '../core/errors.js';
import { BullmqLauncher } from '../execution/bullmq/bullmq-launcher.js';
import { createRedis, describeRedisUrl } from '../execution/bullmq/redis-connection.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { Instance } from '../storage/instance.js';
import type { Settings } from './settings.js';

export { requireRedisUrl } from './require-redis-url.js';
export { announceQueuedRun } from '../execution/bullmq/run-wakeup.js';

/** Connects to Redis and waits until it answers, or fails with a message naming host:port. */
export async function connectRedis(url: string, timeoutMs = 10_000): Promise<Redis> {
  const redis = createRedis(url);
  redis.on('error', () => {});
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    throw new SluiceError(
      'REDIS_UNAVAILABLE',
      `cannot reach Redis at ${describeRedisUrl(url)}: ${(error as Error).message}; start it (docker compose up -d redis) or fix SLUICE_REDIS_URL`,
      {},
      { kind: 'internal' },
    );
  }
}

export function bullmqLauncher(settings: Settings, instance: Instance, graph: AssetGraph | undefined, redis: Redis): BullmqLauncher {
  return new BullmqLauncher(instance.runs, graph, redis, settings.redisPrefix, settings.pools);
}
