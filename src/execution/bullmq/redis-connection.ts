import { Redis, type RedisOptions } from 'ioredis';

/** Every BullMQ key lives under one hash-tagged prefix so that Redis Cluster keeps a queue on one slot. */
export const DEFAULT_PREFIX = '{sluice}';

/**
 * An ioredis client for BullMQ. `maxRetriesPerRequest: null` keeps blocking worker commands alive
 * across reconnects (BullMQ requires it for workers); reconnects back off up to 2 s, forever.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    ...options,
  });
}

/** `redis://:secret@host:6379/0` without its password, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured Redis';
  }
}
